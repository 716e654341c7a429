"""P: punctuation and quotes (reversed quotes, a missing space after a closing quote)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from textmend.document import Document
from textmend.rule import DocumentRule, Edit, Finding, Fix, FixAvailability, register
from textmend.rules.boilerplate import SENTENCE_CLOSERS
from textmend.rules.unicode import rare_characters

DOUBLE_QUOTE = re.compile('[“”"]')
OPENS_BEFORE = set("([{<—–-/‘'«")  # after these, a quote opens
ENDS_AFTER = set(".,;:!?)]}…")  # before these, a quote closes
# „ opening a quotation (German, Polish, Czech...), not the „ inside mojibake (GdaÅ„sk)
LOW_QUOTE_OPENS = re.compile(r"(?:^|(?<=[\s(\[{—–-]))„(?=\S)")
# languages whose quotations open with `”` too (Swedish, Finnish: ”Det är bra”)
RIGHT_QUOTE_LANGS = {"sv", "fi"}


class Quote(NamedTuple):
    """A double quote and the part it plays in its line (a tuple: one for every quote
    of every document)."""

    at: int
    char: str
    closes: bool
    # the character a typographer would have used, where it differs from `char`
    should_be: str | None = None
    # whether a quotation opened before it on its line is still open
    inside: bool = False


def quotes(doc: Document) -> list[Quote]:
    """The double quotes of a document with their role, read line by line.

    A line is the unit because a quotation may run on past a paragraph's end. A quote
    is opening or closing by what stands on either side of it, and, where both sides
    are letters (`threat“for`), by whether a quotation is open. Lines with German-style
    low quotes („…“), and the lines that a quotation opened with `„` runs on into, are
    skipped: there `“` closes.

    A document whose quotes are all curly and in their place (`“` opening, `”` closing
    before anything but a letter or digit) has none that a rule reports, and gets an
    empty list without being read line by line."""
    return doc.cached("double-quotes", _quotes)


# A quote that some P rule may report, or that makes the roles of the others depend on
# the line (straight quotes, low quotes): `“` after a word's end, `”` before a letter
# or digit (`”` closes otherwise, whatever stands before it). Each curly case has its
# own search led by its quote, which `re` skips to in a plain loop: with the straight
# and low quotes found by `in` (memchr), 10 ms over 5 MB of news, where one search
# led by the class of the four quotes, a class test at every character, took 47 ms.
_NOT_WORD_END = "\\s" + re.escape("".join(sorted(OPENS_BEFORE)))
LEFT_QUOTE_CLOSING = re.compile(f"“(?<=[^{_NOT_WORD_END}]“)")
RIGHT_QUOTE_OPENING = re.compile(r"”(?=[^\W_])")


def _questionable_quote(text: str) -> bool:
    """Whether a text holds a quote in question (see above)."""
    return (
        '"' in text
        or "„" in text
        or LEFT_QUOTE_CLOSING.search(text) is not None
        or RIGHT_QUOTE_OPENING.search(text) is not None
    )


def _quotes(doc: Document) -> list[Quote]:
    # (four in five documents with quotes, in generated news, have none in question;
    # reading their quotes one by one cost five times the test)
    return _read_quotes(doc) if _questionable_quote(doc.text) else []


def _read_quotes(doc: Document) -> list[Quote]:
    found: list[Quote] = []
    low_open = False  # a quotation opened with „ is still open at the end of a line
    for line in doc.lines:
        text = line.text
        low_opens = [m.start() for m in LOW_QUOTE_OPENS.finditer(text)] if "„" in text else []
        if low_opens or low_open:
            closed_at = max(text.rfind("“"), text.rfind("”"))
            low_open = (bool(low_opens) and low_opens[-1] > closed_at) or (
                low_open and closed_at < 0
            )
            continue
        if '"' not in text and "“" not in text and "”" not in text:
            continue  # (three `in` tests, memchr: a tenth of the time of a search)
        # with an odd number of straight quotes, their roles cannot be told apart
        straight_pairs = text.count('"') % 2 == 0
        is_open = False
        for match in DOUBLE_QUOTE.finditer(text):
            i = match.start()
            char = match.group()
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            at_word_end = not before.isspace() and before not in OPENS_BEFORE
            if char == "“":
                closing_shape = after.isspace() or after in ENDS_AFTER
                closes = at_word_end and (closing_shape or (is_open and after.isalnum()))
                found.append(Quote(line.start + i, char, closes, "”" if closes else None, is_open))
            elif char == "”":
                reversed_opening = not at_word_end and after.isalnum()
                found.append(
                    Quote(
                        line.start + i,
                        char,
                        not reversed_opening,
                        "“" if reversed_opening else None,
                        is_open,
                    )
                )
            else:
                found.append(Quote(line.start + i, char, is_open and straight_pairs, None, is_open))
            is_open = not found[-1].closes
    return found


@register
class ReversedQuote(DocumentRule):
    """## What it flags
    A curly double quote turned the wrong way: an opening quote `“` used to close a
    quotation (`“serious threat“ for`, `global peace“.`), or a closing quote `”` used
    to open one. Lines with German-style low quotes (`„…“`), and the lines such a
    quotation runs on into, are left alone, and so is `”` opening a quotation in Swedish
    and Finnish (`lang` `sv`, `fi`), which use `”…”`.

    ## Why it matters
    Machine translation and careless conversion often reverse closing quotes. Readers
    stumble, and tools that find quotations by their marks (quote attribution, span
    extraction, balanced-quote filters) pair them wrongly or drop the paragraph.

    ## Example
    ```
    NATO called it a “serious threat“ for European security.
    ```
    Fix (safe): `NATO called it a “serious threat” for European security.`
    """

    code = "P101"
    name = "reversed-quote"
    summary = "An opening curly quote used to close a quotation, or the reverse"
    fix_availability = FixAvailability.SAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        right_quotes_open = self.context.lang.split("-")[0] in RIGHT_QUOTE_LANGS
        for quote in quotes(doc):
            if quote.should_be is None or (right_quotes_open and quote.should_be == "“"):
                continue
            role = "closes" if quote.closes else "opens"
            yield self.finding(
                quote.at,
                quote.at + 1,
                f"'{quote.char}' {role} a quotation here: use '{quote.should_be}'",
                Fix.safe(
                    f"Replace with '{quote.should_be}'",
                    Edit(quote.at, quote.at + 1, quote.should_be),
                ),
            )


@register
class MissingSpaceAfterQuote(DocumentRule):
    """## What it flags
    A closing double quote with a letter or digit right after it, where the space
    between the quotation and the next word was dropped: `war fatigue”he stated`.
    A possessive `”s` is left alone, and so is `”` right after a digit where no
    quotation is open on its line: there it is a double prime, seconds or inches
    (`40°26’46”N`, `12”x16”`).

    ## Why it matters
    The quotation's last word and the next word run together for every tokeniser,
    and sentence splitters miss the boundary.

    ## Example
    ```
    there is enormous war fatigue”he stated.
    ```
    Fix (safe): `there is enormous war fatigue” he stated.`
    """

    code = "P102"
    name = "missing-space-after-quote"
    summary = "No space between a closing quote and the next word"
    fix_availability = FixAvailability.SAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        text = doc.text
        for quote in quotes(doc):
            after = quote.at + 1
            if not quote.closes or after >= len(text) or not text[after].isalnum():
                continue
            if text[quote.at - 1].isspace() if quote.at else True:
                continue
            if text[after] == "s" and not text[after + 1 : after + 2].isalnum():
                continue
            if text[quote.at - 1].isdigit() and not quote.inside:
                continue  # a double prime: 40°26’46”N, 12”x16”
            yield self.finding(
                quote.at,
                after + 1,
                f"no space after the closing quote before '{text[after]}'",
                Fix.safe("Insert a space", Edit(after, after, " ")),
            )


# a letter, sentence punctuation and a capitalised word with no space (`war.The`), or
# two letters, a comma and a word (`Kyiv,Kharkiv`); not an abbreviation (U.S.), a
# decimal (8.5), a time (6.30) or a domain (kyiv.gov.ua). One search, which skips from
# mark to mark (the lookbehinds follow the mark: five times as fast as a pattern that
# starts with one, tried at every character); the mark chooses the test. Both want a
# letter after the mark: `(?! )` first turns down the mark before a space, nearly every
# one, at once (20 % less time over 5 MB of news than the two cases tried at each)
GLUED = re.compile(
    r"[.!?,;](?! )(?:(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])|(?<=[^\W\d_]{2}[,;])(?=[^\W\d_]{2}))"
)
# a comma or full stop after a space, and the spaces after a word that lead to it
SPACE_BEFORE = re.compile(r"[,.](?<=[ \t].)(?=\s|$)")
SPACES_AFTER_WORD = re.compile(r"\w([ \t]+)$")


def _spaced_mark(text: str) -> bool:
    """Whether a text holds what SPACE_BEFORE needs, a space or tab before a comma or
    full stop: `in` tests tell most documents apart in a third of the time of the
    search, which tries every comma and full stop. The tab's pairs are looked for only
    in a text with a tab, which one memchr finds (16 ms over 5 MB of news, where the
    four pairs took 31)."""
    return " ," in text or " ." in text or ("\t" in text and ("\t," in text or "\t." in text))


def _in_prose(text: str, start: int, end: int) -> bool:
    """Not in a URL, an e-mail address, a path or a code."""
    left = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    right_candidates = [i for i in (text.find(" ", end), text.find("\n", end)) if i >= 0]
    chunk = text[left : min(right_candidates, default=len(text))]
    return not ("://" in chunk or "@" in chunk or "www." in chunk or "/" in chunk)


@register
class MissingSpaceAfterPunctuation(DocumentRule):
    """## What it flags
    Sentence punctuation or a comma with no space before the next word: `the war.The
    talks`, `Kyiv,Kharkiv`. Abbreviations (`U.S.`), decimals (`8.5`), times (`6.30`),
    URLs, e-mail addresses and domain names are left alone.

    ## Why it matters
    Two sentences or two words glued by a punctuation mark are one token for
    tokenisers and one sentence for sentence splitters.

    ## Example
    ```
    the end of the war.The talks
    ```
    Fix (safe): `the end of the war. The talks`.
    """

    code = "P103"
    name = "missing-space-after-punctuation"
    summary = "No space after sentence punctuation or a comma (war.The)"
    fix_availability = FixAvailability.SAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        text = doc.text
        for match in GLUED.finditer(text):
            at = match.end()
            if not _in_prose(text, match.start(), at):
                continue
            yield self.finding(
                match.start(),
                at,
                f"no space after '{match.group()}'",
                Fix.safe("Insert a space", Edit(at, at, " ")),
            )


@register
class SpaceBeforePunctuation(DocumentRule):
    """## What it flags
    Spaces before a comma or a full stop: `the war , and`, `the end .`. An ellipsis
    and a number that starts with a point (`.5`) are left alone.

    ## Why it matters
    A space before a comma is a conversion or translation slip; tokenisers keep the
    comma apart, and the text reads as unedited.

    ## Example
    ```
    the war , and the talks .
    ```
    Fix (safe): `the war, and the talks.`
    """

    code = "P104"
    name = "space-before-punctuation"
    summary = "A space before a comma or full stop"
    fix_availability = FixAvailability.SAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        text = doc.text
        if not _spaced_mark(text):
            return
        for match in SPACE_BEFORE.finditer(text):
            mark, end = match.group(), match.end()
            spaces = SPACES_AFTER_WORD.search(text, max(0, match.start() - 200), match.start())
            if spaces is None or text[end : end + 1] == ".":
                continue  # no word before the spaces, or an ellipsis
            start = spaces.start(1)
            yield self.finding(
                start,
                end,
                f"a space before '{mark}'",
                Fix.safe("Remove the space", Edit(start, match.start(), "")),
            )


# a capitalised pronoun or article after a lower-case word, itself before a lower-case
# word (`elections They could`; `the daily The Guardian` is a name)
# (the lookbehind follows each word's capital, so that `re` skips from capital to capital;
# the words are grouped by their capital, so that it is tried once at a `T`, not once for
# each of the seven words that start with one: 12 % less time over 5 MB of news)
MID_SENTENCE_WORDS = ("They", "It", "He", "She", "We", "You", "The", "This", "These", "Those",
                      "There", "Their", "His", "Her", "Its", "Our")  # fmt: skip
_ENDINGS = {
    capital: "|".join(word[1:] for word in MID_SENTENCE_WORDS if word[0] == capital)
    for capital in dict.fromkeys(word[0] for word in MID_SENTENCE_WORDS)
}
CAPITAL_MID_SENTENCE = re.compile(
    "("
    + "|".join(rf"{capital}(?<=[a-z,] .)(?:{endings})" for capital, endings in _ENDINGS.items())
    + ")(?= [a-z])"
)
# after these, a capital is a slip, not a new sentence: `maximum and It is feared`
CONTINUES = frozenset(
    (
        "and",
        "or",
        "but",
        "nor",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "because",
        "while",
        "when",
        "if",
        "as",
        "than",
        "so",
        "yet",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "by",
        "from",
        "about",
        "into",
    )
)


@register
class DroppedSentenceBoundary(DocumentRule):
    """## What it flags
    A capitalised pronoun or article in mid-sentence, where a sentence boundary was
    lost (`the presidential elections They could mark`) or a word was capitalised
    after a conjunction (`the concern is maximum and It is feared`). A title or name
    that starts with `The` (`the daily The Guardian`) is followed by a capital and is
    left alone.

    ## Why it matters
    Sentence splitters run the two sentences together, and the text reads as broken
    machine translation.

    ## Example
    ```
    the results of the presidential elections They could mark a new direction
    ```
    Fix (unsafe: it changes punctuation): `the presidential elections. They could`;
    after a conjunction or comma the word is lower-cased instead:
    `maximum and it is feared`.
    """

    code = "P105"
    name = "dropped-sentence-boundary"
    summary = "A capitalised pronoun or article in mid-sentence (elections They could)"
    fix_availability = FixAvailability.UNSAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        text = doc.text
        for match in CAPITAL_MID_SENTENCE.finditer(text):
            word = match.group(1)
            start, end = match.span(1)
            previous = text[max(0, start - 20) : start - 1].rsplit(maxsplit=1)[-1:]
            before = previous[0].strip(",") if previous else ""
            if text[start - 2] == "," or before.lower() in CONTINUES:
                fix = Fix.unsafe(f"Write '{word.lower()}'", Edit(start, end, word.lower()))
                message = f"'{word}' capitalised in mid-sentence"
            else:
                fix = Fix.unsafe("End the sentence before it", Edit(start - 1, start - 1, "."))
                message = f"'{word}' in mid-sentence: a sentence boundary was probably lost"
            yield self.finding(start, end, message, fix)


@register
class MixedQuoteStyles(DocumentRule):
    """## What it flags
    A document that quotes with both straight (`"`) and curly (`“ ”`) double quotes:
    each quote of the less used style is reported.

    ## Why it matters
    Mixed styles come from pasting sources together; tools that pair quotes, and
    readers, see an inconsistent text.

    ## Example
    ```
    a “huge” escalation risk ... would represent a "huge" escalation risk
    ```
    Fix (unsafe: it rewrites punctuation the author may have chosen): the document's
    main style, `a “huge” escalation risk ... a “huge” escalation risk`.
    """

    code = "P106"
    name = "mixed-quote-styles"
    summary = "Straight and curly double quotes in one document"
    fix_availability = FixAvailability.UNSAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        found = quotes(doc)
        straight = [q for q in found if q.char == '"']
        curly = [q for q in found if q.char != '"']
        if not straight or not curly:
            return
        text = doc.text
        if len(curly) >= len(straight):
            if text.count('"') % 2:
                return  # an odd number: which opens and which closes cannot be told
            for quote in straight:
                new = "”" if quote.closes else "“"
                yield self.finding(
                    quote.at,
                    quote.at + 1,
                    "a straight quote where the document uses curly ones",
                    Fix.unsafe(f"Write '{new}'", Edit(quote.at, quote.at + 1, new)),
                )
        else:
            for quote in curly:
                yield self.finding(
                    quote.at,
                    quote.at + 1,
                    "a curly quote where the document uses straight ones",
                    Fix.unsafe("Write '\"'", Edit(quote.at, quote.at + 1, '"')),
                )


TERMINAL_MARKS = frozenset(".!?…:;")  # what ends a sentence (SENTENCE_CLOSERS may follow)
MIN_PARAGRAPH_WORDS = 15  # a shorter line may be a heading
BULLETS = ("•", "-", "*")  # what starts a list item


def _terminated(text: str) -> bool:
    """Whether a line ends as a sentence does: a terminal mark, perhaps closing quotes
    and brackets, then white space at most (tested from the end, not searched for)."""
    return text.rstrip().rstrip(SENTENCE_CLOSERS)[-1:] in TERMINAL_MARKS


def _words_at_least(text: str, count: int) -> bool:
    """Whether a line has `count` words or more (splitting off no more than that)."""
    return len(text.split(None, count - 1)) >= count


def _long_paragraph(text: str) -> bool:
    """Whether a line is long enough to be a paragraph, and not a bullet line."""
    return _words_at_least(text, MIN_PARAGRAPH_WORDS) and not text.lstrip().startswith(BULLETS)


@register
class UnterminatedParagraph(DocumentRule):
    """## What it flags
    A paragraph of fifteen words or more that ends without terminal punctuation, in a
    document whose other paragraphs of that length end properly (at least three
    quarters of them): the end of a sentence was cut or lost. Headings (shorter lines)
    and bullet lines are left alone, and so are the lines above the first one that ends
    as a sentence does: the head of a page, where a long title, a standfirst or a line
    of navigation stands without a full stop.

    ## Why it matters
    A truncated paragraph is a sign of a scraping or translation accident; sentence
    splitters merge it with what follows, and quality filters count it against the
    document.

    ## Example
    ```
    The situation in the Kursk region has been escalating and Russian troops have been
    ```
    in a document of well-ended paragraphs is reported. There is no automatic fix: the
    lost words cannot be known.
    """

    code = "P107"
    name = "unterminated-paragraph"
    summary = "A long paragraph without terminal punctuation"

    def check(self, doc: Document) -> Iterator[Finding]:
        lines = doc.lines
        # the body starts at the first line that ends as a sentence does
        body = next((i for i, line in enumerate(lines) if _terminated(line.text)), len(lines))
        # the open-ended lines first, so that the words of the many terminated ones are
        # counted only in the few documents that have one (37 -> 20 ms over 5 MB)
        open_ended = [
            line
            for line in lines[body:]
            if not _terminated(line.text) and _long_paragraph(line.text)
        ]
        if not open_ended:
            return
        long = sum(1 for line in lines[body:] if _long_paragraph(line.text))
        if len(open_ended) * 4 > long:
            return
        for line in open_ended:
            end = line.start + len(line.text.rstrip())
            yield self.finding(
                max(line.start, end - 1),
                end,
                "the paragraph ends without terminal punctuation",
            )


# arrows, dingbats and geometric shapes that embeds leave behind (`I told @President_KR ⭣`)
STRAY_SYMBOL = re.compile(r"[\u2190-\u21ff\u27f0-\u27ff\u2900-\u297f\u2b00-\u2bff\u25a0-\u25ff]")


@register
class StraySymbol(DocumentRule):
    """## What it flags
    Arrows, geometric shapes and similar symbols in running text, as social-media
    embeds and page widgets leave them: `I told @President_KR ⭣`. Bullets (`•`) are
    left to the list rules.

    ## Why it matters
    They carry no meaning in the text, confuse tokenisers and embeddings, and mark
    the text as scraped.

    ## Example
    ```
    We will respond together with our like-minded partners, I told @President_KR ⭣
    ```
    Fix (unsafe: a symbol may be meant, `prices ↑`): the symbol and the space before it
    are removed.
    """

    code = "P108"
    name = "stray-symbol"
    summary = "Arrows and shapes left by embeds (⭣)"
    fix_availability = FixAvailability.UNSAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        text = doc.text
        if not STRAY_SYMBOL.search(rare_characters(doc)):
            return
        for match in STRAY_SYMBOL.finditer(text):
            start, end = match.span()
            begin = start - 1 if start and text[start - 1] == " " else start
            yield self.finding(
                start,
                end,
                f"a stray symbol '{match.group()}' (U+{ord(match.group()):04X})",
                Fix.unsafe("Remove it", Edit(begin, end, "")),
            )
