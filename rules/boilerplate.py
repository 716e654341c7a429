"""B: boilerplate, the page around the article (navigation, widgets, related-stories
lists, contact lines, credits, hashtags, embed attributions).

Each line of a document is classified once (`classify`), with the phrase lists in
`rules/data/*.en.txt`; each B rule reports the lines of its kind. Headings inside the
body (`Zelensky’s complaints`) match none of the kinds and stay content. Every fix
deletes whole lines, and is unsafe: it removes text.
"""

from __future__ import annotations

import operator
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

from textmend.document import BoundedMemo, Document, Line
from textmend.rule import (
    CorpusRule,
    DocumentRule,
    Edit,
    Finding,
    Fix,
    FixAvailability,
    register,
)
from textmend.rules.duplication import normalised_digest
from textmend.rules.lexicon import lexicon
from textmend.rules.wordlists import word_list

MAX_LINE = 300  # a longer line is prose
HASHTAGS = re.compile(r"^(?:#\w[\w-]*[ \t]*){2,}$")
# `— Ursula von der Leyen (@vonderleyen) October 28, 2024`
EMBED = re.compile(r"^[—–-]\s*\S.{0,80}\(@\w{1,30}\)\s+[A-Z][a-z]+\.? \d{1,2}, \d{4}$")
CONTACT = re.compile(
    r"^(?:(?:e-?mail|contact|tel|phone|fax)\s*:?\s*)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+$",
    re.IGNORECASE,
)
# `Comments0`, `Comments (12)`, `Shares: 120`, `12 Comments`
COUNTS = r"(?:comments?|repl(?:y|ies)|likes?|shares?|views?)"
COUNTER = re.compile(rf"^(?:{COUNTS}\s*[(:]?\s*\d+\)?|\d+\s+{COUNTS})$", re.IGNORECASE)
# the kinds a line is known by as a whole, by code, in the order they are tried
WHOLE_LINE_KINDS = {
    "B106": (HASHTAGS, "a line of hashtags"),
    "B107": (EMBED, "the attribution line of an embedded social-media post"),
    "B104": (CONTACT, "a contact or e-mail line"),
    "B102": (COUNTER, "a comment or share counter"),
}
# all of them in one pattern, each in a group named by its code (one match call a line
# rather than four: 2.5 times as fast on a line of prose, which all four turn away)
WHOLE_LINE = re.compile(
    "|".join(
        f"(?P<{code}>(?{'i' if pattern.flags & re.IGNORECASE else ''}:{pattern.pattern}))"
        for code, (pattern, _) in WHOLE_LINE_KINDS.items()
    )
)
NUMBER = re.compile(r"^\d{1,6}$")
LABEL = re.compile(r"^\[[^\]]{1,30}\]\s*")
BULLET = re.compile(r"^\s*(?:[•·▪►◦*-]|\d{1,2}[.)])\s+\S")
BREADCRUMB = re.compile(r"^[-–—>»|/]+\s*")
TRAIL_MARKS = ">»›|/"  # what separates the parts of a breadcrumb trail
TRAIL = re.compile(rf"\s+[{TRAIL_MARKS}]\s+")  # `Home > World > Europe`
NAME = r"[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3}"
# `By Jane Smith`, `By Hwang Min-ji and Oleksandr Petrenko`, `By Anna Kowalska, Reuters`
BYLINE = re.compile(rf"^By {NAME}(?:(?:,| and| &) {NAME}){{0,3}}$")
SENTENCE_CLOSERS = "\"”’')]"  # what may follow the full stop of a sentence


@dataclass(frozen=True)
class Boilerplate:
    """Lines `first` to `last` (indexes into `doc.lines`) are boilerplate of a kind."""

    code: str
    first: int
    last: int
    reason: str


@cache
def _phrases(lang: str, name: str) -> frozenset[str]:
    """A phrase list, lower-cased with hyphens as spaces and apostrophes straight."""
    return frozenset(p.replace("-", " ").replace("’", "'") for p in word_list(lang, name))


@cache
def _phrase_start(lang: str, name: str) -> re.Pattern[str]:
    """What `_starts_with` looks for: a phrase of the list, longest first, then the end
    of the text, a space or a colon; one pattern tried in C rather than a loop over the
    phrases for every line."""
    phrases = sorted(_phrases(lang, name), key=lambda p: (-len(p), p))
    if not phrases:
        return re.compile(r"(?!)")
    return re.compile("(?:" + "|".join(map(re.escape, phrases)) + r")(?=\Z|[ :])")


def _plain(text: str) -> str:
    """Lower case, hyphens as spaces, apostrophes straight (`Editor’s picks`), white
    space folded, end punctuation off."""
    folded = text.lower().replace("-", " ").replace("’", "'")
    return " ".join(folded.split()).rstrip(".…:;!?, ")


def _starts_with(plain: str, lang: str, name: str) -> str | None:
    """The phrase of a list that a `_plain` text is, or starts with before a space or a
    colon (`Read more:`)."""
    match = _phrase_start(lang, name).match(plain)
    return match.group() if match else None


def _is_sentence(text: str) -> bool:
    """Ends as a sentence does (a full stop, not an ellipsis), perhaps inside a quote
    or brackets."""
    return text.rstrip(SENTENCE_CLOSERS)[-1:] in (".", "!", "?") and not text.endswith(("...", "…"))


def classify(doc: Document, lang: str) -> list[Boilerplate]:
    """The boilerplate lines and blocks of a document, found once for every B rule."""
    return doc.cached(*_classification(lang))


@cache
def _classification(lang: str) -> tuple[str, Callable[[Document], list[Boilerplate]]]:
    """The document cache's key of `classify` and the function that computes it, made
    once a language rather than at each of the eight calls a document."""
    return f"boilerplate-{lang}", lambda doc: _classify(doc.lines, lang)


def _classify(lines: list[Line], lang: str) -> list[Boilerplate]:
    found: list[Boilerplate] = []
    texts = [line.text.strip() for line in lines]
    header_limit = _header_limit(lang)
    i = 0
    while i < len(lines):
        text = texts[i]
        if not text or len(text) > MAX_LINE:
            i += 1
            continue
        block = _list_block(texts, i, lang) if len(text) <= header_limit else None
        if block is not None:
            found.append(block)
            i = block.last + 1
            continue
        kind = _line_kind(text, lang)
        if kind is not None:
            found.append(Boilerplate(kind[0], i, i, kind[1]))
        i += 1
    return _with_lone_numbers(found, texts)


def _line_kind(text: str, lang: str) -> tuple[str, str] | None:
    whole = WHOLE_LINE.match(text)
    if whole:
        code = str(whole.lastgroup)
        return code, WHOLE_LINE_KINDS[code][1]
    words = _words_up_to_16(text)
    sentence = _is_sentence(text)
    # a sentence of more than 15 words is prose: no phrase or credit test applies
    kind = None if sentence and words > 15 else _phrase_kind(text, words, sentence, lang)
    if kind is None and _may_be_label(text, words) and _section_label(text, lang):
        return "B105", "a site section label or breadcrumb"
    return kind


def _words_up_to_16(text: str) -> int:
    """The number of words of the text, or 16 for more: what `_line_kind` and the
    tests it calls compare (with 4, 8 and 15), without making a string of each word of
    a long line (the words of a paragraph of prose, split, were 14% of B's time)."""
    return len(text.split(None, 15))


def _phrase_kind(text: str, words: int, sentence: bool, lang: str) -> tuple[str, str] | None:
    """Navigation, widget and credit lines, known by the phrase they start with."""
    plain = _plain(text)
    if not sentence:
        phrase = _starts_with(plain, lang, "navigation")
        if phrase:
            return "B101", f"site navigation ('{phrase}')"
        if words <= 8:
            phrase = _starts_with(plain, lang, "widgets")
            if phrase:
                return "B102", f"a share, comment or subscription widget ('{phrase}')"
    if words <= 15:
        phrase = _credit(text, plain, lang)
        if phrase or BYLINE.match(text):
            return "B105", f"a credit or byline ('{phrase or 'By'}')"
    return None


def _credit(text: str, plain: str, lang: str) -> str | None:
    """The credit phrase the line starts with. In a line that ends as a sentence, a
    phrase with no colon of its own is followed by a name, a year or `©` (`Reporting by
    Jane Smith.`, `Copyright 2024 ...`): `Copyright law was ...` and `Written by a
    former spy, ...` are prose."""
    phrase = _starts_with(plain, lang, "credits")
    if phrase is None or phrase.endswith((":", "©")) or not _is_sentence(text):
        return phrase
    rest = text.replace("-", " ").split()[len(phrase.split()) :]
    return phrase if not rest or rest[0][:1].isupper() or rest[0][:1] in "0123456789©(" else None


def _may_be_label(text: str, words: int) -> bool:
    """What `_section_label` asks, told cheaply for most lines: a label has three words at
    most (four with a leading mark), or its parts are separated by a trail mark."""
    return words <= 4 or _has_trail_mark(text)


def _has_trail_mark(text: str) -> bool:
    """Whether the text holds one of TRAIL_MARKS: one `in` test a mark, written out (a
    generator over the marks took 3.5 times as long, on most lines of prose)."""
    return ">" in text or "»" in text or "›" in text or "|" in text or "/" in text


def _section_label(text: str, lang: str) -> bool:
    """`BEMIL Views`, `Yonhap News`, `- News`, `Home > World > Europe`: a brand and a
    section word, a breadcrumb of section words, or a breadcrumb trail of short parts
    with a section word among them (a heading such as `Good News` is not: `good` is a
    common word)."""
    marked = BREADCRUMB.match(text)
    body = text[marked.end() :] if marked else text
    sections = word_list(lang, "section-words")
    parts = TRAIL.split(body)
    if len(parts) > 1:
        return all(1 <= len(p.split()) <= 3 for p in parts) and any(
            p.lower() in sections for p in parts
        )
    words = body.split()
    if not 1 <= len(words) <= 3 or words[-1].lower() not in sections:
        return False
    if marked:
        return all(w.lower() in sections for w in words)
    lex = lexicon(lang)
    brands = words[:-1]
    return bool(brands) and all(
        (w.isupper() and len(w) >= 2)
        or (w[:1].isupper() and lex is not None and lex.name_like(w.lower()))
        for w in brands
    )


@cache
def _header_limit(lang: str) -> int:
    """The longest line that can be a list header: a label (`[Latest]`), white space,
    the longest header; a longer line is not looked at as one."""
    return 50 + 2 * max(map(len, _phrases(lang, "list-headers")), default=0)


def _list_block(texts: list[str], at: int, lang: str) -> Boilerplate | None:
    """A related-stories list: its header (`[Latest] Popular Now`) and the bullet lines
    that follow it."""
    header = LABEL.sub("", texts[at])
    plain = _plain(header)
    if plain not in _phrases(lang, "list-headers"):
        return None
    last = None
    i = at + 1
    while i < len(texts) and (not texts[i] or BULLET.match(texts[i])):
        if texts[i]:
            last = i
        i += 1
    if last is None:
        return None
    return Boilerplate("B103", at, last, f"a related-stories list ('{header}')")


def _with_lone_numbers(found: list[Boilerplate], texts: list[str]) -> list[Boilerplate]:
    """Add lone numbers beside a widget (`300` next to `Comments0`): its counter."""
    widgets = {b.first for b in found if b.code == "B102"}
    if not widgets:  # (most documents: `found` is in line order already)
        return found
    extra = []
    for i, text in enumerate(texts):
        if not NUMBER.match(text):
            continue
        above = next((j for j in range(i - 1, -1, -1) if texts[j]), None)
        below = next((j for j in range(i + 1, len(texts)) if texts[j]), None)
        if above in widgets or below in widgets:
            extra.append(Boilerplate("B102", i, i, "a counter beside a widget"))
    return sorted([*found, *extra], key=lambda b: b.first)


def _line_deletion(lines: list[Line], first: int, last: int) -> Edit:
    """The edit that deletes lines `first` to `last` with their line break."""
    if last + 1 < len(lines):
        return Edit(lines[first].start, lines[last + 1].start, "")
    if first > 0:  # the last line: take the line break before it
        return Edit(lines[first - 1].end, lines[last].end, "")
    return Edit(lines[first].start, lines[last].end, "")


class BoilerplateRule(DocumentRule):
    """The B rules report the lines that `classify` gives their code."""

    fix_availability = FixAvailability.UNSAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        found = classify(doc, self.context.lang)
        # (most documents have no boilerplate: no generator for them)
        return self._findings(doc, found) if found else iter(())

    def _findings(self, doc: Document, found: list[Boilerplate]) -> Iterator[Finding]:
        lines = doc.lines
        for item in found:
            if item.code != self.code:
                continue
            first, last = lines[item.first], lines[item.last]
            deleted = _line_deletion(lines, item.first, item.last)
            count = item.last - item.first + 1
            what = "line" if count == 1 else f"{count} lines"
            yield self.finding(
                first.start,
                last.end,
                f"boilerplate: {item.reason}",
                Fix.unsafe(f"Delete the {what}", deleted),
            )


@register
class NavigationLine(BoilerplateRule):
    """## What it flags
    Site navigation and accessibility links left in the text by extraction:
    `Quick access to main page (top) Direct access to main contents`, `Skip to
    content`, `Back to top` (the phrases are in `rules/data/navigation.en.txt`).

    ## Why it matters
    They are not part of the article; they repeat on every page of a site, skew
    statistics and teach models to produce menus.

    ## Example
    ```
    Quick access to main page (top) Direct access to main contents
    ```
    Fix (unsafe: it deletes text): the line is deleted.
    """

    code = "B101"
    name = "navigation-line"
    summary = "Site navigation and accessibility links"


@register
class WidgetLine(BoilerplateRule):
    """## What it flags
    Share, follow, subscribe, comment and cookie widgets (`Share it on...`,
    `Follow us`, `We use cookies`), comment counters (`Comments0`, `12 Comments`), and
    a lone number beside one of them (the `300` of a comment box's character counter).
    A line that ends as a sentence does is content, whatever it starts with.

    ## Why it matters
    Widget text is page furniture: it is in no article and distorts everything
    computed on the text.

    ## Example
    ```
    Comments0

    300
    ```
    Fix (unsafe): both lines are deleted.
    """

    code = "B102"
    name = "widget-line"
    summary = "Share, comment, subscribe and cookie widgets, counters"


@register
class RelatedList(BoilerplateRule):
    """## What it flags
    A related-stories list: its header (`[Latest] Latest Stories`, `Popular Now`,
    `Must-Reads`, `You may also like`) and the bullet lines under it, as one finding
    that spans the block.

    ## Why it matters
    The list's headlines belong to other articles: left in, they mix other stories
    into this one and repeat across every page of the site.

    ## Example
    ```
    [Latest] Popular Now

      • Top Troops Compete: Army's Best Squads Battle for Glory
      • KAI and Boeing Seal $8.5 billion Deal for B737MAX Aircraft Parts
    ```
    Fix (unsafe): the header and its bullet lines are deleted.
    """

    code = "B103"
    name = "related-list"
    summary = "A related-stories list: header and bullets"


@register
class ContactLine(BoilerplateRule):
    """## What it flags
    A line that is only a contact: an e-mail address, with or without `E-mail:` or
    `Contact:` before it (`CP-2023-0359@fastviewkorea.com`).

    ## Why it matters
    A contact line is the site's, not the article's, and an e-mail address is
    personal data that a corpus should not carry.

    ## Example
    ```
    CP-2023-0359@fastviewkorea.com
    ```
    Fix (unsafe): the line is deleted.
    """

    code = "B104"
    name = "contact-line"
    summary = "A line that is only an e-mail address or contact"


@register
class CreditLine(BoilerplateRule):
    """## What it flags
    Credit lines and bylines (`Translation by Iurie Tataru`, `Photo: Reuters`,
    `By Jane Smith`), and site section labels and breadcrumbs: a brand and a section
    word (`BEMIL Views`, `Yonhap News`), section words after a breadcrumb mark
    (`- News`), a trail with a section word in it (`Home > World > Europe`). A heading
    of common words (`Good News`) is not a label, and a sentence that starts with a
    credit word (`Copyright law was ...`) is prose.

    ## Why it matters
    Credits and labels are metadata, not text: they belong in fields of the record,
    and left in the text they are read as part of the article.

    ## Example
    ```
    Translation by Iurie Tataru
    ```
    Fix (unsafe): the line is deleted.
    """

    code = "B105"
    name = "credit-line"
    summary = "Credits, bylines, agency and section labels, breadcrumbs"


@register
class HashtagLine(BoilerplateRule):
    """## What it flags
    A line of hashtags only: `#Alarm #West #threat #North #Koreas`.

    ## Why it matters
    Hashtag lines are tags for a site's search, not prose: they add run-on keyword
    lists to the text.

    ## Example
    ```
    #Alarm #West #threat #North #Koreas #entry #Ukrainian #war
    ```
    Fix (unsafe): the line is deleted.
    """

    code = "B106"
    name = "hashtag-line"
    summary = "A line of hashtags only"


@register
class EmbedAttribution(BoilerplateRule):
    """## What it flags
    The attribution line of an embedded social-media post:
    `— Ursula von der Leyen (@vonderleyen) October 28, 2024`. The post's own lines
    around it are quoted content and are not flagged.

    ## Why it matters
    The attribution is the embed's furniture; the post it attributes is a quotation
    the article makes, which a reader needs to keep.

    ## Example
    ```
    The security of Europe and East Asia are interlinked.
    — Ursula von der Leyen (@vonderleyen) October 28, 2024
    ```
    Fix (unsafe): the attribution line is deleted; the post's line stays.
    """

    code = "B107"
    name = "embed-attribution"
    summary = "The attribution line of an embedded social-media post"


DIGITS = re.compile(r"\d")
# an ASCII text's digits are ASCII digits: their bytes made 0 in a translation, 4 times
# as fast as DIGITS.sub, which tries the pattern at every character
ZERO_DIGITS = bytes.maketrans(b"123456789", b"000000000")
EDGES = "•·▪►◦*-–—|>»"


def line_key(text: str) -> bytes | None:
    """The key of a line for comparing lines across documents (CCNet's normalisation:
    case folded, white space folded, digits as 0, bullets off), or None for a line of
    prose: a long line, or a sentence of more than a few words. 8 bytes a line keeps the
    corpus statistics small."""
    stripped = text.strip().strip(EDGES).strip()
    if len(stripped) > 100:  # (before splitting the words of a paragraph)
        return None
    words = stripped.split()
    if not 1 <= len(words) <= 12:
        return None
    if _is_sentence(stripped) and len(words) > 5:
        return None  # a sentence, quoted or not, is content however often it recurs
    return normalised_digest(_digits_as_zero(stripped))


def _digits_as_zero(text: str) -> str:
    """The text with every digit (any script's) as 0."""
    if text.isascii():
        return text.encode().translate(ZERO_DIGITS).decode()
    return DIGITS.sub("0", text)


# the keys of the short lines read lately: page furniture, bylines and blank lines recur
# from document to document, and every line is read in both passes (a look-up costs a
# tenth of `line_key`); a long line, nearly always prose, is keyed without keeping it
_SHORT_LINE_KEYS = BoundedMemo(line_key, 1 << 16)
SHORT_LINE = 120
LINE_TEXT = operator.attrgetter("text")


def _line_keys(doc: Document) -> list[bytes | None]:
    return doc.cached("line-keys", _line_keys_made)


def _line_keys_made(doc: Document) -> list[bytes | None]:
    short = _SHORT_LINE_KEYS
    return [
        short[text] if len(text) <= SHORT_LINE else line_key(text)
        for text in map(LINE_TEXT, doc.lines)
    ]


@register
class RepeatedAcrossDocuments(CorpusRule[Counter[bytes]]):
    """## What it flags
    A short line that recurs in many documents of the corpus (`min-documents`, default
    3): the page furniture of a site, whatever its words, found the way CCNet finds it
    (lines compared case folded, digits as 0). Sentences are content however often
    they recur (a statement that several articles quote), and so is a line that fewer
    documents share (a heading two articles have in common). Lines that another B rule
    already names are left to it. The message says how many documents share the line.

    ## Why it matters
    What every page of a site repeats is not the article: it skews statistics and
    deduplication and is learned by heart by models trained on the corpus.

    ## Example
    In a corpus where 40 documents end with
    ```
    More from our partners
    ```
    each is reported: `boilerplate: this line recurs in 40 documents`. Fix (unsafe): the
    line is deleted.
    """

    code = "B108"
    name = "repeated-across-documents"
    summary = "A short line that many documents of the corpus repeat"
    fix_availability = FixAvailability.UNSAFE
    options: ClassVar[Mapping[str, Any]] = {"min-documents": 3}

    def collect(self, doc: Document) -> Counter[bytes]:
        return Counter({key for key in _line_keys(doc) if key is not None})

    def merge(self, first: Counter[bytes], second: Counter[bytes]) -> Counter[bytes]:
        first.update(second)
        return first

    def dependency(self, shard: Counter[bytes], stats: Counter[bytes]) -> Any:
        # the lines of these documents that recur often enough, with their counts
        least = self.settings["min-documents"]
        return [(key, stats[key]) for key in shard if stats[key] >= least]

    def check(self, doc: Document, stats: Counter[bytes]) -> Iterator[Finding]:
        least = self.settings["min-documents"]
        named = {i for b in classify(doc, self.context.lang) for i in range(b.first, b.last + 1)}
        lines = doc.lines
        for i, key in enumerate(_line_keys(doc)):
            if key is None or i in named or stats[key] < least:
                continue
            yield self.finding(
                lines[i].start,
                lines[i].end,
                f"boilerplate: this line recurs in {stats[key]} documents",
                Fix.unsafe("Delete the line", _line_deletion(lines, i, i)),
            )
