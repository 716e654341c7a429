"""The lexicon's shortcuts agree with the libraries they stand in for."""

from __future__ import annotations

import inspect

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


def test_the_table_s_words_are_read_as_lemminflect_reads_them() -> None:
    # the keys of lemminflect's lookup table are read from its file by one search: the
    # same words as the dictionary lemminflect builds from it, and its overrides
    from lemminflect import Lemmatizer

    from textmend.rules.lexicon import _lemminflect_words

    lemmatizer = Lemmatizer()
    expected = set(lemmatizer._getLemmaDict()) | set(lemmatizer._getOverridesDict())
    worked_out = inspect.unwrap(_lemminflect_words)  # (not what is kept between runs)
    assert worked_out("en") == expected and len(expected) > 60_000
    assert worked_out("de") == frozenset()
