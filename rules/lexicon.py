"""Word frequencies for the corpus language, from wordfreq, loaded once per process.

Frequencies are on the Zipf scale (log10 of occurrences per billion words): 7 for `the`,
5 for `government`, 3 for `Pyongyang`, 0 for a word wordfreq has never seen. wordfreq's
data stops in 2021 (`Zelenskyy` is unknown), which is why the rules pair it with counts
from the corpus itself.
"""

from __future__ import annotations

import gzip
import math
import re
from dataclasses import dataclass, field
from functools import cache

from textmend.kept import held, kept
from textmend.rules.wordlists import word_list

FUNCTION_WORDS = 500  # how many of the most frequent words count as function words
GRAMMAR_WORDS = 150
COMMON_ZIPF = 3.0  # about once in a million words: a word any reader knows


@dataclass(frozen=True)
class Lexicon:
    lang: str
    # lower-cased word -> frequency (a share of all words), as wordfreq gives it
    frequencies: dict[str, float]
    # the most frequent words (which, who, that, he, has, said, and, after...):
    # function words and the commonest verbs, learned from the lexicon
    function_words: frozenset[str]
    # the very most frequent words, nearly all grammar (a, any, can, some, over...): two
    # real words side by side when one of them is among these (`a part`, `can not`)
    grammar_words: frozenset[str]
    # the most frequent word of all (`the` in English)
    commonest: str
    # the words at or above COMMON_ZIPF, for set operations on a document's words
    common: frozenset[str]
    # the same, UTF-8 encoded, for the W rules' hot path on bytes
    common_bytes: frozenset[bytes]
    # common words that are not names (march, turkey, bill): data/plain-words.<lang>.txt
    plain: frozenset[str]
    # the words looked up so far (the same few thousand come up in every document)
    zipf_memo: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def zipf(self, word: str) -> float:
        """Zipf frequency of a word in any case; a possessive counts as its base."""
        known = self.zipf_memo.get(word)
        if known is None:
            key = word.lower().replace("’", "'")
            if key.endswith("'s"):
                key = key[:-2]
            frequency = self.frequencies.get(key)
            known = math.log10(frequency * 1e9) if frequency else 0.0
            if len(self.zipf_memo) > 1 << 18:
                self.zipf_memo.clear()
            self.zipf_memo[word] = known
        return known

    def name_like(self, word: str) -> bool:
        """A lower-case word that is neither a common word nor a function word: written
        capitalised, it is a name (kyiv, donald, ukrainian; not march, bill, the)."""
        return (
            len(word) >= 3
            and word.isalpha()
            and word not in self.plain
            and word not in self.function_words
            and not (self.lang == "en" and _english_word(word))
        )

    def knows(self, word: str) -> bool:
        """Whether every hyphen-separated part of the word is in the lexicon."""
        return all(self.zipf(part) > 0.0 for part in word.split("-"))


def _english_word(word: str) -> bool:
    """Whether lemminflect knows a word as a noun, verb, adjective or adverb (rarer words
    than plain-words.en.txt holds: lint, gent)."""
    return word.lower() in _lemminflect_words("en")


# the word a line of lemminflect's lookup table is about: its first field
TABLE_KEY = re.compile(r"^([^,\n]*),", re.MULTILINE)


@kept()
def _lemminflect_words(lang: str) -> frozenset[str]:
    """Every English word (none for another language) `lemminflect.getAllLemmas` gives
    lemmas for: the keys of its lookup
    table and of its overrides (which is what it looks up, lower-cased). Asking
    `getAllLemmas` word by word costs 50 µs a word (it deep-copies its answer); a set
    answers in 50 ns. The table's keys are read from its file (gzipped lines of `word,
    category,forms`) by one search, without building lemminflect's dictionary of every
    word's forms: 0.05 against 0.27 s, in every run and every worker that needs them.
    Tested against `getAllLemmas` and that dictionary's keys, so that a lemminflect
    release that changes its tables or their file is noticed."""
    if lang != "en":
        return frozenset()
    from lemminflect import Lemmatizer

    lemmatizer = Lemmatizer()
    with gzip.open(lemmatizer.lemma_lu_fn, "rt", encoding="utf-8") as table:
        words = frozenset(TABLE_KEY.findall(table.read()))
    return words | frozenset(lemmatizer._getOverridesDict())


@kept("lemmas")
def _lemma_table(lang: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """lemminflect's lookup table, as `getAllLemmas` reads it (word -> part of speech
    -> lemmas; none for another language than English), kept in a file of its own: read
    in 0.08 s, where lemminflect reads its own in 0.29 s, by the runs that ask
    lemminflect about a word (an English run mostly does: T102 asks what `he` stands
    between)."""
    if lang != "en":
        return {}
    from lemminflect import Lemmatizer

    return Lemmatizer()._getLemmaDict()  # type: ignore[no-any-return]


def all_lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """`lemminflect.getAllLemmas(word)`, lemminflect's table read from what is kept:
    its lemmatizer (one for the process) is given it before it reads its own."""
    from lemminflect import Lemmatizer, getAllLemmas

    lemmatizer = Lemmatizer()
    if not hasattr(lemmatizer, "lemma_dict"):
        lemmatizer.lemma_dict = _lemma_table("en")
    return getAllLemmas(word)  # type: ignore[no-any-return]


# the parts of a language's lexicon kept between runs (see `textmend.kept`)
FREQUENCIES, TOP, COMMON = "lexicon.frequencies", "lexicon.top", "lexicon.common"


@cache
def lexicon(lang: str) -> Lexicon | None:
    """The lexicon of a language, or None when wordfreq has no list for it; one object
    for every tag of a language (`en-GB` gets the lexicon of `en`). Its parts are kept
    between runs with the rules' derivations (`textmend.kept`): wordfreq is imported
    and asked only when they are not."""
    base = lang.split("-")[0]
    if base != lang:
        return lexicon(base)
    parts = held(base)
    if FREQUENCIES not in parts:
        import wordfreq

        if base not in wordfreq.available_languages():
            return None
        frequencies = wordfreq.get_frequency_dict(base, "best")
        threshold = 10 ** (COMMON_ZIPF - 9)
        parts[FREQUENCIES] = frequencies
        parts[TOP] = wordfreq.top_n_list(base, FUNCTION_WORDS)
        parts[COMMON] = frozenset(w for w, f in frequencies.items() if f >= threshold)
    top, common = parts[TOP], parts[COMMON]
    return Lexicon(
        base,
        parts[FREQUENCIES],
        frozenset(w for w in top if len(w) > 1 and w.isalpha()),
        frozenset(top[:GRAMMAR_WORDS]),
        top[0],
        common,
        frozenset(w.encode("utf-8") for w in common),
        word_list(base, "plain-words"),
    )
