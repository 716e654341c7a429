"""`--format json`: a JSON array of the contract's finding objects."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from textmend.report import Diagnostic, Summary


def render(diagnostics: Sequence[Diagnostic], summary: Summary) -> Iterator[str]:
    """The array as `json.dumps(..., indent=2)` writes it, one object at a time: the
    encoder that `indent` needs builds a list of small strings for all of its input
    before joining them, which for a corpus's 100,000 findings took more memory than
    the whole run besides."""
    if not diagnostics:
        yield "[]\n"
        return
    separator = "[\n  "
    for d in diagnostics:
        yield separator + json.dumps(d.to_json(), ensure_ascii=False, indent=2).replace(
            "\n", "\n  "
        )
        separator = ",\n  "
    yield "\n]\n"
