"""Reporters: findings placed in their documents, in the formats users and CI read.

A `Diagnostic` is a finding with its document's name and (row, column) positions, as
the contract's JSON schema has it; every format is rendered from diagnostics. It keeps
a little of its text (`Context`): the excerpt of its line that the text format shows
under it, and the digests that a baseline compares.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from textmend.document import Document, RecordRef, compact
from textmend.rule import Applicability, Finding
from textmend.sources import atomic_writer

Position = tuple[int, int]


@compact
class PlacedEdit(NamedTuple):
    content: str
    location: Position
    end_location: Position


# how much of a finding's line the text format shows, in characters: before and after
# the span, and of the span itself (a finding's context is kept with it: it stays small)
AROUND = 40
SPAN = 80


def digest(text: str) -> int:
    """A short, stable digest of a text (48 bits: enough within one document)."""
    data = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=6).digest()
    return int.from_bytes(data, "big")


@compact
class Context(NamedTuple):
    """What a finding touches of its text: an excerpt of its first line, for showing
    it, and digests of what it flags and of its lines, for recognising it again.

    `excerpt[start:end]` is the span (its first line, cut at `SPAN` characters), with
    up to `AROUND` characters either side; `cut_left`/`cut_right` say whether the line
    goes on beyond the excerpt, `more_rows` how many lines after the first the span
    covers. `flagged` digests the flagged text as it is; `lines` the lines the span
    touches with their white space folded, so that edits elsewhere in the document
    leave both as they were."""

    excerpt: str
    start: int
    end: int
    cut_left: bool
    cut_right: bool
    more_rows: int
    flagged: int
    lines: int

    @classmethod
    def of(cls, doc: Document, start: int, end: int) -> Context:
        # from the line starts alone, not `doc.lines`: a document that only a few rules
        # read again (a cached run) would build every line's text for one excerpt
        text = doc.text
        starts = doc.line_starts
        first, last = doc.position(start)[0] - 1, doc.position(end)[0] - 1
        line_start, line_end = starts[first], doc.line_end(first)
        shown_end = min(end, line_end, start + SPAN)
        left = max(line_start, start - AROUND)
        right = min(line_end, shown_end + AROUND)
        if end > start and end == starts[last] and last > first:
            last -= 1  # a span that ends with a line break ends on the line before
        # the touched lines' texts joined by a space: their breaks folded as white space
        touched = text[line_start : doc.line_end(last)]
        return cls(
            excerpt=text[left:right],
            start=start - left,
            end=shown_end - left,
            cut_left=left > line_start,
            cut_right=right < line_end,
            more_rows=last - first,
            flagged=digest(text[start:end]),
            lines=digest(" ".join(touched.split())),
        )


@compact
class Diagnostic(NamedTuple):
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
    context: Context | None = None

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
            context=Context.of(doc, finding.start, finding.end),
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
    # how to show it: in colour (a terminal), and without the closing lines (`--quiet`)
    color: bool = False
    quiet: bool = False


def statistics(diagnostics: Sequence[Diagnostic]) -> list[dict[str, Any]]:
    """Counts per rule, most frequent first, with how many of them have a safe fix."""
    rows: dict[str, dict[str, Any]] = {}
    for d in diagnostics:
        row = rows.setdefault(d.code, {"code": d.code, "name": d.rule, "count": 0, "fixable": 0})
        row["count"] += 1
        row["fixable"] += d.fix_applicability is Applicability.SAFE
    return sorted(rows.values(), key=lambda r: (-r["count"], r["code"]))


# a report as pieces of text written one after another: the report of a corpus's
# hundred thousand findings is never one string in memory
Renderer = Callable[[Sequence[Diagnostic], Summary], Iterable[str]]


def renderer(name: str) -> Renderer:
    from textmend.report import github, json_format, sarif, text

    renderers: dict[str, Renderer] = {
        "text": text.render,
        "concise": text.render_concise,
        "json": json_format.render,
        "sarif": sarif.render,
        "github": github.render,
    }
    return renderers[name]


FORMATS = ("text", "concise", "json", "sarif", "github")


def write_file(path: str, data: bytes) -> None:
    """Write a file atomically, with the mode it had, or the one a new file gets (the
    temporary file that the rename puts in place is private)."""
    existing = path if os.path.exists(path) else None
    with atomic_writer(path, existing) as handle:
        handle.write(data)
    if existing is None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(path, 0o666 & ~umask)
