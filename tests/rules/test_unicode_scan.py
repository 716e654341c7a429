"""The one search that tells U102, U103, U107 and U108 whether a document holds any
character they look for: it must never hide one."""

from __future__ import annotations

import sys
import unicodedata

import pytest

import textmend
from textmend.rules import unicode as U

RULE_PATTERNS = {
    "U102": U.CONTROL,
    "U103": U.ODD_SPACE,
    "U107": U.PRIVATE_USE,
    "U108": U.BIDI_CONTROL,
}


def test_every_character_a_rule_looks_for_is_found_by_the_shared_search() -> None:
    for code, pattern in RULE_PATTERNS.items():
        looked_for = [chr(c) for c in range(sys.maxunicode + 1) if pattern.fullmatch(chr(c))]
        assert looked_for, code
        missed = [f"U+{ord(c):04X}" for c in looked_for if not U.UNUSUAL.fullmatch(c)]
        assert not missed, f"{code}: {missed[:10]}"


def test_private_use_is_the_private_use_category() -> None:
    # written out for `re` rather than as \p{Co}: the same characters
    private = {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Co"}
    written = {c for c in range(sys.maxunicode + 1) if U.PRIVATE_USE.fullmatch(chr(c))}
    assert private == written


@pytest.mark.parametrize(
    ("code", "character"),
    [
        ("U102", "\x0c"),
        ("U102", "\x1b"),
        ("U103", "\u00ad"),
        ("U103", "\u2009"),
        ("U107", "\ue0b0"),
        ("U107", "\U00100000"),
        ("U108", "\u202e"),
    ],
)
def test_a_document_with_one_such_character_among_others_is_searched(
    code: str, character: str
) -> None:
    # other unusual characters in the same document do not stand in for this one
    others = "".join(c for c in "\x0b\u00a0\ue000\u2066" if not RULE_PATTERNS[code].match(c))
    text = f"The report{others} was published on Monday, it{character}said, in Kyiv.\n"
    found = {d.code for d in textmend.check(text, select=[code])}
    assert found == {code}
