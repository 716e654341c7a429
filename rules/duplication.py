"""D: duplication (doubled words)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from textmend.document import Document
from textmend.rule import DocumentRule, Edit, Finding, Fix, FixAvailability, register
from textmend.rules.wordlists import word_list

# a word, spaces or tabs (never a line break: a heading may end with the word that
# starts the next paragraph), and the same word again, in any case
# ([^\W\d_] is a letter; the standard `re` runs this twice as fast as `regex`)
DOUBLED = re.compile(r"(?<![\w'’-])([^\W\d_]+)([ \t]+)(\1)(?![\w'’-])", re.IGNORECASE)


@register
class DoubledWord(DocumentRule):
    """## What it flags
    The same word twice in a row, `the the harshest winter`, in any case. Words that
    English doubles on purpose (`had had`, `that that`: the list is in
    `rules/data/legitimate-doubles.en.txt`) and capitalised pairs, which are usually
    names (`Bora Bora`, `Sirhan Sirhan`), are left alone.

    ## Why it matters
    A doubled word is a typing, scraping or translation slip that every reader
    notices; it also skews n-gram statistics and repetition filters.

    ## Example
    ```
    All this in view of the the harshest winter.
    ```
    Fix (unsafe, since it deletes a word): `All this in view of the harshest winter.`
    """

    code = "D101"
    name = "doubled-word"
    summary = "The same word twice in a row (the the)"
    fix_availability = FixAvailability.UNSAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        legitimate = word_list(self.context.lang, "legitimate-doubles")
        for match in DOUBLED.finditer(doc.text):
            first, second = match.group(1), match.group(3)
            if first.lower() in legitimate or (first[0].isupper() and second[0].isupper()):
                continue
            yield self.finding(
                match.start(),
                match.end(),
                f"doubled word '{first} {second}'",
                Fix.unsafe(f"Remove the second '{second}'", Edit(match.end(1), match.end(), "")),
            )
