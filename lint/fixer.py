"""Applying fixes: non-overlapping edits, then a re-check, until nothing changes.

One fix's edits are applied together or not at all. Where two fixes overlap, the one
that starts first wins and the other waits for the next round, when the re-check
reports it again against the new text (as ruff does). A rule whose fixes never settle
is stopped after `MAX_ROUNDS` and named, and the document is not written.

Before a fix is applied it is verified, the way black's safe mode parses what it wrote
(`verify`): a safe fix must keep every letter and digit (compared case-folded and in
NFC; a mojibake repair instead must be what ftfy's explanation of the bytes gives), and
an unsafe fix may delete nothing outside the span its finding reported but white space.
A fix that fails is a bug in its rule: `fix_document` raises `RuleFailure` naming the
rule, and the document is not written.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from textmend.document import Document
from textmend.engine import RuleFailure
from textmend.rule import Applicability, Finding, Fix

MAX_ROUNDS = 100
# a terminal escape code (`ESC[1m`) is no text: U102 deletes it whole, letters and all
TERMINAL_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
# the rule whose safe fixes replace letters: each by what the bytes meant (ftfy says)
MOJIBAKE = "U101"
# ftfy's steps that re-read the bytes of a text, as its explanations name them: an
# encoding and a decoding, or one of its fixers of byte sequences
BYTE_STEPS = {"encode", "decode", "transcode"}
BYTE_FIXERS = {
    "decode_inconsistent_utf8",
    "fix_c1_controls",
    "restore_byte_a0",
    "replace_lossy_sequences",
    "fix_surrogates",
}


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
        for i in chosen:
            problem = verify(doc.text, *fixable[i])
            if problem is not None:
                raise RuleFailure(fixable[i][0].code, doc, f"{problem}; not written")
        applied.update(fixable[i][0].code for i in chosen)
        doc = doc.with_text(text)
        findings = check(doc)
    still = sorted({f.code for f in findings if f.fix_for(unsafe) is not None})
    return FixOutcome(doc.text, findings, initial, applied, unsettled=still)


def letters(text: str) -> list[str]:
    """The letters, digits and combining marks of a text, in NFC and case-folded, less
    terminal escape codes: what a safe fix must keep."""
    plain = TERMINAL_ESCAPE.sub("", unicodedata.normalize("NFC", text))
    folded = unicodedata.normalize("NFC", plain.casefold())
    return [c for c in folded if c.isalnum() or unicodedata.category(c)[0] == "M"]


def verify(text: str, finding: Finding, fix: Fix) -> str | None:
    """Why applying `fix` to `text` would break what textmend promises, or None.

    A safe fix keeps every letter and digit (case may change, and white space and
    punctuation may come and go), except a mojibake repair, which must turn the text
    into what its bytes meant: ftfy's explanation of the removed text, a plan of
    encodings and decodings, applied to it, gives exactly the new text. An unsafe fix
    deletes only inside the span its finding reports, and white space around it (the
    line break of a deleted line)."""
    if fix.applicability is Applicability.SAFE:
        removed = "".join(text[e.start : e.end] for e in fix.edits)
        inserted = "".join(e.content for e in fix.edits)
        if letters(removed) == letters(inserted):
            return None
        if finding.code == MOJIBAKE and _explained_by_bytes(removed, inserted):
            return None
        return (
            f"its safe fix would change the letters and digits of {_short(removed)} "
            f"to {_short(inserted)}"
        )
    for edit in fix.edits:
        outside = (
            text[edit.start : min(edit.end, finding.start)]
            + text[max(edit.start, finding.end) : edit.end]
        )
        if outside.strip():
            return f"its unsafe fix would delete {_short(outside)}, outside what it reported"
    return None


def _explained_by_bytes(before: str, after: str) -> bool:
    """Whether ftfy, explaining how `before` was mis-decoded, gives `after`."""
    import ftfy

    from textmend.rules.unicode import ftfy_config  # the repairs U101 makes, explained

    config = ftfy_config()._replace(explain=True)
    explained = ftfy.fix_and_explain(before, config)
    plan = explained.explanation or []
    if not plan or not all(
        step in BYTE_STEPS or (step == "apply" and name in BYTE_FIXERS) for step, name in plan
    ):
        return False
    try:
        return bool(ftfy.apply_plan(before, [(step, name) for step, name in plan]) == after)
    except (UnicodeError, LookupError, ValueError):
        return False


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
