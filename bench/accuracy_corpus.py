"""Precision and recall of the N, B, T and P families on a labelled corpus, checked as
one corpus.

Generated news documents (`newsgen.document`, headlines varied so that no clean line
recurs across documents) get defects of the kinds in `newsgen.CORPUS_KINDS` injected
and labelled; a share of the documents is left untouched. The whole set is checked as
one corpus, as `textmend check` does: the corpus rules (N101, N102, N104, B108) collect
their statistics over every document first, then each document is checked.

A finding of a family that overlaps a label of that family is a true positive. A
finding that overlaps only a label of another family is counted apart ("on another
family's defect": the defect brought it about, e.g. a `►` bullet of an injected
related-stories list is a stray symbol to P108). Any other finding is a false alarm,
printed with its context; in the untouched documents every finding is one. Each label
with no finding of its family overlapping it is a miss, printed with its context.

Then every document is fixed (`fix_document(..., unsafe=True)`, the unsafe fixes
included) and compared with what a perfect repair gives (the clean original, or the
original with the injected word repaired); documents with a defect that no rule
offers to repair (T, a cut-off paragraph, a dropped boundary before a name) are left
out of that share.

    python bench/accuracy_corpus.py [--documents 3000] [--seed 11] [--clean 0.3]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from newsgen import CORPUS_FAMILY, CORPUS_KINDS, RARE_SHARE, Label, document, inject_corpus

from textmend.config import Settings
from textmend.document import Document
from textmend.engine import Linter
from textmend.fixer import fix_document
from textmend.rule import Finding

FAMILIES = "NBTP"


def overlaps(finding: Finding, label: Label) -> bool:
    # a zero-width finding counts as the character after it
    end = max(finding.end, finding.start + 1)
    return finding.start < label.end and label.start < end


def context(text: str, start: int, end: int, width: int = 40) -> str:
    return repr(
        text[max(0, start - width) : start] + "[" + text[start:end] + "]" + text[end : end + width]
    )


def _difference(fixed: str, target: str) -> str:
    """Where the fixed text first departs from the repaired original."""
    at = next((i for i, (a, b) in enumerate(zip(fixed, target, strict=False)) if a != b), None)
    if at is None:
        at = min(len(fixed), len(target))
    return (
        f"fixed {fixed[max(0, at - 30) : at + 30]!r}, wanted {target[max(0, at - 30) : at + 30]!r}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--clean", type=float, default=0.3, help="share of untouched documents")
    parser.add_argument("--max-kinds", type=int, default=3, help="defects per touched document")
    parser.add_argument("--rare-names", type=float, default=RARE_SHARE)
    parser.add_argument("--quiet", action="store_true", help="do not list the misses")
    args = parser.parse_args()

    began = time.perf_counter()
    rng = random.Random(args.seed)
    docs: list[Document] = []
    labels: list[list[Label]] = []
    targets: list[str | None] = []
    for i in range(args.documents):
        original = document(rng, rng.randint(600, 1600), args.rare_names, varied_headlines=True)
        kinds = (
            []
            if rng.random() < args.clean
            else rng.sample(CORPUS_KINDS, rng.randint(1, args.max_kinds))
        )
        text, found_labels, target = inject_corpus(original, rng, kinds)
        docs.append(Document(text, f"doc{i}"))
        labels.append(found_labels)
        targets.append(target if found_labels else original)
    generated = time.perf_counter()

    linter = Linter.from_settings(Settings(select=list(FAMILIES)))
    linter.collect(docs)
    collected = time.perf_counter()
    findings = [linter.check(doc) for doc in docs]
    checked = time.perf_counter()

    tp: Counter[str] = Counter()  # findings on a label of their family
    fp: Counter[str] = Counter()  # findings on no label
    fp_clean: Counter[str] = Counter()  # of which in untouched documents
    other: Counter[str] = Counter()  # findings only on another family's label
    by_code: dict[str, Counter[str]] = defaultdict(Counter)
    kind_labels: Counter[str] = Counter()
    kind_found: Counter[str] = Counter()
    kind_codes: dict[str, Counter[str]] = defaultdict(Counter)
    misses: list[str] = []
    alarms: list[str] = []
    others: list[str] = []
    clean_docs = clean_with_finding = 0
    for doc, doc_labels, doc_findings in zip(docs, labels, findings, strict=True):
        text = doc.text
        if not doc_labels:
            clean_docs += 1
            clean_with_finding += bool(doc_findings)
        for f in doc_findings:
            family = f.code[0]
            if any(lb.family == family and overlaps(f, lb) for lb in doc_labels):
                tp[family] += 1
                by_code[f.code]["true"] += 1
            elif any(overlaps(f, lb) for lb in doc_labels):
                other[family] += 1
                by_code[f.code]["other"] += 1
                kinds = ",".join(lb.kind for lb in doc_labels if overlaps(f, lb))
                others.append(
                    f"  {f.code} on {kinds} ({doc.path}): {context(text, f.start, f.end)}"
                )
            else:
                fp[family] += 1
                by_code[f.code]["false"] += 1
                where = "untouched" if not doc_labels else "touched"
                fp_clean[family] += not doc_labels
                alarms.append(
                    f"  {f.code} in {doc.path} ({where}): {f.message}\n"
                    f"      {context(text, f.start, f.end)}"
                )
        for lb in doc_labels:
            kind_labels[lb.kind] += 1
            hits = [f for f in doc_findings if f.code[0] == lb.family and overlaps(f, lb)]
            if hits:
                kind_found[lb.kind] += 1
                kind_codes[lb.kind].update({f.code for f in hits})
            else:
                misses.append(f"  {lb.kind} ({doc.path}): {context(text, lb.start, lb.end)}")

    # fixing: the share of documents restored exactly, where every defect has a repair
    restorable: Counter[str] = Counter()
    restored: Counter[str] = Counter()
    unrestored: list[str] = []
    clean_changed = 0
    found_all = 0  # documents restorable with every defect found
    restored_found = 0  # of which restored
    for doc, doc_labels, target, doc_findings in zip(docs, labels, targets, findings, strict=True):
        if target is None:
            continue
        fixed = fix_document(doc, linter.check, unsafe=True).text
        if not doc_labels:
            if fixed != doc.text:
                clean_changed += 1
                unrestored.append(f"  untouched {doc.path} changed by the fixes")
            continue
        families = {lb.family for lb in doc_labels}
        for family in families:
            restorable[family] += 1
            restored[family] += fixed == target
        restorable["all"] += 1
        restored["all"] += fixed == target
        every = all(
            any(f.code[0] == lb.family and overlaps(f, lb) for f in doc_findings)
            for lb in doc_labels
        )
        found_all += every
        restored_found += every and fixed == target
        if fixed != target:
            kinds = ", ".join(dict.fromkeys(lb.kind for lb in doc_labels))
            why = (
                "every defect found; " + _difference(fixed, target) if every else "a defect missed"
            )
            unrestored.append(f"  {doc.path} ({kinds}): {why}")
    fixed_at = time.perf_counter()

    if alarms:
        print(f"False alarms ({len(alarms)}):")
        print("\n".join(alarms))
    if others:
        print(f"Findings on another family's defect ({len(others)}):")
        print("\n".join(others))
    if misses and not args.quiet:
        print(f"Misses ({len(misses)}):")
        print("\n".join(misses))
    if unrestored and not args.quiet:
        print(f"Not restored by the fixes ({len(unrestored)}):")
        print("\n".join(unrestored))

    touched = args.documents - clean_docs
    print()
    print(
        f"{args.documents} documents checked as one corpus ({sum(len(d.text) for d in docs):,} "
        f"characters, seed {args.seed}, rare names {args.rare_names}): {touched} with "
        f"{sum(map(len, labels))} injected defects, {clean_docs} untouched "
        f"({clean_with_finding} of them with a finding)"
    )
    print()
    print(f"{'kind':26}{'family':>7}{'labels':>8}{'found':>7}{'recall':>8}  rules that found them")
    for kind in CORPUS_KINDS:
        n = kind_labels[kind]
        found = kind_found[kind]
        codes = " ".join(f"{c}:{k}" for c, k in sorted(kind_codes[kind].items()))
        recall = f"{found / n:.3f}" if n else "-"
        print(f"{kind:26}{CORPUS_FAMILY[kind]:>7}{n:>8}{found:>7}{recall:>8}  {codes}")
    print()
    print(
        f"{'family':8}{'labels':>8}{'found':>7}{'recall':>8}{'findings':>10}{'true':>6}"
        f"{'false':>7}{'(untouched)':>12}{'other':>7}{'precision':>11}{'restored':>14}"
    )
    for family in FAMILIES:
        kinds = [k for k in CORPUS_KINDS if CORPUS_FAMILY[k] == family]
        n = sum(kind_labels[k] for k in kinds)
        found = sum(kind_found[k] for k in kinds)
        total = tp[family] + fp[family] + other[family]
        precision = tp[family] / (tp[family] + fp[family]) if tp[family] + fp[family] else 1.0
        share = f"{restored[family]}/{restorable[family]}" if restorable[family] else "-"
        print(
            f"{family:8}{n:>8}{found:>7}{found / n if n else 1.0:>8.3f}{total:>10}{tp[family]:>6}"
            f"{fp[family]:>7}{fp_clean[family]:>12}{other[family]:>7}{precision:>11.3f}{share:>14}"
        )
    print()
    print("findings by rule (true / on another family's defect / false):")
    print(
        "  "
        + ", ".join(
            f"{code} {c['true']}/{c['other']}/{c['false']}" for code, c in sorted(by_code.items())
        )
    )
    print(
        f"fixed text equal to the repaired original: {restored['all']} of the "
        f"{restorable['all']} touched documents whose defects all have a repair "
        f"({restored_found} of the {found_all} where every defect was found); "
        f"untouched documents changed by the fixes: {clean_changed} of {clean_docs}"
    )
    print(
        f"time: generate {generated - began:.1f} s, corpus pass {collected - generated:.1f} s, "
        f"check {checked - collected:.1f} s, fix {fixed_at - checked:.1f} s"
    )


if __name__ == "__main__":
    main()
