"""The lexicon's shortcuts agree with the libraries they stand in for."""

from __future__ import annotations

import wordfreq
from lemminflect import getAllLemmas

from textmend.rules.lexicon import _english_word


def test_english_word_is_what_lemminflect_lists() -> None:
    # the set of lemminflect's table keys stands in for `getAllLemmas` word by word: a
    # lemminflect release that looks words up differently must show up here
    words = [*wordfreq.top_n_list("en", 20000), "Kyiv", "Lint", "gent", "Zelensky", "xqzt"]
    disagree = [w for w in words if _english_word(w) != bool(getAllLemmas(w))]
    assert disagree == []
    assert _english_word("government") and not _english_word("kyiv")
