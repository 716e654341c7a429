"""T: translation artefacts, and the strings a user's reject vocabulary names.

The T1xx rules report the stock mistakes of machine translation into the corpus
language. What they look for is data, one file a language pair:
`data/mt-artefacts.<source>-<target>.txt` (see the Spanish-to-English one for the
format); the rules read every pair whose target is the corpus language, so supporting
another source language means adding a file, not code. None of them offers a fix: the
right word depends on the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from textmend.document import Document, Terms, terms_pattern
from textmend.rule import DocumentRule, Finding, RuleContext, register
from textmend.rules.lexicon import all_lemmas, lexicon
from textmend.rules.wordlists import base_lang, sources_into, table, word_list

# ---------------------------------------------------------------- the artefact data

ARTEFACTS = "mt-artefacts"


@dataclass(frozen=True)
class Artefact:
    """One line of an artefact file: what the translation wrote, and what it stood for."""

    kind: str  # article, conjunction, place
    word: str  # as the translation writes it (he, yeah, Taste)
    source: str  # the source word (el, si, Catar)
    meaning: str  # what the source word means (the, if, Qatar)
    language: str  # the source language, as messages name it (Spanish)
    cues: frozenset[str] = frozenset()  # place: the words that must directly precede it

    def origin(self, capitalised: bool = False) -> str:
        """`Spanish 'el' (the)`, for messages; `'El'` when the artefact was capitalised."""
        source = self.source[:1].upper() + self.source[1:] if capitalised else self.source
        return f"{self.language} '{source}' ({self.meaning})"


@cache
def artefacts(lang: str, kind: str) -> tuple[Artefact, ...]:
    """The artefacts of one kind from every language pair into the corpus language."""
    target = base_lang(lang)
    found = []
    for source in sources_into(ARTEFACTS, target):
        rows = table(f"{source}-{target}", ARTEFACTS)
        language = next((row[1] for row in rows if row[0] == "language" and len(row) > 1), source)
        for row in rows:
            if row[0] == kind and len(row) >= 4:
                cues = row[4].split(",") if len(row) > 4 else []
                found.append(
                    Artefact(
                        kind,
                        row[1],
                        row[2],
                        row[3],
                        language,
                        frozenset(c.strip() for c in cues if c.strip()),
                    )
                )
    return tuple(found)


def _words_pattern(words: dict[str, Artefact]) -> Terms | None:
    """Any of the words, whole (not part of a longer word, a hyphenated one or an
    elision), capturing the word."""
    return terms_pattern(words, r"[\w'’-]", r"(?![\w-]|['’]\w)", capture=True)


class ArtefactRule(DocumentRule):
    """A T rule that looks for artefact words: the words and their pattern depend on the
    context only, so they are built once, with the rule, not once a document."""

    def __init__(self, context: RuleContext | None = None) -> None:
        super().__init__(context)
        self.entries = self.artefact_words()
        self.pattern = _words_pattern(self.entries)

    def artefact_words(self) -> dict[str, Artefact]:
        """The words to look for, as written in the text, and their artefacts."""
        raise NotImplementedError


# a word and the white space (on the same line) that separates it from what follows
WORD_BEFORE = re.compile(r"([\w'’-]+)[ \t]+$")
WORD_AFTER = re.compile(r"[ \t]+([\w'’-]+)")
# what may stand between a sentence's end and the next sentence's first word
OPENERS = "\"“‘'([«¿¡*–—- \t\u00a0"
CLOSERS = "\"”’')]»"
SENTENCE_ENDS = ".!?…"


def _word_before(text: str, start: int) -> str | None:
    """The word directly before `start`, separated from it by spaces alone."""
    match = WORD_BEFORE.search(text, max(0, start - 60), start)
    return match.group(1) if match else None


def _word_after(text: str, end: int) -> str | None:
    """The word directly after `end`, separated from it by spaces alone."""
    match = WORD_AFTER.match(text, end)
    return match.group(1) if match else None


def _sentence_start(text: str, start: int) -> bool:
    """Whether a sentence starts at `start`: at a line's start or after a sentence's end,
    with only opening quotes, brackets, dashes and spaces between."""
    i = start
    while i > 0 and text[i - 1] in OPENERS:
        i -= 1
    if i == 0 or text[i - 1] in "\r\n":
        return True
    while i > 0 and text[i - 1] in CLOSERS:
        i -= 1
    return i < start and text[i - 1] in SENTENCE_ENDS


def _line_of(text: str, start: int) -> tuple[int, int]:
    """The start and end offsets of the line holding `start`."""
    begin = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    ends = [i for i in (text.find("\n", start), text.find("\r", start)) if i >= 0]
    return begin, min(ends, default=len(text))


def _quoted(text: str, start: int) -> bool:
    """Whether `start` is inside a double-quoted quotation, as its line shows it: one
    opened before it and not closed, or a closing quote after it with none opening first."""
    begin, end = _line_of(text, start)
    depth = 0
    for char in text[begin:start]:
        if char in "“«„":
            depth += 1
        elif char in "”»":
            depth = max(0, depth - 1)
        elif char == '"':
            depth = 0 if depth else 1
    if depth:
        return True
    for char in text[start:end]:
        if char in "“«„":
            return False
        if char in "”»":
            return True
    return False


def _title_like(text: str, start: int) -> bool:
    """Whether the line holding `start` is a title, every longer word capitalised."""
    begin, end = _line_of(text, start)
    words = re.findall(r"[^\W\d_]{4,}", text[begin:end])
    return bool(words) and all(w[0].isupper() for w in words)


# ---------------------------------------------------------------- T101 article before a date


@cache
def _date_pattern(lang: str) -> re.Pattern[str] | None:
    """A date as it may follow an article at a sentence start: `November 5`, `Nov. 5`,
    `5 November`, `5th of November`, or a year (1000 to 2099)."""
    months = word_list(base_lang(lang), "months")
    if not months:
        return None
    names = "|".join(sorted(map(re.escape, months), key=lambda m: (-len(m), m)))
    return re.compile(
        rf"[ \t]+(?:(?:{names})\.?[ \t]+\d{{1,2}}(?!\d)"
        rf"|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?:{names})\b"
        rf"|(?:1\d|20)\d\d(?![\d%]|[.,]\d))"
    )


@register
class ArticleBeforeDate(ArtefactRule):
    """## What it flags
    An article of the source language, mistranslated as an English word, at the start
    of a sentence and directly before a date: a month name and a day, a day and a month
    name, or a year. Spanish `El 5 de noviembre` (on 5 November) comes out as
    `He November 5`. The artefacts are listed per language pair in
    `data/mt-artefacts.<source>-<target>.txt` (kind `article`).

    ## Why it matters
    The sentence now has a subject that is not there (`He November 5 the results...`):
    readers and models learn a construction no English writer uses, and the date loses
    its preposition. Such lines mark a document as machine-translated.

    ## Example
    ```
    If such steps are taken. He November 5 the results of the elections could...
    ```
    is reported: `'He' before a date: probably Spanish 'El' (the)`. There is no
    automatic fix: `On November 5` is one repair, but the sentence may need more.
    """

    code = "T101"
    name = "article-before-date"
    summary = "A mistranslated article before a date at a sentence start (He November 5)"

    def artefact_words(self) -> dict[str, Artefact]:
        return {a.word[:1].upper() + a.word[1:]: a for a in artefacts(self.context.lang, "article")}

    def check(self, doc: Document) -> Iterator[Finding]:
        dates, pattern, entries = _date_pattern(self.context.lang), self.pattern, self.entries
        if dates is None or pattern is None:
            return
        text = doc.text
        for match in pattern.finditer(text):
            if not dates.match(text, match.end()) or not _sentence_start(text, match.start()):
                continue
            word = match.group(1)
            origin = entries[word].origin(capitalised=True)
            yield self.finding(
                match.start(), match.end(), f"'{word}' before a date: probably {origin}"
            )


# ---------------------------------------------------------------- T102 article before a noun

NOT_NOUN = frozenset({"VERB", "AUX", "ADV"})
# a word that lemminflect does not list counts as a noun between these frequencies:
# known to readers, and rarer than function words (cannot, gonna: 5 and more)
KNOWN_ZIPF = 2.5
FUNCTION_ZIPF = 5.0


@lru_cache(maxsize=1 << 14)
def _noun_only(word: str, lang: str) -> bool:
    """Whether a word can only be a noun (or an adjective): `armistice`, `government`;
    not `results` (also a verb), `yesterday` (also an adverb), `himself`, `cannot`. Only
    English has the part-of-speech data (lemminflect): in other languages, never."""
    lex = lexicon(lang)
    if base_lang(lang) != "en" or lex is None or not word.isalpha() or not word.islower():
        return False
    if word in word_list("en", "not-nouns") or word in lex.grammar_words:
        return False
    lemmas = all_lemmas(word)
    if lemmas:
        return "NOUN" in lemmas and not NOT_NOUN.intersection(lemmas)
    # lemminflect lists no lemma for some plain nouns (armistice, gallery) and for names,
    # numbers and function words: a word of middling frequency that is no function word
    # and does not look inflected (an -s, -ed, -ing, -ly, or a -nt without its apostrophe)
    return (
        len(word) >= 4
        and word not in lex.function_words
        and KNOWN_ZIPF <= lex.zipf(word) < FUNCTION_ZIPF
        and not word.endswith(("s", "ed", "ing", "ly", "nt"))
    )


@lru_cache(maxsize=1 << 14)
def _governs_noun(word: str) -> bool:
    """Whether a noun phrase may follow an English word, so that an article belongs
    after it: a number (`in 1953`), a preposition (`of`, `in`) or a verb (`signed`), not
    an auxiliary (`was he president`) nor a conjunction (`when he`)."""
    if word.isdigit() or word in word_list("en", "prepositions"):
        return True
    if not word.islower():
        return False
    lemmas = all_lemmas(word)
    return "VERB" in lemmas and "AUX" not in lemmas


@register
class ArticleBeforeNoun(ArtefactRule):
    """## What it flags
    An article of the source language, mistranslated as an English word, in lower case
    between a word that a noun phrase follows (a number, a preposition or a verb) and a
    word that can only be a noun: Spanish `firmado en 1953 el armisticio` comes out as
    `signed in 1953 he armistice`. The noun is checked with lemminflect: a word that can
    also be a verb or an adverb (`he results`, `he yesterday`) is left alone, and so is
    `he` where it starts a clause (`when he left`, `he said`). The artefacts are listed
    per language pair in `data/mt-artefacts.<source>-<target>.txt` (kind `article`).

    ## Why it matters
    A pronoun where the article belongs turns a noun phrase into nonsense
    (`he armistice that stopped the war`), and the sentence still reads as English to
    a word counter. It marks a document as machine-translated.

    ## Example
    ```
    since it was signed in 1953 he armistice that stopped the inter-Korean war
    ```
    is reported: `'he' before a noun: probably Spanish 'el' (the)`. There is no
    automatic fix: the article is likely `the`, but the sentence may need more.
    """

    code = "T102"
    name = "article-before-noun"
    summary = "A mistranslated article before a noun (in 1953 he armistice)"

    def artefact_words(self) -> dict[str, Artefact]:
        return {a.word.lower(): a for a in artefacts(self.context.lang, "article")}

    def check(self, doc: Document) -> Iterator[Finding]:
        lang, pattern, entries = self.context.lang, self.pattern, self.entries
        if pattern is None:
            return
        text = doc.text
        for match in pattern.finditer(text):
            following = _word_after(text, match.end())
            if following is None or not _noun_only(following, lang):
                continue
            before = _word_before(text, match.start())
            if before is None or not _governs_noun(before):
                continue
            word = match.group(1)
            yield self.finding(
                match.start(),
                match.end(),
                f"'{word}' before a noun: probably {entries[word].origin()}",
            )


# ---------------------------------------------------------------- T103 conjunction mid-sentence


@register
class ConjunctionMidSentence(ArtefactRule):
    """## What it flags
    A source-language conjunction mistranslated as an English interjection, in the
    middle of a sentence, between two words and outside any quotation: Spanish `si`
    (if), read as `sí` (yes), comes out as `Yeah` (`in Far East Yeah North Korea would
    be threatened`). Colloquial uses are left alone: at a sentence start, in quoted
    speech, in a title, before punctuation, and next to the words that keep `yeah`
    company (`oh yeah`, `said yeah`, `yeah right`: data/interjection-company.en.txt).
    The artefacts are listed per language pair in
    `data/mt-artefacts.<source>-<target>.txt` (kind `conjunction`).

    ## Why it matters
    The condition of the sentence is lost (`if North Korea were threatened` becomes an
    interjection), so the sentence says something else, in a register the text never
    uses. It marks a document as machine-translated.

    ## Example
    ```
    a similar response from Moscow in Far East Yeah North Korea would be threatened.
    ```
    is reported: `'Yeah' mid-sentence: probably Spanish 'si' (if)`. There is no
    automatic fix: the conjunction is likely `if`, but the sentence may need more.
    """

    code = "T103"
    name = "conjunction-mid-sentence"
    summary = "A mistranslated conjunction mid-sentence (in Far East Yeah North Korea)"

    def artefact_words(self) -> dict[str, Artefact]:
        entries: dict[str, Artefact] = {}
        for artefact in artefacts(self.context.lang, "conjunction"):
            entries[artefact.word] = artefact
            entries[artefact.word[:1].upper() + artefact.word[1:]] = artefact
        return entries

    def check(self, doc: Document) -> Iterator[Finding]:
        lang, pattern, entries = self.context.lang, self.pattern, self.entries
        if pattern is None:
            return
        company = word_list(base_lang(lang), "interjection-company")
        text = doc.text
        for match in pattern.finditer(text):
            before = _word_before(text, match.start())
            after = _word_after(text, match.end())
            if (
                before is None
                or after is None
                or before.lower() in company
                or after.lower() in company
                or _quoted(text, match.start())
                or _title_like(text, match.start())
            ):
                continue
            word = match.group(1)
            yield self.finding(
                match.start(),
                match.end(),
                f"'{word}' mid-sentence: probably {entries[word].origin()}",
            )


# ---------------------------------------------------------------- T104 mistranslated place


@register
class MistranslatedPlace(ArtefactRule):
    """## What it flags
    A capitalised common word that a machine translation put for a place name it read
    as an ordinary word of the source language: Spanish `Catar` (Qatar; `catar`, to
    taste) comes out as `Taste`, `Gaza` (`gaza`, a loop of rope) as `Loop`. Each word is
    listed, with the words that must directly precede it (`by`, `attack`), per language
    pair in `data/mt-artefacts.<source>-<target>.txt` (kind `place`); elsewhere, before
    `of` (`the Taste of London`) and in a title, the word is left alone. A word that the
    reject vocabulary lists is left to T201 (rejected-term), so that it is reported once.

    ## Why it matters
    The place is gone from the text (`contacts mediated by Taste`): a reader cannot tell
    who mediated, and search and entity extraction miss the name.

    ## Example
    ```
    contacts between both countries mediated by Taste were frustrated
    ```
    is reported: `'Taste' after 'by': probably Spanish 'Catar' (Qatar)`. There is no
    automatic fix: the same word is an ordinary word in other sentences.
    """

    code = "T104"
    name = "mistranslated-place"
    summary = "A common word put for a place name (mediated by Taste, for Qatar)"

    def artefact_words(self) -> dict[str, Artefact]:
        # a word the reject vocabulary lists is T201's to report, everywhere
        rejected = set(self.context.reject)
        return {a.word: a for a in artefacts(self.context.lang, "place") if a.word not in rejected}

    def check(self, doc: Document) -> Iterator[Finding]:
        pattern, entries = self.pattern, self.entries
        if pattern is None:
            return
        text = doc.text
        for match in pattern.finditer(text):
            artefact = entries[match.group(1)]
            before = _word_before(text, match.start())
            if (
                before is None
                or before not in artefact.cues
                or _word_after(text, match.end()) == "of"
                or _title_like(text, match.start())
            ):
                continue
            yield self.finding(
                match.start(),
                match.end(),
                f"'{artefact.word}' after '{before}': probably {artefact.origin()}",
            )


# ---------------------------------------------------------------- T201 rejected term


@register
class RejectedTerm(DocumentRule):
    """## What it flags
    Every occurrence of an entry of the reject vocabulary: the files that the
    configuration's `reject-vocabulary` names, one string a line, matched as whole
    words and case-sensitively. With no reject vocabulary it flags nothing.

    ## Why it matters
    Each corpus has strings known to be wrong: a machine translation's stock mistakes
    (`Taste` for Qatar), a misspelt name, a placeholder left by a scraper. Listing
    them once keeps them out of every later document.

    ## Example
    With `Taste` in the reject vocabulary:
    ```
    contacts between both countries mediated by Taste were frustrated
    ```
    is reported: `'Taste' is in the reject vocabulary`. There is no automatic fix: the
    right word depends on the sentence.
    """

    code = "T201"
    name = "rejected-term"
    summary = "A string that the reject vocabulary lists"

    def __init__(self, context: RuleContext | None = None) -> None:
        super().__init__(context)
        self.pattern = terms_pattern(self.context.reject)

    def check(self, doc: Document) -> Iterator[Finding]:
        if self.pattern is None:
            return
        for match in self.pattern.finditer(doc.text):
            yield self.finding(
                match.start(), match.end(), f"'{match.group()}' is in the reject vocabulary"
            )
