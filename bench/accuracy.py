"""Precision and recall of each rule family on labelled text.

The labelled set is made by injecting known defects into clean generated news text
(`newsgen.inject`): every finding that overlaps a label of its family is a true
positive, every other finding a false alarm; a label with no finding of its family is
a miss. The fixed text is compared with the clean original (exact restorations).

    python bench/accuracy.py [--documents 3000] [--seed 11]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from newsgen import KINDS, document, inject

from textmend.config import Settings
from textmend.document import Document
from textmend.engine import Linter
from textmend.fixer import fix_document

FAMILIES = "UPD"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    linter = Linter.from_settings(Settings(select=list(FAMILIES)))
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    labelled: Counter[str] = Counter()
    restored: Counter[str] = Counter()
    clean_docs = clean_alarms = 0
    for i in range(args.documents):
        original = document(rng, rng.randint(600, 1600))
        kinds = rng.sample(KINDS, rng.randint(0, 3))
        text, labels = inject(original, rng, kinds)
        doc = Document(text, f"doc{i}")
        findings = linter.check(doc)
        if not labels:
            clean_docs += 1
            clean_alarms += bool(findings)
        for f in findings:
            family = f.code[0]
            if any(lb.family == family and f.start < lb.end and lb.start < f.end for lb in labels):
                tp[family] += 1
            else:
                fp[family] += 1
                print(f"  false alarm {f.code}: {text[max(0, f.start - 30) : f.end + 30]!r}")
        for lb in labels:
            labelled[lb.family] += 1
            if not any(
                f.code[0] == lb.family and f.start < lb.end and lb.start < f.end for f in findings
            ):
                fn[lb.family] += 1
                print(f"  missed {lb.kind}: {text[max(0, lb.start - 30) : lb.end + 30]!r}")
        if labels and fix_document(doc, linter.check, unsafe=True).text == original:
            for family in {lb.family for lb in labels}:
                restored[family] += 1
    print(
        f"{args.documents} documents, {clean_docs} of them clean "
        f"({clean_alarms} with a false alarm)"
    )
    print(f"{'family':8}{'labels':>8}{'found':>8}{'false':>8}{'precision':>11}{'recall':>8}")
    for family in FAMILIES:
        found = labelled[family] - fn[family]
        precision = tp[family] / (tp[family] + fp[family]) if tp[family] + fp[family] else 1.0
        recall = found / labelled[family] if labelled[family] else 1.0
        print(
            f"{family:8}{labelled[family]:>8}{found:>8}{fp[family]:>8}"
            f"{precision:>11.3f}{recall:>8.3f}"
        )
    docs_with = sum(1 for _ in restored.elements())
    print(
        f"documents whose fixed text equals the clean original, by family: "
        f"{dict(restored)} ({docs_with} family-document pairs)"
    )


if __name__ == "__main__":
    main()
