"""P: punctuation and quotes (reversed quotes, a missing space after a closing quote)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from textmend.document import Document
from textmend.rule import DocumentRule, Edit, Finding, Fix, FixAvailability, register

DOUBLE_QUOTE = regex.compile('[“”"]')
OPENS_BEFORE = set("([{<—–-/‘'«")  # after these, a quote opens
ENDS_AFTER = set(".,;:!?)]}…")  # before these, a quote closes
# „ opening a quotation (German, Polish, Czech...), not the „ inside mojibake (GdaÅ„sk)
LOW_QUOTE_OPENS = re.compile(r"(?:^|(?<=[\s(\[{—–-]))„(?=\S)")
# languages whose quotations open with `”` too (Swedish, Finnish: ”Det är bra”)
RIGHT_QUOTE_LANGS = {"sv", "fi"}


@dataclass(frozen=True)
class Quote:
    """A double quote and the part it plays in its line."""

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
    skipped: there `“` closes."""
    return doc.cached("double-quotes", _quotes)


def _quotes(doc: Document) -> list[Quote]:
    found: list[Quote] = []
    if "“" not in doc.text and "”" not in doc.text and '"' not in doc.text:
        return found
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
        if not DOUBLE_QUOTE.search(text):
            continue
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
