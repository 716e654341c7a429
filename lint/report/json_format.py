"""`--format json`: a JSON array of the contract's finding objects."""

from __future__ import annotations

import json
from collections.abc import Sequence

from textmend.report import Diagnostic, Summary


def render(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    """The array as `json.dumps(..., indent=2)` writes it, one object at a time: the
    encoder that `indent` needs builds a list of small strings for all of its input
    before joining them, which for a corpus's 100,000 findings took more memory than
    the whole run besides."""
    if not diagnostics:
        return "[]\n"
    objects = (
        json.dumps(d.to_json(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
        for d in diagnostics
    )
    return "[\n  " + ",\n  ".join(objects) + "\n]\n"
