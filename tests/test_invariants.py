"""Invariants that hold for any text, tested with hypothesis on generated text: news-like
prose with defects of every family injected, pieces of the seeds, random unicode
(combining marks, emoji, controls), and random line endings.

- checking never fails, and every finding lies inside its document;
- fixing settles: against the corpus statistics, the fixed text has nothing left to fix,
  and a second run of the document rules changes nothing;
- safe fixes keep every letter and digit (compared case-folded and NFC-normalised;
  a mojibake repair in any round of fixing, which replaces letters by the ones they
  stood for, and terminal escape sequences, which are deleted whole, are left out);
- unsafe B fixes delete whole lines only.
"""

from __future__ import annotations

import os
import random
import re
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from textmend.config import Settings
from textmend.document import Document
from textmend.engine import Linter
from textmend.fixer import fix_document

ROOT = Path(__file__).resolve().parent.parent
SEED_LINES = [
    line
    for path in sorted((ROOT / "seeds").glob("*.txt"))
    for line in path.read_text(encoding="utf-8").splitlines()
]
ODD = [
    "\u0301",
    "\u0308",
    "👍🏽",
    "🇺🇦",
    "\u200b",
    "\u00a0",
    "\ufeff",
    "\x07",
    "\ufffd",
    "\u202e",
    "Ã©",
]
BREAKS = ["\n", "\r\n", "\r", "\n\n"]
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")


@st.composite
def texts(draw: st.DrawFn) -> str:
    """A document of generated news, seed lines and random unicode, with defects."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from newsgen import KINDS, document, inject

    rng = random.Random(draw(st.integers(0, 10**9)))
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["news", "seed", "unicode", "odd"]))
        if kind == "news":
            parts.append(inject(document(rng, 400), rng, rng.sample(KINDS, 2))[0])
        elif kind == "seed":
            parts.append(rng.choice(SEED_LINES))
        elif kind == "unicode":
            parts.append(draw(st.text(max_size=80)))
        else:
            word = draw(st.sampled_from(["Kyiv", "the", "NATO", "Zelensky", "“quote“"]))
            parts.append(word + rng.choice(ODD) + word)
    text = ""
    for part in parts:
        text += part + draw(st.sampled_from(BREAKS))
    return text


def linter(select: str = "ALL") -> Linter:
    return Linter.from_settings(Settings(select=select.split(",")))


def checked(text: str, select: str = "ALL") -> tuple[Linter, Document]:
    run = linter(select)
    doc = Document(text, "doc.txt")
    run.collect([doc])
    return run, doc


def letters(text: str) -> list[str]:
    """The letters and digits of a text, case-folded and NFC-normalised, less those of
    terminal escape sequences (`ESC[1m`), which U102 deletes whole."""
    plain = ANSI.sub("", unicodedata.normalize("NFC", text))
    return [c for c in plain.casefold() if c.isalnum()]


# TEXTMEND_EXAMPLES=2000 for a longer search than the test suite's
SETTINGS = settings(
    max_examples=int(os.environ.get("TEXTMEND_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(texts())
def test_check_never_fails_and_spans_lie_inside(text: str) -> None:
    run, doc = checked(text)
    for finding in run.check(doc):
        assert 0 <= finding.start <= finding.end <= len(text)
        for fix in (finding.fix, finding.alternative):
            for edit in fix.edits if fix else ():
                assert 0 <= edit.start <= edit.end <= len(text)


@SETTINGS
@given(texts(), st.booleans())
def test_fixing_settles(text: str, unsafe: bool) -> None:
    # against the statistics of the corpus pass, a fixed text has nothing left to fix
    run, doc = checked(text)
    once = fix_document(doc, run.check, unsafe)
    assert not once.unsettled
    assert not [f for f in run.check(doc.with_text(once.text)) if f.fix_for(unsafe)]


@SETTINGS
@given(texts(), st.booleans())
def test_a_second_run_of_the_document_rules_changes_nothing(text: str, unsafe: bool) -> None:
    # (the corpus rules see a new corpus in a second run: the fixes of the first can
    # make spellings or words that they then compare)
    select = "B,D,L,P,T,U"
    run, doc = checked(text, select)
    once = fix_document(doc, run.check, unsafe).text
    again_run, again_doc = checked(once, select)
    assert fix_document(again_doc, again_run.check, unsafe).text == once


@SETTINGS
@given(texts())
# a control character between the two halves of a mis-decoded letter: deleting it (a
# safe fix) leaves mojibake that U101 repairs in the next round (`Ü¯` is U+072F's UTF-8
# read as Latin-1)
@example("Ü\x1b¯\n")
def test_safe_fixes_keep_every_letter_and_digit(text: str) -> None:
    run, doc = checked(text)
    outcome = fix_document(doc, run.check, unsafe=False)
    if outcome.applied["U101"]:
        return  # a mojibake repair replaces letters by the ones they stood for
    assert letters(outcome.text) == letters(text)


@SETTINGS
@given(texts())
def test_unsafe_boilerplate_fixes_delete_whole_lines(text: str) -> None:
    run, doc = checked(text, "B")
    fixed = fix_document(doc, run.check, unsafe=True).text
    kept = iter(text.splitlines())
    assert all(line in kept for line in fixed.splitlines())  # a subsequence of the lines


PIECES = [
    "e\u0301",
    "👍🏽",
    "🇺🇦",
    "👨\u200d👩\u200d👧",
    "\r\n",
    "\r",
    "\n",
    "word, ",
    "ça; ",
    "\u00a0",
    "A\u030a",
]


@SETTINGS
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), st.sampled_from(BREAKS))
def test_offsets_count_code_points_across_marks_emoji_and_crlf(prefix: str, end: str) -> None:
    """A finding's row and column, and its fix's, are where an independent count of
    lines and code points puts them: applying the fix at those places gives the text
    that the fixer gives."""
    import textmend

    text = prefix + " In view of the the winter." + end + prefix
    [finding] = textmend.check(text, select=["D101"])
    lines = re.split(r"\r\n|\r|\n", text[: text.index("the the")])
    assert finding.location == (len(lines), len(lines[-1]) + 1)
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def offset(row: int, column: int) -> int:
        return starts[row - 1] + column - 1

    fixed = text
    for edit in sorted(finding.edits, key=lambda e: offset(*e.location), reverse=True):
        fixed = fixed[: offset(*edit.location)] + edit.content + fixed[offset(*edit.end_location) :]
    assert fixed == textmend.fix_text(text, unsafe_fixes=True, select=["D101"])
