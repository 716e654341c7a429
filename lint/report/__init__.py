"""Reporters: findings placed in their documents, in the formats users and CI read.

A `Diagnostic` is a finding with its document's name and (row, column) positions, as
the contract's JSON schema has it; every format is rendered from diagnostics.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textmend.document import Document, RecordRef
from textmend.rule import Applicability, Finding

Position = tuple[int, int]


@dataclass(frozen=True)
class PlacedEdit:
    content: str
    location: Position
    end_location: Position


@dataclass(frozen=True)
class Diagnostic:
    filename: str
    record: RecordRef | None
    code: str
    rule: str
    family: str
    message: str
    location: Position
    end_location: Position
    fix_applicability: Applicability | None = None
    fix_message: str = ""
    edits: tuple[PlacedEdit, ...] = ()

    @classmethod
    def place(cls, doc: Document, finding: Finding) -> Diagnostic:
        fix = finding.fix
        edits = tuple(
            PlacedEdit(e.content, doc.position(e.start), doc.position(e.end))
            for e in (fix.edits if fix else ())
        )
        return cls(
            filename=doc.path,
            record=doc.record,
            code=finding.code,
            rule=finding.rule.name,
            family=finding.rule.family(),
            message=finding.message,
            location=doc.position(finding.start),
            end_location=doc.position(finding.end),
            fix_applicability=fix.applicability if fix else None,
            fix_message=fix.message if fix else "",
            edits=edits,
        )

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON object for one finding."""

        def where(position: Position) -> dict[str, int]:
            return {"row": position[0], "column": position[1]}

        fix = None
        if self.fix_applicability is not None:
            fix = {
                "applicability": self.fix_applicability.value,
                "message": self.fix_message,
                "edits": [
                    {
                        "content": e.content,
                        "location": where(e.location),
                        "end_location": where(e.end_location),
                    }
                    for e in self.edits
                ],
            }
        return {
            "filename": self.filename,
            "record": None
            if self.record is None
            else {"line": self.record.line, "id": self.record.id},
            "code": self.code,
            "rule": self.rule,
            "family": self.family,
            "message": self.message,
            "location": where(self.location),
            "end_location": where(self.end_location),
            "fix": fix,
            "url": None,
        }

    @property
    def where(self) -> str:
        """`path:row:col`, with the record (`path[line:id]:row:col`) for corpus files."""
        name = self.filename if self.record is None else f"{self.filename}[{self.record.label()}]"
        return f"{name}:{self.location[0]}:{self.location[1]}"


@dataclass
class Summary:
    """What the run did, for the closing lines of the text format."""

    mode: str = "check"  # or "fix"
    documents: int = 0
    fixed: int = 0
    fixed_documents: int = 0
    errors: int = 0
    unsafe_fixes: bool = False


def statistics(diagnostics: Sequence[Diagnostic]) -> list[dict[str, Any]]:
    """Counts per rule, most frequent first, with how many of them have a safe fix."""
    rows: dict[str, dict[str, Any]] = {}
    for d in diagnostics:
        row = rows.setdefault(d.code, {"code": d.code, "name": d.rule, "count": 0, "fixable": 0})
        row["count"] += 1
        row["fixable"] += d.fix_applicability is Applicability.SAFE
    return sorted(rows.values(), key=lambda r: (-r["count"], r["code"]))


Renderer = Callable[[Sequence[Diagnostic], Summary], str]


def renderer(name: str) -> Renderer:
    from textmend.report import github, json_format, sarif, text

    renderers: dict[str, Renderer] = {
        "text": text.render,
        "json": json_format.render,
        "sarif": sarif.render,
        "github": github.render,
    }
    return renderers[name]


FORMATS = ("text", "json", "sarif", "github")
