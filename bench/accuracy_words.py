"""Precision, recall and exact-fix rate of W101 (run-together words) on labelled text.

The labelled set is built by deleting the space (and the comma, where there is one) at
random word boundaries of clean text: the seed 003, which has few defects, and
generated news text with many names (`newsgen.py`). A boundary qualifies when its first
word has at least three letters and its second is a lower-case word of two letters or
more (the shape of the real defects: `Koreawhich`, `NATOless`, `conflictafter`).
Boundary types: acronym + word, name + function word, name + word, word + word.

All documents form one corpus, as in a real run. A finding counts as right when it
covers a joined token and splits it where the space was; any other finding is a false
alarm. Exact fix: with `--unsafe-fixes`, the fixed text has the space, and the comma
exactly where the original had one.

    python bench/accuracy_words.py [--documents 2000] [--rate 0.04] [--seed 5]
                                   [--rare-names 0.2]

By default the surnames come from the generator's pool of real names, which the corpus
repeats, as a news corpus does; `--rare-names 0.2` draws a fifth of them from 50,000
invented names that mostly occur once, where W101 rightly declines to split a name it
has no evidence for, and recall drops.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from newsgen import document

from textmend.config import Settings
from textmend.document import Document
from textmend.engine import Linter
from textmend.rules.lexicon import lexicon

ROOT = Path(__file__).resolve().parent.parent
BOUNDARY = re.compile(
    r"(?<![\w'’-])([^\W\d_]{3,}|[^\W\d_]+(?:-[^\W\d_]+)+)(,?) ([a-z]{2,})(?![\w'’-])"
)


@dataclass(frozen=True)
class Joined:
    start: int  # of the joined token in the new text
    split: int  # where the space belongs
    comma: bool
    kind: str


def kind_of(first: str, second: str, function_words: frozenset[str]) -> str:
    if first.isupper() and len(first) >= 2:
        return "acronym + word"
    if first[0].isupper():
        return "name + function word" if second in function_words else "name + word"
    return "word + word"


def join_boundaries(
    text: str, rng: random.Random, rate: float, function_words: frozenset[str], seen: set[str]
) -> tuple[str, list[Joined]]:
    """Delete the space (and comma) at a random share of qualifying boundaries.

    A join that would make a token already in the corpus, or already made by another
    join (in any case), is passed over: real run-together tokens are unique accidents, while the
    rule rightly never splits a token that stands alone elsewhere in the corpus."""
    pieces, labels = [], []
    position = shift = 0
    last_end = -1
    for match in BOUNDARY.finditer(text):
        if match.start() < last_end or rng.random() >= rate:
            continue
        first, comma, second = match.group(1, 2, 3)
        if (first + second).lower() in seen:
            continue
        seen.add((first + second).lower())
        pieces.append(text[position : match.start()])
        start = match.start() - shift
        pieces.append(first + second)
        labels.append(
            Joined(start, start + len(first), bool(comma), kind_of(first, second, function_words))
        )
        shift += len(comma) + 1
        position = last_end = match.end()
    pieces.append(text[position:])
    return "".join(pieces), labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=0.04)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--show", type=int, default=15, help="misses and false alarms to print")
    parser.add_argument(
        "--rare-names",
        type=float,
        default=0.0,
        help="share of surnames from the long tail of once-only invented names (stress test)",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    lex = lexicon("en")
    assert lex is not None
    clean = [(ROOT / "seeds" / "003_9950ee67f3d01385.txt").read_text(encoding="utf-8")]
    clean += [
        document(rng, rng.randint(600, 1600), args.rare_names) for _ in range(args.documents - 1)
    ]
    docs, labels = [], []
    seen = {word.lower() for text in clean for word in re.findall(r"[^\W\d_]+", text)}
    for i, text in enumerate(clean):
        joined, found = join_boundaries(text, rng, args.rate, lex.function_words, seen)
        docs.append(Document(joined, f"doc{i}"))
        labels.append(found)

    linter = Linter.from_settings(Settings(select=["W101"]))
    linter.collect(docs)
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    false_alarms = shown = 0
    for doc, found in zip(docs, labels, strict=True):
        findings = linter.check(doc)
        by_start = {f.start: f for f in findings}
        for label in found:
            total[label.kind] += 1
            finding = by_start.pop(label.start, None)
            fix = finding.fix if finding else None
            if fix is None or fix.edits[0].start != label.split:
                if shown < args.show:
                    shown += 1
                    token = doc.text[label.start : label.start + 30].split(" ")[0]
                    print(f"  missed ({label.kind}): {token!r}")
                continue
            right[label.kind] += 1
            repair = finding.fix_for(unsafe=True) if finding else None
            content = repair.edits[0].content if repair else ""
            if content == (", " if label.comma else " "):
                exact[label.kind] += 1
        for finding in by_start.values():
            false_alarms += 1
            if shown < args.show:
                shown += 1
                print(f"  false alarm: {finding.message}")
    found_right = sum(right.values())
    precision = found_right / (found_right + false_alarms) if found_right + false_alarms else 1.0
    print(
        f"{len(docs)} documents, {sum(total.values())} joined boundaries, "
        f"{false_alarms} false alarms"
    )
    print(f"{'boundary type':24}{'joined':>8}{'found':>8}{'recall':>8}{'exact fix':>11}")
    for kind in ("name + function word", "name + word", "acronym + word", "word + word"):
        if total[kind]:
            print(
                f"{kind:24}{total[kind]:>8}{right[kind]:>8}{right[kind] / total[kind]:>8.3f}"
                f"{exact[kind] / total[kind]:>11.3f}"
            )
    all_total = sum(total.values())
    print(
        f"{'all':24}{all_total:>8}{found_right:>8}{found_right / all_total:>8.3f}"
        f"{sum(exact.values()) / all_total:>11.3f}"
    )
    print(f"precision {precision:.3f}  recall {found_right / all_total:.3f}")


if __name__ == "__main__":
    main()
