"""Throughput of the rule families on generated news-like text, against baselines
measured in the same process over the same documents.

    python bench/throughput.py [--mb 20] [--seed 7] [--families WP] [--rare-names 0.2]

Prints MB/s on one core (UTF-8 bytes of document text per second of checking) for
each family and for the whole default rule set, the ratio to `re.findall(r"\\w+")`
and to `ftfy.fix_text` over the same documents, and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import ftfy
from newsgen import KINDS, corpus, inject, timed

from textmend.config import Settings
from textmend.document import Document
from textmend.engine import Linter
from textmend.rule import FAMILIES, all_rules

WORD = re.compile(r"\w+")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--families", default="", help="family letters to time (default: all)")
    parser.add_argument(
        "--rare-names",
        type=float,
        default=0.2,
        help="share of surnames from the long tail of invented names (0: names recur)",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    texts = []
    for text in corpus(int(args.mb * 1_000_000), args.seed, args.rare_names):
        texts.append(inject(text, rng, rng.sample(KINDS, rng.randint(0, 2)))[0])
    size = sum(len(t.encode("utf-8")) for t in texts) / 1_000_000
    print(f"corpus: {len(texts)} generated documents, {size:.1f} MB")

    baseline = timed(lambda: [WORD.findall(t) for t in texts])
    findall_label = 're.findall(r"\\w+")'
    print(f"{findall_label:28}{size / baseline:8.1f} MB/s")
    sample = texts[: max(1, len(texts) // 10)]
    sample_size = sum(len(t.encode("utf-8")) for t in sample) / 1_000_000
    ftfy_rate = sample_size / timed(lambda: [ftfy.fix_text(t) for t in sample])
    print(f"{'ftfy.fix_text (10% sample)':28}{ftfy_rate:8.1f} MB/s")

    families = sorted({code[0] for code in all_rules()}, key="WNBPULDT".index)
    print(f"{'rules':28}{'MB/s':>8}{'findings':>10}{'× findall':>11}{'× ftfy':>8}")

    def warm_up() -> None:  # loads the lexicon and whatever else rules load lazily
        linter = Linter.from_settings(Settings())
        linter.collect([Document(texts[0], "warm-up")])
        linter.check(Document(texts[0], "warm-up"))

    load = timed(warm_up)
    print(f"{'loading rules and lexicon':28}{load:8.2f} s (once per process)")
    selections = list(args.families) if args.families else [*families, "ALL"]
    for selection in selections:
        linter = Linter.from_settings(Settings(select=[selection]))
        count = 0

        def check_all(linter: Linter = linter) -> None:
            # fresh documents for each pass, as a run reads its files again
            nonlocal count
            if linter.corpus_rules:
                linter.collect(Document(t, f"doc{i}") for i, t in enumerate(texts))
            count = sum(len(linter.check(Document(t, f"doc{i}"))) for i, t in enumerate(texts))

        rate = size / timed(check_all)
        label = (
            "all default rules" if selection == "ALL" else f"{selection} ({FAMILIES[selection]})"
        )
        print(
            f"{label:28}{rate:8.1f}{count:>10}{rate / (size / baseline):>11.2f}"
            f"{rate / ftfy_rate:>8.1f}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB (the corpus itself is held in memory here)")


if __name__ == "__main__":
    main()
