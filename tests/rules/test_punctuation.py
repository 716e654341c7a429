"""The P rules' quick tests of a line, against the plain pattern and split they stand
for, on random lines of the characters that matter to them."""

from __future__ import annotations

import random
import re

from textmend.rules import punctuation

# what P107 means by a line that ends as a sentence does, written as a pattern
TERMINAL = re.compile(r"[.!?…:;][\"”’')\]]*\s*$")
POOL = [*"ab .!?…:;\"”’')]\t\u00a0\u2009\u3000x,(“", "word ", "end.", " "]


def _random_lines(count: int) -> list[str]:
    rng = random.Random(5)
    return ["".join(rng.choices(POOL, k=rng.randint(0, 12))) for _ in range(count)]


def test_a_terminated_line_is_what_the_pattern_finds() -> None:
    lines = _random_lines(20_000)
    assert sum(map(punctuation._terminated, lines)) > 1_000  # both answers are tried
    for line in lines:
        assert punctuation._terminated(line) == bool(TERMINAL.search(line)), repr(line)


def test_words_at_least_is_counting_every_word() -> None:
    for line in _random_lines(20_000):
        for count in (1, 3, 15):
            assert punctuation._words_at_least(line, count) == (len(line.split()) >= count), line
