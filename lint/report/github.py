"""`--format github`: workflow commands that GitHub Actions shows as annotations.

A finding in a JSONL or Parquet record points at the record's line of the file (its
row for Parquet), and the message names the position inside the record's text."""

from __future__ import annotations

from collections.abc import Sequence

from textmend.report import Diagnostic, Summary


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(diagnostics: Sequence[Diagnostic], summary: Summary) -> list[str]:
    lines = []
    for d in diagnostics:
        if d.record is None:
            where = (
                f"line={d.location[0]},col={d.location[1]},"
                f"endLine={d.end_location[0]},endColumn={d.end_location[1]}"
            )
        else:
            where = f"line={d.record.line}"
        title = _escape_property(f"textmend ({d.code})")
        message = _escape_data(f"{d.where}: {d.code} {d.message}")
        lines.append(
            f"::error title={title},file={_escape_property(d.filename)},{where}::{message}"
        )
    return [line + "\n" for line in lines]
