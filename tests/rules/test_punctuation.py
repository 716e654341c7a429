"""The P rules' quick tests, against the plain pattern, split or reading they stand
for, on random texts of the characters that matter to them."""

from __future__ import annotations

import random
import re

import pytest

from textmend.document import Document
from textmend.rules import punctuation

# what P107 means by a line that ends as a sentence does, written as a pattern
TERMINAL = re.compile(r"[.!?…:;][\"”’')\]]*\s*$")
POOL = [*"ab .!?…:;\"”’')]\t\u00a0\u2009\u3000x,(“", "word ", "end.", " "]


def _random_texts(pool: list[str], count: int, seed: int, shortest: int, longest: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(pool, k=rng.randint(shortest, longest))) for _ in range(count)]


def _random_lines(count: int) -> list[str]:
    return _random_texts(POOL, count, 5, 0, 12)


def test_a_terminated_line_is_what_the_pattern_finds() -> None:
    lines = _random_lines(20_000)
    assert sum(map(punctuation._terminated, lines)) > 1_000  # both answers are tried
    for line in lines:
        assert punctuation._terminated(line) == bool(TERMINAL.search(line)), repr(line)


def test_words_at_least_is_counting_every_word() -> None:
    for line in _random_lines(20_000):
        for count in (1, 3, 15):
            assert punctuation._words_at_least(line, count) == (len(line.split()) >= count), line


QUOTE_POOL = [*"“”\"„aZ7 \t\n.,(—'‘«-;:?", "\r\n", "\r", "word", "s "]
QUOTE_RULES = [
    punctuation.ReversedQuote(),
    punctuation.MissingSpaceAfterQuote(),
    punctuation.MixedQuoteStyles(),
]


def _quote_findings(text: str) -> list[tuple[str, int, int, str]]:
    doc = Document(text, "t.txt")
    return [(f.code, f.start, f.end, f.message) for rule in QUOTE_RULES for f in rule.check(doc)]


def test_documents_whose_quotes_are_not_read_have_none_to_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The quick search skips only documents where reading every quote finds nothing."""
    texts = _random_texts(QUOTE_POOL, 30_000, 11, 1, 14)
    skipped = [text for text in texts if not punctuation._questionable_quote(text)]
    assert 5_000 < len(skipped) < 25_000  # both ways are taken
    with_quotes = [text for text in skipped if "“" in text or "”" in text]
    assert len(with_quotes) > 1_000
    quick = [_quote_findings(text) for text in texts]
    monkeypatch.setattr(punctuation, "_quotes", punctuation._read_quotes)
    assert [_quote_findings(text) for text in texts] == quick
    assert sum(map(bool, quick)) > 2_000


# the quotes in question written as one pattern: any straight or low quote, `“` after
# a word's end, `”` before a letter or digit
QUESTIONABLE_QUOTE = re.compile(
    f'[“”"„](?:(?<=["„])|(?<=[^{punctuation._NOT_WORD_END}]“)|(?<=”)(?=[^\\W_]))'
)


def test_the_quick_quote_test_is_the_one_pattern() -> None:
    texts = _random_texts(QUOTE_POOL, 30_000, 17, 1, 8)
    found = [bool(QUESTIONABLE_QUOTE.search(text)) for text in texts]
    assert 5_000 < sum(found) < 25_000
    for text, expected in zip(texts, found, strict=True):
        assert punctuation._questionable_quote(text) == expected, repr(text)


def test_space_before_punctuation_reads_every_document_it_could_report() -> None:
    """P104's `in` tests pass every text that its pattern finds something in."""
    pool = [*"ab ,.\t\n", "word", " ,", "\t.", "\t,"]
    texts = _random_texts(pool, 20_000, 13, 1, 10)
    found = [text for text in texts if punctuation.SPACE_BEFORE.search(text)]
    assert len(found) > 2_000
    for text in found:
        assert punctuation._spaced_mark(text), repr(text)


def _plain_unterminated(doc: Document) -> list[tuple[int, int]]:
    """P107's spans the plain way: every long line, then the open-ended among them."""
    lines = doc.lines
    body = next((i for i, line in enumerate(lines) if TERMINAL.search(line.text)), len(lines))
    long = [
        line
        for line in lines[body:]
        if len(line.text.split()) >= 15 and not line.text.lstrip().startswith(("•", "-", "*"))
    ]
    open_ended = [line for line in long if not TERMINAL.search(line.text)]
    if not open_ended or len(open_ended) * 4 > len(long):
        return []
    ends = [line.start + len(line.text.rstrip()) for line in open_ended]
    return [(max(line.start, end - 1), end) for line, end in zip(open_ended, ends, strict=True)]


def test_unterminated_paragraphs_are_those_the_plain_count_finds() -> None:
    rng = random.Random(19)
    words = ["word"] * 13
    shapes = [
        " ".join([*words, "more", "end."]),
        " ".join([*words, "more", "end"]),
        " ".join([*words, "more", "end.”"]),
        " ".join([*words, "more", "end", " "]),
        "- " + " ".join([*words, "more", "end"]),
        " ".join([*words, "end"]),  # a word short of a paragraph
        "",
    ]
    reported = 0
    for _ in range(3_000):
        lines = rng.choices(shapes, weights=[12, 1, 2, 1, 1, 2, 3], k=rng.randint(1, 12))
        doc = Document("\n".join(lines), "t.txt")
        found = [(f.start, f.end) for f in punctuation.UnterminatedParagraph().check(doc)]
        assert found == _plain_unterminated(doc), lines
        reported += bool(found)
    assert 300 < reported < 2_700


def test_the_words_grouped_by_capital_match_as_one_alternative_each() -> None:
    """P105's pattern, its words grouped by their capital, finds what one alternative
    for each word finds."""
    words = punctuation.MID_SENTENCE_WORDS
    plain = re.compile("(" + "|".join(rf"(?<=[a-z,] ){word}" for word in words) + ")(?= [a-z])")
    tokens = [*words, "ab", "x,", "a.", "I", "Th", "Thei", "Ou", "Shell"] + ["ab"] * 8
    separators = [" "] * 8 + ["", "  ", ",", " ,", "\n"]
    rng = random.Random(23)
    texts = [
        "".join(
            token + rng.choice(separators) for token in rng.choices(tokens, k=rng.randint(1, 8))
        )
        for _ in range(20_000)
    ]
    matched = 0
    for text in texts:
        expected = [match.span(1) for match in plain.finditer(text)]
        found = [match.span(1) for match in punctuation.CAPITAL_MID_SENTENCE.finditer(text)]
        assert found == expected, repr(text)
        matched += bool(expected)
    assert 2_000 < matched < 18_000


def test_glued_marks_are_found_as_by_the_two_cases_alone() -> None:
    """P103's pattern turns down a mark before a space first: it finds what its two cases
    find without that."""
    plain = re.compile(
        r"[.!?,;](?:(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])|(?<=[^\W\d_]{2}[,;])(?=[^\W\d_]{2}))"
    )
    pool = [*"ab.!?,; \nTZé7_", "war", "The", "Kyiv", "ça", "war.", "Kyiv,"]
    texts = _random_texts(pool, 20_000, 29, 1, 12)
    matched = 0
    for text in texts:
        expected = [match.span() for match in plain.finditer(text)]
        assert [match.span() for match in punctuation.GLUED.finditer(text)] == expected, text
        matched += bool(expected)
    assert 2_000 < matched < 18_000


def test_every_double_quote_outside_low_quotations_is_read() -> None:
    """The quick test that passes over the lines without double quotes misses none."""
    pool = [*"“”\"aZ7 \t\n.,(—'‘«-;:?", "\r\n", "\r", "word", "s "]
    texts = _random_texts(pool, 20_000, 31, 1, 14)
    for text in texts:
        read = [quote.at for quote in punctuation._read_quotes(Document(text, "t.txt"))]
        assert read == [i for i, char in enumerate(text) if char in '“”"'], repr(text)
