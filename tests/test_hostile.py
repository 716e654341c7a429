"""Hostile input: no rule may take more than linear work on adversarial text (long runs
of one character, lines without spaces, deep runs of quotes, particles or capitals).

Each input is 100,000 characters; with every rule linear, all of them are checked and
fixed in a few seconds. A rule that is quadratic on one of them takes minutes (a run
of 40,000 capitals once took 133 s), which the alarm below turns into a failure
instead of a hung test run: a guard against regressions, not a benchmark (those are in
bench/).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from textmend.config import Settings
from textmend.document import Document
from textmend.engine import Linter
from textmend.fixer import fix_document

SIZE = 100_000
UNITS = {
    "one letter": "a",
    "capitals": "A",
    "spaces": " ",
    "tabs then a word": "\t",
    "opening quotes": "“",
    "mixed quotes": '„“”"',
    "brackets": "(",
    "particles": "von ",
    "capitalised particles": "Von der ",
    "a doubled word": "the ",
    "a name": "Kim ",
    "a hyphenated name": "Kim-",
    "a run-together word": "NATOless",
    "a long name": "Zelensky",
    "possessives": "’s",
    "hyphens at line ends": "ab-\n",
    "line breaks": "\n",
    "carriage returns": "\r",
    "sentences without spaces": "word.",
    "mojibake": "ÃƒÂ",
    "combining marks": "a\u0301",
    "emoji": "👍🏽",
    "no-break spaces": "\u00a0",
    "bidirectional controls": "\u202e",
    "a URL without end": "http://",
    "at signs": "@",
    "hashes": "#",
    "apostrophes": "'",
    "letters and digits": "a1",
}


@pytest.fixture
def alarm() -> Iterator[None]:
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError("hostile input took more than linear work")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("name", sorted(UNITS))
def test_hostile_input_is_checked_and_fixed_in_linear_work(name: str, alarm: None) -> None:
    unit = UNITS[name]
    text = unit * (SIZE // len(unit)) + (" x" if unit.isspace() else "")
    linter = Linter.from_settings(Settings())
    doc = Document(text, "hostile.txt")
    linter.collect([doc])
    findings = linter.check(doc)
    assert all(0 <= f.start <= f.end <= len(text) for f in findings)
    outcome = fix_document(doc, linter.check, unsafe=False)
    assert not outcome.unsettled
