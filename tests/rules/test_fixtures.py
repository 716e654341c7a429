"""Fixture-driven rule tests: `tests/rules/fixtures/<CODE>.toml`, one file a rule.

Each file holds `[[defect]]` cases (a `text`, the `findings` it must give as
"row:col CODE", the text once `fixed`, and `unsafe = true` when that needs unsafe
fixes) and `[[clean]]` cases (texts that must give no finding of the rule). A case may
name a `lang` and a `config` file (relative to the fixtures folder). Every registered
rule must have a file with both kinds; a corpus rule whose defect needs several
documents names instead, as `defects-in`, the test file (next to this one) that shows it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import textmend
from textmend.config import tomllib
from textmend.rule import all_rules

FIXTURES = Path(__file__).parent / "fixtures"


def _cases(kind: str) -> list[Any]:
    cases = []
    for path in sorted(FIXTURES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data.get(kind, [])):
            cases.append(pytest.param(path.stem, case, id=f"{path.stem}-{kind}-{i}"))
    return cases


def test_every_rule_has_defect_and_clean_fixtures() -> None:
    for code in all_rules():
        path = FIXTURES / f"{code}.toml"
        assert path.is_file(), f"{code} has no fixture file"
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert data.get("clean"), f"{code}: no [[clean]] case"
        if "defects-in" in data:
            # a corpus rule whose defect needs several documents (a duplicate document)
            # names the test file that shows it
            tests = Path(__file__).parent / data["defects-in"]
            assert tests.is_file() and code in tests.read_text(encoding="utf-8"), code
        else:
            assert data.get("defect"), f"{code}: no [[defect]] case"


def _settings(case: dict[str, Any]) -> dict[str, Any]:
    """The case's `lang` and `config`, for checking and fixing alike."""
    config = FIXTURES / case["config"] if "config" in case else None
    return {"lang": case.get("lang"), "config": config}


def _check(code: str, case: dict[str, Any]) -> list[str]:
    diagnostics = textmend.check(case["text"], select=[code], **_settings(case))
    return [f"{d.location[0]}:{d.location[1]} {d.code}" for d in diagnostics]


@pytest.mark.parametrize(("code", "case"), _cases("defect"))
def test_defect(code: str, case: dict[str, Any]) -> None:
    assert _check(code, case) == case["findings"]
    unsafe = case.get("unsafe", False)
    settings = _settings(case)
    fixed = textmend.fix_text(case["text"], select=[code], unsafe_fixes=unsafe, **settings)
    assert fixed == case["fixed"]
    # fixing is idempotent: the fixed text has nothing left to fix
    assert textmend.fix_text(fixed, select=[code], unsafe_fixes=unsafe, **settings) == fixed
    if not unsafe:
        # safe fixes are the default: nothing more is needed to apply them
        assert textmend.fix_text(case["text"], select=[code], **settings) == case["fixed"]


@pytest.mark.parametrize(("code", "case"), _cases("clean"))
def test_clean(code: str, case: dict[str, Any]) -> None:
    assert _check(code, case) == []
