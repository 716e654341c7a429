"""W: word boundaries (run-together words, broken hyphenation, split words)."""

from __future__ import annotations

import bisect
import functools
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from textmend.document import BoundedMemo, Document
from textmend.kept import kept
from textmend.rule import (
    CorpusRule,
    DocumentRule,
    Edit,
    Finding,
    Fix,
    FixAvailability,
    RuleContext,
    register,
)
from textmend.rules.lexicon import COMMON_ZIPF, Lexicon, all_lemmas, lexicon
from textmend.rules.wordlists import word_list

# a word: letters, with inner hyphens and apostrophes (Kosiniak-Kamysz, Zelensky’s)
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
POSSESSIVES = ("'s", "’s")

# the lower-case words inside names (Ursula von der Leyen, Ibn Saud)
NAME_PARTICLES = ("von", "van", "der", "den", "de", "del", "della", "da", "di", "du", "la",
                  "le", "al", "bin", "ibn")  # fmt: skip
EDGE_PUNCTUATION = "\"'“”‘’()[]{}.,;:!?…«»—–-*/"
# what makes a token part of something that is not prose: a URL, an address, a
# hashtag or handle, a code with digits (B737MAX, KF-21)
NOT_PROSE = re.compile(r"://|www\.|@|^#|\d|_|/")
# the name a run-together token ends, when it follows a comma: an appositive that the
# dropped comma would have closed (", Lloyd Austin" + "he stated")
OPEN_APPOSITIVE = re.compile(
    r",\s+(?:(?:[A-Z][\w'’.-]*|von|der|van|den|de|da|di|del|la|le|al|bin|ibn)\s+)*$"
)
# a relative clause opened earlier in the sentence and not closed by a comma yet
OPEN_RELATIVE = re.compile(r"(?:which|who)\s[^,.;:!?]*$")
SENTENCE_WINDOW = 200
KNOWN_WORD_ZIPF = 3.5  # a token at least this frequent is a word, never split
# a longer token is not two words run together (and trying every split point of it
# would cost the square of its length)
MAX_SPLIT_LENGTH = 48
FRAGMENT_ZIPF = 2.5  # a half of a broken word rarer than this is no word of its own


DocKey = tuple[str, int]


def doc_key(doc: Document) -> DocKey:
    """A document's identity within a run: its path and record line."""
    return doc.path, doc.record.line if doc.record else 0


@dataclass
class WordStats:
    """W101's corpus statistics: the rare words (lower-cased) of one document at least
    and of two at least, and which documents hold a word that a split could explain;
    only those are read again in the check pass, which keeps the W rules to about one
    pass over the text.

    W101 asks no more than whether a word stands alone in the corpus, and whether in
    another document too: counts up to two, kept as sets, which merge in C (a `Counter`
    merged in Python, 21,000 instructions a document, 3 % of the W rules)."""

    once: set[str] = field(default_factory=set)
    twice: set[str] = field(default_factory=set)
    candidates: set[DocKey] = field(default_factory=set)

    def __getitem__(self, word: str) -> int:
        """In how many documents the word stands alone, in any case (`Kazan` and
        `kazan` are one word), up to two."""
        word = word.lower()
        return (word in self.once) + (word in self.twice)


class Seen(Protocol):
    """How often the corpus has a word standing alone."""

    def __getitem__(self, word: str) -> int: ...


class _SeenEverywhere:
    """Counts that call every word seen: the optimistic evidence of the corpus pass."""

    def __getitem__(self, word: str) -> int:
        return 1


SEEN_EVERYWHERE = _SeenEverywhere()


@dataclass(frozen=True)
class Split:
    left: str
    right: str
    score: float


# The analyses below are made by module functions, not lambdas: a lambda is made anew
# at each call, whether the analysis is made or only looked up (300 instructions, a
# dozen times a document).


def lowered(doc: Document) -> str:
    """The document's text in lower case, shared by the W rules."""
    return doc.cached("lowered", _lowered)


def _lowered(doc: Document) -> str:
    return doc.text.lower()


# ASCII punctuation and white space become spaces: what is left between spaces is a
# word, or a word glued to non-ASCII punctuation (curly quotes), which `_rare_bases`
# strips on the slow path
SEPARATORS = bytes.maketrans(b'"()[]{}.,;:!?*/\t\n\r\x0b\x0c', b" " * 20)


def strip_possessive(word: str) -> str:
    """The word without a possessive `'s` (`Zelensky’s` gives `Zelensky`)."""
    return word[:-2] if word[-2:] in POSSESSIVES else word


CASE_BYTES = "case-bytes"  # the key of `case_bytes` in a document's cache


def case_bytes(doc: Document) -> bytes:
    """The document as UTF-8 with ASCII punctuation made spaces, and a space at either
    end, keeping case: `split()` gives its words as written.

    Bytes, because encoding, lower-casing (ASCII; the slow path does the rest),
    translating and splitting bytes all run in C at several times the speed of the
    same work on `str` — this is the hot path of the W and N rules."""
    return doc.cached(CASE_BYTES, _case_bytes)


def _case_bytes(doc: Document) -> bytes:
    return b" " + doc.text.encode("utf-8", "surrogatepass").translate(SEPARATORS) + b" "


def letter_bytes(doc: Document) -> bytes:
    """The document's letters and their places as UTF-8, for a test of letter shapes:
    `case_bytes` if a rule has made it (its punctuation made spaces changes no letter),
    else the text encoded (without the translation no other rule needs)."""
    made: bytes | None = doc.computed(CASE_BYTES)
    return made if made is not None else doc.text.encode("utf-8", "surrogatepass")


def case_words(doc: Document) -> list[bytes]:
    """The words of `case_bytes`, as written."""
    return doc.cached("case-words", _case_words)


def _case_words(doc: Document) -> list[bytes]:
    return case_bytes(doc).split()


def chunk_bytes(doc: Document) -> bytes:
    """`case_bytes` lower-cased: `split()` gives its words, `count(b" word ")` how often
    one occurs (the punctuation made spaces holds no letter, so lower-casing after it
    gives what lower-casing before it would)."""
    return doc.cached("chunk-bytes", _chunk_bytes)


def _chunk_bytes(doc: Document) -> bytes:
    return case_bytes(doc).lower()


def chunk_words(doc: Document) -> list[bytes]:
    """The words of `chunk_bytes`, shared by W101 and W103."""
    return doc.cached("chunk-words", _chunk_words)


def _chunk_words(doc: Document) -> list[bytes]:
    return chunk_bytes(doc).split()


def chunk_set(doc: Document) -> set[bytes]:
    """The distinct words of `chunk_bytes`, shared by W101 and W103."""
    return doc.cached("chunk-set", _chunk_set)


def _chunk_set(doc: Document) -> set[bytes]:
    return set(chunk_words(doc))


def _rare_words(doc: Document, lex: Lexicon) -> set[str]:
    """The words the lexicon hardly knows (names, codes, run-togethers), lower-cased.

    The lexicon's common words are taken away as a set, in C; only the few chunks left
    (about twenty in a news article) are looked up in the memo of their rare words, in
    C too. A possessive counts as its base (`Zelensky’s` is `Zelensky` standing alone)."""
    rare = chunk_set(doc).difference(lex.common_bytes)
    return set().union(*map(_rare_bases(lex.lang).__getitem__, rare))


def _rare_tokens(doc: Document, lex: Lexicon) -> list[str]:
    """The document's rare words as it first writes them (their case matters to W101)."""
    return sorted({_as_written(doc, word) for word in _rare_words(doc, lex)})


def _as_written(doc: Document, word: str) -> str:
    """A lower-case word as the document first writes it."""
    if word.isascii() and _lowers_in_place(doc):
        # its first place in `chunk_bytes`, read in `case_bytes`: the text lower-cased
        # (a `str` beyond ASCII, character by character) cost a tenth of the W rules
        at = chunk_bytes(doc).find(word.encode())
        return case_bytes(doc)[at : at + len(word)].decode() if at >= 0 else word
    at = lowered(doc).find(word)
    original = doc.text[at : at + len(word)]
    return original if original.lower() == word else word


# the only characters whose lower case is ASCII, or two characters long: İ and the
# Kelvin sign K (`"K".lower()` is `k`)
ODD_LOWER_CASE = ("\u0130", "\u212a")


def _lowers_in_place(doc: Document) -> bool:
    """Whether lower-casing the text changes each ASCII letter as `bytes.lower` does and
    makes no other character ASCII nor longer: then an ASCII word is first in the text
    lower-cased where it is first in `chunk_bytes`."""
    return doc.cached("lowers-in-place", _lowers_in_place_made)


def _lowers_in_place_made(doc: Document) -> bool:
    return not any(map(doc.text.__contains__, ODD_LOWER_CASE))


def _chunk_rare_bases(lex: Lexicon, chunk: bytes) -> tuple[str, ...]:
    """The rare words of a chunk, lower-cased, possessives taken off."""
    text = chunk.decode("utf-8", "surrogatepass").lower().strip(EDGE_PUNCTUATION)
    words = WORD.findall(text)  # inner punctuation or digits: war.the, b737max
    return tuple(
        base
        for base in map(strip_possessive, words)
        if not all(part in lex.common for part in base.split("-"))
    )


@functools.lru_cache(maxsize=16)  # one a language
def _rare_bases(lang: str) -> BoundedMemo[bytes, tuple[str, ...]]:
    """`_chunk_rare_bases` of each chunk, found when first asked for. Names recur from
    one document to the next, so most chunks are looked at once per run; typos and
    codes do not: the memo is bounded. (A dictionary looked up in C: `lru_cache` keyed
    by the language too cost 560 instructions a chunk, 2 % of the W rules.)"""
    lex = lexicon(lang)
    assert lex is not None  # the callers have it
    return BoundedMemo(functools.partial(_chunk_rare_bases, lex))


@kept()
def _split_rights(lang: str) -> frozenset[str]:
    """Every word that a split can take off the end of a token: function words, name
    particles, words that follow names, and known words of three letters or more (an
    acronym takes those: `NATOwar`). A token that ends with none of them needs no
    search (most rare names)."""
    lex = lexicon(lang)
    assert lex is not None
    known = 10 ** (2.7 - 9)
    return frozenset(
        (
            *_word_split_rights(lang),
            *(w for w, f in lex.frequencies.items() if len(w) >= 3 and f >= known),
        )
    )


@kept()
def _word_split_rights(lang: str) -> frozenset[str]:
    """The words that `_score` can take off a word (not an acronym): function words,
    name particles, words that follow names, and content words common enough to follow
    one (`_common_right`). A third of the size of `_split_rights`: most rare names end
    with a short known word (`-son`, `-ova`) that no split takes off."""
    lex = lexicon(lang)
    assert lex is not None
    # `_common_right`'s thresholds as frequencies, a little lower (a superset, however
    # the logarithm rounds): the lexicon's words are not looked up one by one
    long, short = (10 ** (_right_zipf(length) - 9) * 0.99 for length in (7, 4))
    return frozenset(
        (
            *lex.function_words,
            *NAME_PARTICLES,
            *word_list(lang, "name-followers"),
            *(
                w
                for w, f in lex.frequencies.items()
                if len(w) >= 4 and f >= (long if len(w) >= 7 else short)
            ),
        )
    )


def _common_right(right: str, lex: Lexicon) -> bool:
    """Whether a content word (four letters or more) is common enough to be taken off
    after a name or a word."""
    return len(right) >= 4 and lex.zipf(right) >= _right_zipf(len(right))


def _right_zipf(length: int) -> float:
    """How frequent a content word of this length must be to be taken off: a long one
    less so."""
    return 2.7 if length >= 7 else 3.5


def _has_split_ending(token: str, rights: frozenset[str]) -> bool:
    """Whether the token ends with a word a split could take off (one of `rights`): a
    token without one needs no search. (Its endings are cut and looked up in C.)"""
    return not rights.isdisjoint(map(token.__getitem__, _endings(len(token))))


@functools.lru_cache(maxsize=128)
def _endings(length: int) -> tuple[slice, ...]:
    """The slices that cut the endings of a token of this length that a split could
    take off: two letters at least, after two letters at least."""
    return tuple(slice(i, None) for i in range(2, length - 1))


def _confident_after_capital(
    left: str, right: str, left_zipf: float, seen_alone: bool, lex: Lexicon
) -> bool:
    """Whether a capitalised token splits into `left` + `right`, by what `left` is.

    A name (no common word: `Macron`, `Austin`, `Kosiniak-Kamysz`) takes a function word
    if the corpus has the name alone or the lexicon knows it; `or`, `to`, `he` only
    after a well-known name of four letters or more (`Macron` + `or`, but `Zorn` + `or`,
    `Loseto` are surnames); a common content word after a well-known name (`Tokyo` +
    `allies`); and, after a name nothing knows, only a word that follows names in news
    (`said`, `which`, `told`). A grammar word that starts a sentence (`This`, `The`)
    takes a function or common word; a common word capitalised (`Commission`) a common
    word or a function word of three letters or more."""
    # a name particle runs into a first name as a function word would: Ursulavon der
    function_word = right in lex.function_words or right in NAME_PARTICLES
    # a name after a name is one compound name (Visestalin), not a word run into a name
    common_right = _common_right(right, lex) and not lex.name_like(right)
    lower = left.lower()
    if "-" in lower:
        parts = lower.split("-")
        name = all(p.isalpha() for p in parts) and any(lex.name_like(p) for p in parts)
    else:  # (name_like asks for letters only)
        name = lex.name_like(lower)
    if name:
        if len(right) <= 2:  # a well-known name, or one the corpus has alone and the lexicon
            known = left_zipf >= 2.9 or (seen_alone and left_zipf >= 1.5)  # knows a bit
            return function_word and len(left) >= 4 and known
        return (
            (function_word and (seen_alone or left_zipf >= 2.5 or _name_shaped(left)))
            or (common_right and len(left) >= 4 and (seen_alone or left_zipf >= 3.0))
            or (len(left) >= 4 and right in word_list(lex.lang, "name-followers"))
        )
    if lower in lex.grammar_words:
        return function_word or common_right
    if left_zipf >= 3.0:  # a common word, capitalised (a sentence start, a title)
        return (function_word and len(right) >= 3) or (common_right and len(left) >= 4)
    return False


def _name_shaped(word: str) -> bool:
    """A hyphenated name: Kosiniak-Kamysz, Son-hui, Yong-hyun."""
    parts = word.split("-")
    return len(parts) > 1 and word[0].isupper() and all(p.isalpha() for p in parts)


# endings that inflect a word or derive one from it: wordfreq knows `minehunter`,
# `backchannel`, `zestful` and `Petersburg`, but not `minehunters`, `backchannels`,
# `zestfully` or `Petersburger`
INFLECTIONS = ("s", "es", "ed", "ing", "ly", "er", "ers", "est")


def _inflects_known(token: str, lex: Lexicon) -> bool:
    """Whether the token is a word the lexicon knows, with an inflection added (the
    stem as it is, with its `e`, its doubled consonant or its `y` restored).

    Not a name run into `is` (`Iranis`, `Franceis`): the lexicon knows the plurals of
    the words that end in i (`Iraqis`, `Kuwaitis`) themselves."""
    word = token.lower()
    for ending in INFLECTIONS:
        stem = word[: -len(ending)]
        if not word.endswith(ending) or len(stem) < 4 or (ending == "s" and stem[-1] == "i"):
            continue
        stems = {stem, stem + "e"}
        if stem[-1] == "i" and ending != "ing":
            stems.add(stem[:-1] + "y")  # allies, carried, happier
        if stem[-1] == stem[-2]:
            stems.add(stem[:-1])  # warred, biggest
        if any(lex.zipf(s) > 0 for s in stems):
            return True
    return False


@register
class RunTogetherWord(CorpusRule["WordStats"]):
    """## What it flags
    A word that the lexicon does not know and that is a known word or name run
    together with the next word, the space (and often a comma) dropped by scraping or
    machine translation: `Koreawhich`, `Lloyd Austinhe`, `NATOless`,
    `Kim Yong-hyunthat`, `conflictafter`.

    The evidence is the lexicon of the corpus language (wordfreq), the corpus itself (a
    name seen standing alone elsewhere in the run is known; a token seen standing alone
    elsewhere is never run together), case changes inside the token (`NATOless`) and
    how frequent the second part is (function words such as which, who, he, has, said,
    learned from the lexicon). Names the evidence does not cover are never split
    (`Stoltenberg`, `Pyongyang`, `Sybiha`), nor are codes (`B737MAX`, `KF-21`), URLs,
    e-mail addresses, hashtags, compounds (`cyberdefence`) or accepted vocabulary.

    ## Why it matters
    A run-together word is two words lost to search, entity linking and every model
    that reads the text: `Koreawhich` is neither `Korea` nor `which`. General word
    segmenters find them but also split every name they do not know
    (`Zelenskyy` → `Ze lensky y`); this rule splits only where the evidence is strong.

    ## Example
    ```
    South Koreawhich has sent a delegation to Brusselshas estimated
    ```
    Fix (safe): `South Korea which has sent a delegation to Brussels has estimated`.
    With `--unsafe-fixes`, where the second word is a relative pronoun, or a verb that
    closes a phrase opened by a comma, the dropped comma is restored too:
    `South Korea, which has sent a delegation to Brussels, has estimated`; and where a
    singular noun runs into a bare infinitive (`a long warundo the fabric`), the lost
    `to` is restored: `a long war to undo the fabric`.
    """

    code = "W101"
    name = "run-together-word"
    summary = "Two words run together (Koreawhich, NATOless), names never split"
    fix_availability = FixAvailability.SAFE

    def __init__(self, context: RuleContext | None = None) -> None:
        super().__init__(context)
        self._splittable: dict[str, bool] = {}
        self._splittable_words: dict[str, bool | None] = {}

    def collect(self, doc: Document) -> WordStats:
        lex = lexicon(self.context.lang)
        if lex is None:
            return WordStats()
        words = _rare_words(doc, lex)
        # the documents worth reading again: a word that a split could explain if its
        # left part were seen alone in the corpus (the merged counts decide, later)
        for word in words:
            verdict = self._splittable_word(word, lex)
            if verdict is None:  # only as an acronym: look at how it is written
                verdict = self._splittable_token(_as_written(doc, word), lex)
            if verdict:
                return WordStats(words, candidates={doc_key(doc)})
        return WordStats(words)

    def merge(self, first: WordStats, second: WordStats) -> WordStats:
        first.twice.update(second.twice, first.once.intersection(second.once))
        first.once |= second.once
        first.candidates |= second.candidates
        return first

    def check(self, doc: Document, stats: WordStats) -> Iterator[Finding]:
        lex = lexicon(self.context.lang)
        if lex is None or (doc_key(doc) not in stats.candidates and not doc.revised):
            return
        text = doc.text
        for token in _rare_tokens(doc, lex):
            if stats[token] > 1 or not self._splittable_token(token, lex):
                continue  # in another document too, or no split at all
            split = self._split(token, lex, stats)
            if split is None:
                continue
            boundary = re.compile(r"(?<![\w'’-])" + re.escape(token) + r"(?![\w-])")
            matches = list(boundary.finditer(text))
            if len(matches) > 1:
                continue  # standing alone twice in this document: a word, not an accident
            for match in matches:
                if _in_prose(text, match.start(), match.end()):
                    yield self._finding(text, match.start(), match.end(), split, lex)

    def _splittable_word(self, word: str, lex: Lexicon) -> bool | None:
        """Whether a lower-case word could split as written in lower case or capitalised
        (a name: `Koreawhich`); None when only an acronym run into a word could
        (`NATOless`), which depends on how the document writes it."""
        if word in self._splittable_words:
            return self._splittable_words[word]
        verdict: bool | None
        if len(word) > MAX_SPLIT_LENGTH or not _has_split_ending(word, _split_rights(lex.lang)):
            verdict = False  # too long, or no ending that any split could take off
        elif self._splittable_token(word, lex) or self._splittable_token(word.capitalize(), lex):
            verdict = True
        elif any(  # the acronym test of `_split`, optimistically: a common word after
            len(word) - i >= 3 and word[i:].isalpha() and lex.zipf(word[i:]) >= 3.5
            for i in range(2, min(len(word) - 2, 7))
        ):
            verdict = None
        else:
            verdict = False
        if len(self._splittable_words) > 1 << 16:
            self._splittable_words.clear()
        self._splittable_words[word] = verdict
        return verdict

    def _splittable_token(self, token: str, lex: Lexicon) -> bool:
        """Whether some split could explain the token, were its left part seen alone in
        the corpus (memoised per run: names recur from one document to the next)."""
        known = self._splittable.get(token)
        if known is None:
            known = (
                not (
                    token in self.context.accept
                    or ("-" in token and lex.knows(token))  # known parts: rules-based
                    or _inflects_known(token, lex)  # a known word inflected: minehunters
                )
                and self._split(token, lex, SEEN_EVERYWHERE) is not None
            )
            if len(self._splittable) > 1 << 16:
                self._splittable.clear()
            self._splittable[token] = known
        return known

    def _finding(self, text: str, start: int, end: int, split: Split, lex: Lexicon) -> Finding:
        at = start + len(split.left)
        token = text[start:end]
        fix = Fix.safe(f"Insert a space: '{split.left} {split.right}'", Edit(at, at, " "))
        finding = self.finding(
            start,
            end,
            f"'{token}' looks like '{split.left}' + '{split.right}' run together",
            fix,
        )
        if self._takes_comma(text, start, split, lex):
            return self.finding(
                start,
                end,
                finding.message + " (a comma was probably dropped too)",
                fix,
                alternative=Fix.unsafe(
                    f"Insert a comma and a space: '{split.left}, {split.right}'",
                    Edit(at, at, ", "),
                ),
            )
        if lex.lang == "en" and token.islower() and _lost_to(split):
            return self.finding(
                start,
                end,
                finding.message + " ('to' was probably lost too)",
                fix,
                alternative=Fix.unsafe(
                    f"Insert 'to': '{split.left} to {split.right}'", Edit(at, at, " to ")
                ),
            )
        return finding

    def _split(self, token: str, lex: Lexicon, stats: Seen) -> Split | None:
        """The best-supported split of a token, or None when none is confident."""
        if len(token) > MAX_SPLIT_LENGTH:
            return None
        if token[:2].isupper():  # an acronym run into a word: NATOless
            k = len(token) - len(token.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            left, right = token[:k], token[k:]
            if (
                len(left) >= 2
                and len(right) >= 3
                and right.isalpha()
                and right.islower()
                and lex.zipf(right) >= 3.5
                and (stats[left] > 0 or lex.zipf(left) >= 2.5)
            ):
                return Split(left, right, lex.zipf(right))
            return None
        capitalised = token[0].isupper()
        if not capitalised and not token.islower():
            return None  # mixed case inside (McDonald, iPhone): a name, not an accident
        # The lexicon knows the commonest run-togethers of the web (`havebeen` 1.5,
        # `ofthe` 3.3) as well as rare real words (`shipowner` 2.2): the more frequent
        # the token itself, the stronger the evidence a split needs.
        token_zipf = lex.zipf(token)
        if token_zipf >= KNOWN_WORD_ZIPF:
            return None
        if token_zipf >= 2.0:  # only a grammar word run into `the`: ofthe, inthe
            left, right = token[: -len(lex.commonest)], token[-len(lex.commonest) :]
            if token.endswith(lex.commonest) and left.lower() in lex.grammar_words:
                return Split(left, right, 0.0)
            return None
        best: Split | None = None
        rights = _word_split_rights(lex.lang)
        for i in range(3, len(token) - 1):
            left, right = token[:i], token[i:]
            if right not in rights:
                continue  # no word that `_score` could take off: most split points
            if not (right.isalpha() and right.islower() and left[-1].isalpha()):
                continue
            if token_zipf and not (
                left.lower() in lex.grammar_words and right in lex.function_words
            ):
                # a token the lexicon has seen splits only into two grammar words
                # (`thisis`, `fromthe`, `lastweek`): a name or a word otherwise (`Kuwaitis`,
                # `warred`, `refits`, `paydays`)
                continue
            score = self._score(left, right, capitalised, lex, stats)
            if score is not None and (best is None or score > best.score):
                best = Split(left, right, score)
        return best

    def _score(
        self, left: str, right: str, capitalised: bool, lex: Lexicon, stats: Seen
    ) -> float | None:
        right_zipf = lex.zipf(right)
        function_word = right in lex.function_words
        left_zipf = min(lex.zipf(part) for part in left.split("-"))
        seen_alone = stats[left] > 0
        common_right = _common_right(right, lex)
        # a compound, also capitalised at the start of a sentence or as a name
        # (Cyberdefence, Dronemakers, Europewide, Russianness), or a word made of a name
        # (Kharkivan)
        compound = left.lower() in word_list(lex.lang, "compound-prefixes") or right in word_list(
            lex.lang, "compound-heads"
        )
        if compound or (capitalised and right in word_list(lex.lang, "name-endings")):
            return None
        if capitalised:
            confident = _confident_after_capital(left, right, left_zipf, seen_alone, lex)
        else:
            confident = (
                left_zipf >= 3.0 and ((function_word and len(right) >= 3) or common_right)
            ) or (function_word and left_zipf >= 4.0 and len(left) >= 4)
        if not confident:
            return None
        return right_zipf + min(left_zipf, 5.0) + 1.5 * seen_alone + function_word

    def _takes_comma(self, text: str, start: int, split: Split, lex: Lexicon) -> bool:
        """Whether the dropped punctuation was a comma: before a relative pronoun or a
        concessive, or before a verb that closes an appositive or relative clause."""
        if split.right in word_list(lex.lang, "comma-before"):
            return True
        if split.right not in word_list(lex.lang, "clause-close"):
            return False
        before = text[max(0, start - SENTENCE_WINDOW) : start]
        sentence = re.split(r"[.!?]\s|\n", before)[-1]
        name_follows_comma = split.left[0].isupper() and OPEN_APPOSITIVE.search(before)
        return bool(name_follows_comma or OPEN_RELATIVE.search(sentence))


def _lost_to(split: Split) -> bool:
    """A singular noun run into a verb that is only ever a bare infinitive (`warundo`):
    machine translation dropped the `to` between them (`a long war to undo ...`)."""
    left, right = all_lemmas(split.left), all_lemmas(split.right)
    return (
        split.left in left.get("NOUN", ())
        and set(right) == {"VERB"}
        and right["VERB"] == (split.right,)
    )


def _in_prose(text: str, start: int, end: int) -> bool:
    """Whether the token at text[start:end] stands in prose, not in a URL, an e-mail
    address, a hashtag or a code."""
    chunk_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    chunk_end = min(
        (i for i in (text.find(" ", end), text.find("\n", end)) if i >= 0), default=len(text)
    )
    return not NOT_PROSE.search(text[chunk_start:chunk_end])


# a word broken at a line end: `govern-` / `ment` (not a dash: no space before it)
BROKEN = re.compile(r"(?<![\w-])([^\W\d_]+)-(\r\n|\r|\n)([^\W\d_]+)(\S*) ?")
# the quick test of a text without one: a pattern that begins with one character is
# searched for it in a loop in C, one pass, where `"-\n" in text or "-\r" in text`
# made two, at twice the cost (callgrind)
HYPHEN_AT_LINE_END = re.compile("-[\r\n]")


@register
class BrokenHyphenation(DocumentRule):
    """## What it flags
    A word broken across a line end with a hyphen, as print layout and PDF extraction
    leave it (`govern-` / `ment`), where the joined word is common and either more
    frequent than both parts or one part is no word of its own (`pro-` / `posal`). A
    real compound broken at its own hyphen (`well-` / `known`: `wellknown` is no word;
    `co-` / `ordinate`) is left alone.

    ## Why it matters
    The two halves are two unknown words for search and tokenisers; `government` is
    lost from the index and from the vocabulary.

    ## Example
    ```
    the govern-
    ment of Ukraine
    ```
    Fix (safe): the word is joined on the first line and the line break kept after it:
    `the government` / `of Ukraine`.
    """

    code = "W102"
    name = "broken-hyphenation"
    summary = "A word broken across a line end (govern- / ment)"
    fix_availability = FixAvailability.SAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        lex = lexicon(self.context.lang)
        if lex is None or not HYPHEN_AT_LINE_END.search(doc.text):
            return
        for match in BROKEN.finditer(doc.text):
            left, line_break, right, rest = match.group(1, 2, 3, 4)
            joined = left + right
            if not right.islower() or not _more_frequent_joined(lex, joined, left, right):
                continue
            start, end = match.start(1) + len(left), match.end()
            # the rest of the line moves up behind the word; when nothing is left of the
            # line, the line goes too: no empty line (a paragraph break) is made
            if end == len(doc.text) or doc.text[end] in "\r\n":
                line_break = ""
            yield self.finding(
                match.start(1),
                match.end(3),
                f"'{left}-' and '{right}' look like the word '{joined}' broken at a line end",
                Fix.safe(f"Join '{joined}'", Edit(start, end, right + rest + line_break)),
            )


def _more_frequent_joined(lex: Lexicon, joined: str, left: str, right: str) -> bool:
    """Whether the halves make a common word, more frequent than either half, or one of
    the halves is no word of its own (`pro-` / `posal`, `in-` / `vestigation`)."""
    joined_zipf = lex.zipf(joined)
    halves = lex.zipf(left), lex.zipf(right)
    return joined_zipf >= COMMON_ZIPF and (joined_zipf > max(halves) or min(halves) < FRAGMENT_ZIPF)


@register
class SplitWord(CorpusRule[set[DocKey]]):
    """## What it flags
    A known word split in two by a stray space (`inter national`, `Pyong yang`): the
    joined word is common, at least as frequent as one of its parts, and far more
    frequent than the two parts would be side by side by chance. Pairs with a function
    word (`a part`, `can not`, `any one`), pairs of capitalised words, which are names
    (`Hong Kong`, `Sri Lanka`), and pairs that style guides write apart (`per cent`)
    are left alone.

    ## Why it matters
    A split word is two meaningless tokens for search and for models; OCR, PDF
    extraction and careless editing leave them.

    ## Example
    ```
    the inter national community and Pyong yang
    ```
    Fix (unsafe, since two real words can stand side by side):
    `the international community and Pyongyang`.

    The rule is corpus-scope only for speed: the corpus pass notes the documents that
    hold a candidate pair, and only those are read again.
    """

    code = "W103"
    name = "split-word"
    summary = "A word split in two by a stray space (inter national)"
    fix_availability = FixAvailability.UNSAFE

    def collect(self, doc: Document) -> set[DocKey]:
        lex = lexicon(self.context.lang)
        return {doc_key(doc)} if lex and _candidate_joins(doc, lex) else set()

    def merge(self, first: set[DocKey], second: set[DocKey]) -> set[DocKey]:
        first |= second
        return first

    def dependency(self, shard: set[DocKey], stats: set[DocKey]) -> Any:
        # whether a document is read again is known from its own statistics
        return None

    def check(self, doc: Document, stats: set[DocKey]) -> Iterator[Finding]:
        lex = lexicon(self.context.lang)
        if lex is None or doc_key(doc) not in stats:
            return
        for word in _candidate_joins(doc, lex):
            yield from self._pairs(doc.text, word, lex)

    def _pairs(self, text: str, word: str, lex: Lexicon) -> Iterator[Finding]:
        for left, right in _joinable_splits(lex.lang, word):
            pair = re.compile(
                r"(?<![\w'’-])(" + left + r") (" + right + r")(?![\w'’-])", re.IGNORECASE
            )
            for match in pair.finditer(text):
                first, second = match.group(1, 2)
                if first[0].isupper() and second[0].isupper():
                    continue  # a name of two words
                yield self.finding(
                    match.start(),
                    match.end(),
                    f"'{first} {second}' looks like the word '{first}{second}' split in two",
                    Fix.unsafe(f"Join '{first}{second}'", Edit(match.end(1), match.start(2), "")),
                )


def _candidate_joins(doc: Document, lex: Lexicon) -> list[str]:
    """The common words that two neighbouring words of the document join into, and
    that W103 would join.

    The words that any two of the document's words would join into come first: in
    news there are none, and then no neighbouring pair is joined at all (joining every
    pair, about 215 in a news article, cost 860 instructions a pair in C: a fifth of
    the W rules)."""
    possible = _joinable_words(chunk_set(doc), lex.lang)
    if not possible:
        return []
    chunks = chunk_words(doc)
    joined = possible.intersection(map(operator.add, chunks, chunks[1:]))
    return sorted(word.decode("utf-8", "surrogatepass") for word in joined)


def _joinable_words(present: set[bytes], lang: str) -> set[bytes]:
    """The common words (encoded) that split, as W103 would join them, into two of
    these words. The words that begin a common word are looked up with the words that
    can follow them, in C; only the pairs found are joined and tested."""
    lefts = present.intersection(_left_parts(lang))
    rights = _right_parts(lang)
    if all(map(present.isdisjoint, map(rights.__getitem__, lefts))):
        return set()  # (nearly every document)
    return rights.joinable(lefts, present)


@kept()
def _left_parts(lang: str) -> frozenset[bytes]:
    """Every left part of a split that W103 could join (encoded), and more: the
    beginnings of the common words, two bytes long at least and two bytes short of the
    word at most, but the grammar words (`_joinable_splits` counts characters, each a
    byte or more)."""
    lex = lexicon(lang)
    assert lex is not None
    parts = {word[:i] for word in lex.common_bytes for i in range(2, len(word) - 1)}
    return frozenset(parts.difference(_grammar_bytes(lang)))


class _RightParts(dict[bytes, frozenset[bytes]]):
    """The right parts that each left part of `_left_parts` could be joined with, and
    more: the rest of every common word it begins, two bytes long at least, but the
    grammar words (found when first asked for), less the parts found not to join."""

    def __init__(self, lex: Lexicon) -> None:
        super().__init__()
        self.lang = lex.lang
        self.words = sorted(lex.common_bytes)

    def __missing__(self, left: bytes) -> frozenset[bytes]:
        # the words that begin with `left` sort before it followed by a byte UTF-8 never has
        first, last = (bisect.bisect_left(self.words, key) for key in (left, left + b"\xff"))
        rests = {word[len(left) :] for word in self.words[first:last]}
        rights = frozenset(rest for rest in rests if len(rest) >= 2)
        found = self[left] = rights.difference(_grammar_bytes(self.lang))
        return found

    def joinable(self, lefts: set[bytes], present: set[bytes]) -> set[bytes]:
        """The words that these left parts and the right parts present join into, as
        W103 would join them."""
        words = set()
        for left in lefts:
            for right in present.intersection(self[left]):
                if (left, right) in _joinable_byte_splits(self.lang, left + right):
                    words.add(left + right)
                else:  # forgotten, so that the quick test passes over the pair from now
                    # on: `end` + `less`, `week` + `end` and four more sent two news
                    # articles in three here
                    self[left] = self[left].difference((right,))
        return words


@functools.lru_cache(maxsize=16)  # one a language
def _right_parts(lang: str) -> _RightParts:
    lex = lexicon(lang)
    assert lex is not None
    return _RightParts(lex)


@functools.cache
def _grammar_bytes(lang: str) -> frozenset[bytes]:
    lex = lexicon(lang)
    assert lex is not None
    return frozenset(word.encode() for word in lex.grammar_words)


@functools.lru_cache(maxsize=1 << 16)
def _joinable_byte_splits(lang: str, word: bytes) -> tuple[tuple[bytes, bytes], ...]:
    """`_joinable_splits` of an encoded word, encoded (the hot path works in bytes)."""
    splits = _joinable_splits(lang, word.decode("utf-8", "surrogatepass"))
    return tuple((left.encode(), right.encode()) for left, right in splits)


@functools.lru_cache(maxsize=1 << 16)
def _joinable_splits(lang: str, word: str) -> tuple[tuple[str, str], ...]:
    """The ways a common word splits into two parts that W103 would join (memoised:
    the same common words come up in every document)."""
    lex = lexicon(lang)
    assert lex is not None
    return tuple(
        (word[:i], word[i:])
        for i in range(2, len(word) - 1)
        if _joinable(lex, word, word[:i], word[i:])
        and f"{word[:i]} {word[i:]}" not in word_list(lang, "open-compounds")
    )


def _joinable(lex: Lexicon, word: str, left: str, right: str) -> bool:
    if left in lex.grammar_words or right in lex.grammar_words:
        return False
    joined, first, second = lex.zipf(word), lex.zipf(left), lex.zipf(right)
    # side by side by chance, two words are about as frequent as the product of theirs
    by_chance = first + second - 9 if first and second else -9.0
    return joined >= COMMON_ZIPF and joined >= min(first, second) and joined - by_chance >= 3.0


_SPLITTER = RunTogetherWord()


def strip_run_together(token: str, lex: Lexicon) -> str:
    """A token without the word run into its end where a split is likely, whatever the
    corpus says (`Koreawhich` → `Korea`): the N rules count and compare names without
    the accident."""
    # an acronym takes any known word off (`NATOwar`), a name only what `_score` accepts
    rights = _split_rights(lex.lang) if token[:2].isupper() else _word_split_rights(lex.lang)
    if (
        token.lower() in lex.common
        or not _has_split_ending(token, rights)  # (most names)
        or not _SPLITTER._splittable_token(token, lex)
    ):
        return token
    split = _SPLITTER._split(token, lex, SEEN_EVERYWHERE)
    return split.left if split else token
