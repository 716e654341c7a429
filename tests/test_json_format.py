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


def test_every_kind_of_character_is_written_as_json_dumps_writes_it() -> None:
    # the objects are written by orjson, and by the standard library when orjson
    # refuses a text (a lone surrogate, from a text decoded with escapes)
    from textmend.document import RecordRef
    from textmend.report import Context, Diagnostic, PlacedEdit, Summary
    from textmend.report.json_format import render
    from textmend.rule import Applicability

    texts = [
        'quotes " and \\ backslash',
        "controls \x00\x01\x08\t\n\x0b\x0c\r\x1b\x1f\x7f and \u2028\u2029",
        "non-ASCII: Київ, Zürich, 北京, 🇺🇦, \ufeff, \U0010ffff",
        "a lone surrogate \udc80 from an escaped byte",
        "",
    ]
    diagnostics = [
        Diagnostic(
            f"dir/{i}.jsonl",
            RecordRef(i + 1, text or None),
            "P101",
            "rule-name",
            "P",
            text,
            (i + 1, 1),
            (i + 1, 5),
            Applicability.SAFE if i % 2 else None,
            text,
            (PlacedEdit(text, (i + 1, 1), (i + 1, 5)),) if i % 2 else (),
            Context(text, 0, 1, False, False, 0, 1, 2),
        )
        for i, text in enumerate(texts)
    ]
    written = "".join(render(diagnostics, Summary()))
    expected = [d.to_json() for d in diagnostics]
    assert written == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    assert "".join(render([], Summary())) == json.dumps([], indent=2) + "\n"
