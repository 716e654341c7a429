"""T: translation artefacts, and the strings a user's reject vocabulary names."""

from __future__ import annotations

from collections.abc import Iterator

from textmend.document import Document, terms_pattern
from textmend.rule import DocumentRule, Finding, RuleContext, register


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
