"""The JSON report is written one finding at a time, and reads as `json.dumps` writes it."""

from __future__ import annotations

import json
from collections.abc import Callable

from conftest import SEEDS, Result

Run = Callable[..., Result]


def test_json_is_laid_out_as_json_dumps_with_indent_2(run: Run) -> None:
    result = run("check", "--format", "json", str(SEEDS))
    findings = result.json()
    assert len(findings) > 20  # the seeds have defects of many kinds
    assert result.out == json.dumps(findings, ensure_ascii=False, indent=2) + "\n"
