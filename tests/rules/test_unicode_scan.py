"""The one search that tells U102, U103, U107 and U108 whether a document holds any
character they look for: it must never hide one."""

from __future__ import annotations

import random
import re
import sys
import unicodedata

import pytest

import textmend
from textmend.document import Document
from textmend.rules import punctuation
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


def test_the_rare_characters_hold_every_character_that_is_searched_for_in_them() -> None:
    """UNUSUAL and P108's symbols are searched for in `rare_characters` alone."""
    searched = [U.UNUSUAL, punctuation.STRAY_SYMBOL]
    for c in range(sys.maxunicode + 1):
        if any(pattern.fullmatch(chr(c)) for pattern in searched):
            assert U.rare_characters(Document(f"a{chr(c)} b\n", "t.txt")) == chr(c), hex(c)


def test_the_rare_characters_are_the_text_less_printable_ascii_in_order() -> None:
    common = {chr(c) for c in range(0x20, 0x7F)} | set("\t\n\r")
    rng = random.Random(3)
    pool = [*"a Z.\t\n\r\x00\x0b\x1b\x7f\u00a0é“”\u2190\ue000\ufffd", "\U00100000", "\ud800"]
    for _ in range(5_000):
        text = "".join(rng.choices(pool, k=rng.randint(0, 12)))
        expected = "".join(c for c in text if c not in common)
        assert U.rare_characters(Document(text, "t.txt")) == expected, repr(text)


def test_the_lines_u101_repairs_are_those_a_search_of_each_line_hints_at() -> None:
    """U101 finds its lines from searches of the whole text, after a look at the rare
    characters: the same lines as a search of every line."""
    rng = random.Random(7)
    # lead and continuation characters of mojibake, C1 controls, a lone surrogate, line
    # breaks (and characters some take for one), ASCII and correct accented letters
    pool = [*"Ã©â€™Â ©\x85\x9d\ud800é’ab.\n\r\u2028\x0c", "\r\n", "Ã\n", "\nÃ", "word "]
    hinted_texts = 0
    for _ in range(20_000):
        text = "".join(rng.choices(pool, k=rng.randint(0, 14)))
        doc = Document(text, "t.txt")
        expected = [line for line in doc.lines if U.MOJIBAKE_HINT.search(line.text)]
        assert list(U._hinted_lines(doc)) == expected, repr(text)
        hinted_texts += bool(expected)
    assert 5_000 < hinted_texts < 15_000


def test_a_run_of_controls_is_one_or_more_controls_or_escape_sequences() -> None:
    """U102's runs, led by a character class for speed, are `(?:CONTROL)+`."""
    plain = re.compile(f"(?:{U.CONTROL.pattern})+")
    rng = random.Random(5)
    pool = [*"\x1b[0;?31m ab\x00\x0b\x0c\x7f\t\n~@/", "\x1b[31m", "\x1b[", "\x1b[1;2"]
    escapes = 0
    for _ in range(20_000):
        text = "".join(rng.choices(pool, k=rng.randint(0, 12)))
        expected = [match.span() for match in plain.finditer(text)]
        assert [match.span() for match in U.CONTROL_RUN.finditer(text)] == expected, repr(text)
        escapes += any(end - start > 1 for start, end in expected)
    assert escapes > 2_000


def test_a_line_is_repaired_as_ftfy_fix_text_repairs_it() -> None:
    # U101 runs ftfy's loop of fixes itself, stopping a round early: on lines of every
    # kind of mojibake (UTF-8 read as Latin-1 or Windows-1252, once or twice, C1
    # controls, surrogates, mixed with correct text) it must give what `fix_text` gives
    import ftfy
    import ftfy.bad_codecs  # (registers sloppy-windows-1252)

    rng = random.Random(4)
    words = ["François", "Gdańsk", "don’t", "Jean-Noël", "Erdoğan", "naïve", "—", "€5", "😀"]
    words += ["plain", "text", "Kyiv", "“quoted”", "\x85", "\x93x\x94", "\ud83d\ude00", "\udc80"]

    def garbled(word: str) -> str:
        # the word's UTF-8 read in a one-byte character set, up to twice over
        for _ in range(rng.randint(0, 2)):
            codec = rng.choice(["latin-1", "cp1252", "sloppy-windows-1252"])
            word = word.encode("utf-8", "surrogatepass").decode(codec, errors="replace")
        return word

    changed = 0
    for _ in range(3000):
        line = " ".join(garbled(rng.choice(words)) for _ in range(rng.randint(1, 6)))
        expected = ftfy.fix_text(line, U.ftfy_config())
        assert U.repaired(line) == expected, repr(line)
        changed += expected != line
    assert changed > 1000


def test_ftfy_is_imported_only_for_a_line_that_may_hold_mojibake() -> None:
    # (35 ms of every run over text without mojibake, such as a pre-commit hook's)
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from textmend.api import check\n"
        "codes = {d.code for d in check(sys.argv[1])}\n"
        "print('ftfy' in sys.modules, 'U101' in codes)\n"
    )
    texts = ["The ministers met in Brussels on Tuesday.", "The ministerâ€™s visit."]
    answers = [
        subprocess.run(
            [sys.executable, "-c", probe, text], capture_output=True, text=True, check=True
        ).stdout.split()
        # (the first run keeps the lexicon, from wordfreq, which imports ftfy itself)
        for text in texts[:1] + texts
    ]
    assert answers[1:] == [["False", "False"], ["True", "True"]]
