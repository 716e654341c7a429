"""`--format sarif`: SARIF 2.1.0, as GitHub code scanning and other tools read it.

Columns count Unicode code points (`columnKind`), as every textmend position does. A
finding in a JSONL or Parquet record is placed on the record's line of the file, with
its position inside the record's text in the message and in `properties`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from textmend import __version__
from textmend.report import Diagnostic, Summary
from textmend.rule import all_rules

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _rule(code: str) -> dict[str, Any]:
    rule = all_rules()[code]
    return {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.documentation()},
        "help": {"text": rule.documentation(), "markdown": rule.documentation()},
        "properties": {"tags": [rule.family_name()]},
    }


def _result(d: Diagnostic, rule_index: int) -> dict[str, Any]:
    if d.record is None:
        region = {
            "startLine": d.location[0],
            "startColumn": d.location[1],
            "endLine": d.end_location[0],
            "endColumn": d.end_location[1],
        }
        message = d.message
        properties: dict[str, Any] = {}
    else:
        region = {"startLine": d.record.line}
        message = f"record {d.record.label()}, {d.location[0]}:{d.location[1]}: {d.message}"
        properties = {
            "record": {"line": d.record.line, "id": d.record.id},
            "location": {"row": d.location[0], "column": d.location[1]},
            "end_location": {"row": d.end_location[0], "column": d.end_location[1]},
        }
    result: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": "warning",
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": PurePath(d.filename).as_posix()},
                    "region": region,
                }
            }
        ],
    }
    if properties:
        result["properties"] = properties
    return result


def render(diagnostics: Sequence[Diagnostic], summary: Summary) -> list[str]:
    codes = sorted({d.code for d in diagnostics})
    index = {code: i for i, code in enumerate(codes)}
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "textmend",
                        "version": __version__,
                        "rules": [_rule(code) for code in codes],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(d, index[d.code]) for d in diagnostics],
            }
        ],
    }
    return [json.dumps(log, ensure_ascii=False, indent=2) + "\n"]
