"""The Python API returns what the command line reports."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ALL_FIXED, DEFECTIVE, SAFE_FIXED, SEEDS

import textmend


def test_check_returns_the_command_lines_findings() -> None:
    paths = sorted(SEEDS.glob("*.txt"))
    command = [sys.executable, "-m", "textmend", "check", "--format", "json", *map(str, paths)]
    cli = json.loads(subprocess.run(command, capture_output=True, text=True).stdout)
    api = textmend.check({str(p): p.read_text(encoding="utf-8") for p in paths})
    assert [d.to_json() for d in api] == cli
    assert len(api) > 0


def test_check_accepts_a_text_or_a_list() -> None:
    single = textmend.check(DEFECTIVE)
    assert single[0].filename == "<text>" and single[0].code == "P101"
    several = textmend.check([DEFECTIVE, "Fine."])
    assert {d.filename for d in several} == {"<text 0>"}
    assert [d.code for d in textmend.check(DEFECTIVE, select=["D"])] == ["D101"]


def test_fix_text() -> None:
    assert textmend.fix_text(DEFECTIVE) == SAFE_FIXED
    assert textmend.fix_text(DEFECTIVE, unsafe_fixes=True) == ALL_FIXED
    assert textmend.fix_text(DEFECTIVE, ignore=["P", "U", "D"]) == DEFECTIVE
