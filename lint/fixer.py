"""Applying fixes: non-overlapping edits, then a re-check, until nothing changes.

One fix's edits are applied together or not at all. Where two fixes overlap, the one
that starts first wins and the other waits for the next round, when the re-check
reports it again against the new text (as ruff does). A rule whose fixes never settle
is stopped after `MAX_ROUNDS` and named, and the document is not written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from textmend.document import Document
from textmend.rule import Finding, Fix

MAX_ROUNDS = 100


@dataclass
class FixOutcome:
    text: str
    remaining: list[Finding]
    initial: list[Finding]  # the findings in the document as it was given
    applied: Counter[str] = field(default_factory=Counter)
    # the rules still fixing when the rounds ran out; empty when the fixes settled
    unsettled: list[str] = field(default_factory=list)


def apply_fixes(text: str, fixes: Sequence[Fix]) -> tuple[str, list[int]]:
    """Apply as many of `fixes` as do not overlap; returns the text and their indexes."""
    chosen: list[int] = []
    edits = []
    last_end = -1
    last_was_insertion_at = -1
    for index in sorted(range(len(fixes)), key=lambda i: (fixes[i].start, fixes[i].end)):
        fix = fixes[index]
        fix_edits = sorted(fix.edits, key=lambda e: (e.start, e.end))
        first = fix_edits[0]
        # two insertions at one place have no order: leave the second for the next round
        if first.start < last_end or (first.start == first.end == last_was_insertion_at):
            continue
        chosen.append(index)
        edits.extend(fix_edits)
        last = fix_edits[-1]
        last_end = last.end
        last_was_insertion_at = last.start if last.start == last.end else -1
    pieces = []
    position = 0
    for edit in edits:
        pieces.append(text[position : edit.start])
        pieces.append(edit.content)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces), chosen


def fix_document(
    doc: Document, check: Callable[[Document], list[Finding]], unsafe: bool
) -> FixOutcome:
    """Fix one document with the findings `check` reports, round after round."""
    applied: Counter[str] = Counter()
    initial = findings = check(doc)
    for _ in range(MAX_ROUNDS):
        fixable = [(f, fix) for f in findings if (fix := f.fix_for(unsafe)) is not None]
        if not fixable:
            return FixOutcome(doc.text, findings, initial, applied)
        text, chosen = apply_fixes(doc.text, [fix for _, fix in fixable])
        if text == doc.text:  # fixes that change nothing would be reported forever
            return FixOutcome(doc.text, findings, initial, applied)
        applied.update(fixable[i][0].code for i in chosen)
        doc = doc.with_text(text)
        findings = check(doc)
    still = sorted({f.code for f in findings if f.fix_for(unsafe) is not None})
    return FixOutcome(doc.text, findings, initial, applied, unsettled=still)
