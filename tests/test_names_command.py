"""`textmend names`: the corpus's names spelled several ways, as a table or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import SEEDS, Result

Run = Callable[..., Result]


def test_names_lists_the_seed_variants(run: Run) -> None:
    result = run("names", str(SEEDS))
    assert result.status == 0
    lines = result.out.splitlines()
    assert lines[0].startswith("Zelensky (13×)")
    assert lines[1].startswith("    Zelenskyy (4×)") and "001_c2546c2f973c6345.txt" in lines[1]
    assert "Choe Son Hui (1×)" in result.out and "    Choe Son-hui (1×)" in result.out
    assert lines[-1] == "3 names spelled several ways; 3 spellings to review."


def test_names_json_and_configured_canonical(run: Run, tmp_path: Path) -> None:
    (tmp_path / "textmend.toml").write_text(
        '[names]\ncanonical = ["Zelenskyy"]\n', encoding="utf-8"
    )
    groups = json.loads(run("names", "--format", "json", str(SEEDS)).out)
    first = groups[0]
    assert first["canonical"] == "Zelenskyy"
    assert {v["spelling"]: v["count"] for v in first["variants"]} == {
        "Zelensky": 13,
        "Zelenskyy": 4,
    }


def test_names_reports_unreadable_input(run: Run, tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 Zelensky")
    result = run("names", "bad.txt", "missing.txt")
    assert result.status == 2
    assert "bad.txt: not valid UTF-8" in result.err and "missing.txt" in result.err
