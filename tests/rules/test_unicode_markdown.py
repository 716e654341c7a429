"""U104 in Markdown: two spaces after text are a hard line break and stay.

The fixture runner checks texts under the name `<text>`, so the Markdown exception is
tested here, with documents named `*.md`.
"""

from __future__ import annotations

import pytest

import textmend
from textmend.config import Settings
from textmend.document import Document
from textmend.engine import Linter
from textmend.fixer import fix_document


def findings(text: str, path: str) -> list[str]:
    return [
        f"{d.location[0]}:{d.location[1]} {d.code}"
        for d in textmend.check({path: text}, select=["U104"])
    ]


def fixed(text: str, path: str) -> str:
    linter = Linter.from_settings(Settings(select=["U104"]))
    return fix_document(Document(text, path), linter.check, unsafe=False).text


@pytest.mark.parametrize("path", ["notes.md", "docs/notes.markdown"])
@pytest.mark.parametrize(
    "text", ["A hard break  \nnext line\n", "A hard break  \r\nnext line\r\n", "last line  "]
)
def test_two_spaces_after_text_are_a_hard_break(path: str, text: str) -> None:
    assert findings(text, path) == []
    assert fixed(text, path) == text


@pytest.mark.parametrize(
    ("text", "expected", "result"),
    [
        # one space, three spaces, a tab, a no-break space: not a hard break
        ("one space \nnext", ["1:10 U104"], "one space\nnext"),
        ("three spaces   \nnext", ["1:13 U104"], "three spaces\nnext"),
        ("tab and space\t \nnext", ["1:14 U104"], "tab and space\nnext"),
        ("no-break \u00a0\r\nnext", ["1:9 U104"], "no-break\r\nnext"),
        # two spaces on a line of their own break nothing
        ("first\n  \nsecond", ["2:1 U104"], "first\n\nsecond"),
    ],
)
def test_other_trailing_white_space_in_markdown(
    text: str, expected: list[str], result: str
) -> None:
    assert findings(text, "notes.md") == expected
    assert fixed(text, "notes.md") == result


def test_two_spaces_are_trailing_white_space_outside_markdown() -> None:
    text = "A hard break  \nnext line\n"
    assert findings(text, "notes.txt") == ["1:13 U104"]
    assert fixed(text, "notes.txt") == "A hard break\nnext line\n"
    assert findings(text, "notes.md.txt") == ["1:13 U104"]
