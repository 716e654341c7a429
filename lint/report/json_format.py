"""`--format json`: a JSON array of the contract's finding objects."""

from __future__ import annotations

import json
from collections.abc import Sequence

from textmend.report import Diagnostic, Summary


def render(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    return json.dumps([d.to_json() for d in diagnostics], ensure_ascii=False, indent=2) + "\n"
