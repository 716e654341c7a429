"""Wall time of D103 (duplicate documents) and D104 (near-duplicate documents) on a
generated corpus, and whether a planted near copy is found.

The corpus is `--documents` generated news-like documents (`newsgen.py`, about 1 KB
each) and one more: a copy of one of them with `--edits` words replaced by other
words, named so that it sorts last. Both rules run as the command line runs them: the
corpus pass over every document, then the check pass over every document. Any other
pair reported is printed too (the generator reuses sentence templates, so distinct
documents share many phrases, but none should come near the threshold).

    python bench/near_duplicates.py [--documents 10000] [--edits 3] [--seed 11]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from newsgen import document

from textmend.config import Settings
from textmend.document import Document
from textmend.engine import Linter

REPLACEMENTS = ["harbour", "committee", "yesterday", "quietly", "villagers", "budget"]


def near_copy(text: str, rng: random.Random, edits: int) -> str:
    """The text with `edits` words (chosen at random, all different) replaced."""
    words = text.split(" ")
    for at in rng.sample(range(len(words)), edits):
        ending = "\n" if words[at].endswith("\n") else ""
        words[at] = rng.choice(REPLACEMENTS) + ending
    return " ".join(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    documents = [
        Document(document(rng, rng.randint(600, 1600)), f"news-{i:05d}.txt")
        for i in range(args.documents)
    ]
    original = rng.choice(documents)
    copy = Document(near_copy(original.text, rng, args.edits), "news-zz-near-copy.txt")
    documents.append(copy)
    size = sum(len(doc.text.encode("utf-8")) for doc in documents)
    print(f"{len(documents):,} documents, {size / 1e6:.1f} MB")
    print(f"the near copy of {original.label} has {args.edits} words replaced")

    linter = Linter.from_settings(Settings(select=["D103", "D104"]))
    start = time.perf_counter()
    linter.collect(documents)
    collected = time.perf_counter()
    findings = [(doc, finding) for doc in documents for finding in linter.check(doc)]
    checked = time.perf_counter()

    print(f"corpus pass {collected - start:.1f} s, check pass {checked - collected:.1f} s")
    print(f"wall time {checked - start:.1f} s")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    found = [
        finding.message
        for doc, finding in findings
        if doc is copy and finding.code == "D104" and original.label in finding.message
    ]
    print(f"near copy found: {'yes: ' + found[0] if found else 'NO'}")
    others = [(doc, finding) for doc, finding in findings if doc is not copy]
    print(f"other documents reported: {len(others)}")
    for doc, finding in others:
        print(f"  {doc.label}: {finding.code} {finding.message}")


if __name__ == "__main__":
    main()
