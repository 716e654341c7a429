"""Baselines: adopt textmend on a corpus that already has findings, and fail on new ones.

`check --baseline-write FILE` records the findings of the run; `check --baseline FILE`
then reports only the findings that are not in it, and says how many of its entries
no longer occur (so that the baseline can be written again, smaller).

An entry is a finding's document (its path, relative to the baseline's folder, and for
a JSONL or Parquet record its id, else its line), its rule, a digest of the text it
flags and a digest of the lines it touches with their white space folded. Rows and
columns are not part of it, so that lines added or removed elsewhere in a document
leave its entries as they were. A finding matches an entry of its document with the
same rule, flagged text and lines; failing that, one with the same rule and flagged
text whose lines changed (the line was edited around it). Entries count: a document
with a doubled word twice in the baseline may have it twice, and a third is new.

Only the documents of the files that the run reads are compared: checking part of a
corpus against the baseline of all of it reports no entry of the other files as gone.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from textmend.config import ConfigError
from textmend.report import Diagnostic, write_file

VERSION = 1

# a document: its path relative to the baseline, then ("id", id), ("line", n) or ()
Key = tuple[str, tuple[str, Any] | tuple[()]]
# an entry: rule, digest of the flagged text, digest of its lines
Entry = tuple[str, str, str]


def _path(filename: str, folder: str) -> str:
    if filename == "-":
        return "-"
    relative = os.path.relpath(os.path.abspath(filename), folder)
    return relative.replace(os.sep, "/")


def _key(d: Diagnostic, folder: str) -> Key:
    path = _path(d.filename, folder)
    if d.record is None:
        return path, ()
    if d.record.id is not None:
        return path, ("id", d.record.id)
    return path, ("line", d.record.line)


def _entry(d: Diagnostic) -> Entry:
    context = d.context
    if context is None:  # every placed finding has one
        raise ValueError(f"{d.where}: a finding without its text cannot be in a baseline")
    return d.code, f"{context.flagged:012x}", f"{context.lines:012x}"


@dataclass
class Outcome:
    """What comparing a run with a baseline gave."""

    new: list[Diagnostic]
    known: int  # findings of the run that the baseline has
    gone: int  # entries of the baseline that the run no longer finds


@dataclass
class Baseline:
    """The findings of a run, per document, as a baseline file keeps them."""

    folder: str  # the baseline's folder, which document paths are relative to
    documents: dict[Key, list[Entry]]

    @classmethod
    def of(cls, diagnostics: Iterable[Diagnostic], path: str) -> Baseline:
        folder = os.path.dirname(os.path.abspath(path))
        documents: dict[Key, list[Entry]] = {}
        for d in diagnostics:
            documents.setdefault(_key(d, folder), []).append(_entry(d))
        return cls(folder, documents)

    @classmethod
    def load(cls, path: str) -> Baseline:
        """The baseline in a file; ConfigError when it cannot be read or is no baseline."""
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            raise ConfigError(
                f"{path}: no such baseline (write one with --baseline-write)"
            ) from None
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise ConfigError(f"{path}: cannot read the baseline: {error}") from None
        if not isinstance(data, dict) or data.get("textmend-baseline") != VERSION:
            raise ConfigError(f"{path}: not a textmend baseline (version {VERSION})")
        documents: dict[Key, list[Entry]] = {}
        try:
            for document in data["documents"]:
                key = _document_key(document)
                entries = documents.setdefault(key, [])
                for text in document["findings"]:
                    code, flagged, lines = text.split()
                    entries.append((code, flagged, lines))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ConfigError(f"{path}: a damaged baseline (write it again)") from None
        return cls(os.path.dirname(os.path.abspath(path)), documents)

    def to_json(self) -> dict[str, Any]:
        documents = []
        for (path, record), entries in sorted(self.documents.items(), key=_order):
            document: dict[str, Any] = {"path": path}
            if record:
                document[record[0]] = record[1]
            document["findings"] = [" ".join(entry) for entry in entries]
            documents.append(document)
        return {"textmend-baseline": VERSION, "documents": documents}

    def write(self, path: str) -> None:
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n"
        write_file(path, text.encode("utf-8"))

    @property
    def size(self) -> int:
        return sum(len(entries) for entries in self.documents.values())

    def compare(self, diagnostics: Sequence[Diagnostic], examined: Iterable[str]) -> Outcome:
        """The findings that are not in the baseline, in their order, and the counts of
        those that are and of the entries of the examined files that no longer occur."""
        examined_paths = {_path(path, self.folder) for path in examined}
        by_document: dict[Key, list[int]] = {}
        for i, d in enumerate(diagnostics):
            by_document.setdefault(_key(d, self.folder), []).append(i)
        is_new = [False] * len(diagnostics)
        gone = 0
        for key, entries in self.documents.items():
            if key[0] in examined_paths and key not in by_document:
                gone += len(entries)
        for key, indices in by_document.items():
            left = Counter(self.documents.get(key, ()))
            unmatched = []
            for i in indices:
                entry = _entry(diagnostics[i])
                if left[entry] > 0:
                    left[entry] -= 1
                else:
                    unmatched.append((i, entry))
            # the line around a finding was edited: the same rule and flagged text
            loose: dict[tuple[str, str], list[Entry]] = {}
            for entry, count in left.items():
                loose.setdefault(entry[:2], []).extend([entry] * count)
            for i, entry in unmatched:
                candidates = loose.get(entry[:2])
                if candidates:
                    left[candidates.pop()] -= 1
                else:
                    is_new[i] = True
            gone += sum(left.values())
        new = [d for d, fresh in zip(diagnostics, is_new, strict=True) if fresh]
        return Outcome(new, len(diagnostics) - len(new), gone)


def _document_key(document: dict[str, Any]) -> Key:
    path = document["path"]
    if not isinstance(path, str):
        raise TypeError(path)
    if "id" in document:
        return path, ("id", str(document["id"]))
    if "line" in document:
        return path, ("line", int(document["line"]))
    return path, ()


def _order(item: tuple[Key, list[Entry]]) -> tuple[str, str, str]:
    (path, record), _ = item
    if not record:
        return path, "", ""
    kind, value = record
    # lines in their numeric order, ids as text
    return path, kind, f"{value:012d}" if kind == "line" else str(value)


class Step:
    """What a run does with a baseline: `--baseline-write FILE` or `--baseline FILE`."""

    def __init__(self, path: str, writing: bool) -> None:
        self.path = path
        self.writing = writing
        # read before the run, so that a missing or damaged baseline stops it at once
        self.baseline = None if writing else Baseline.load(path)
        self.note = ""

    @classmethod
    def from_args(cls, args: Any) -> Step | None:
        if getattr(args, "baseline_write", None):
            return cls(str(args.baseline_write), writing=True)
        if getattr(args, "baseline", None):
            return cls(str(args.baseline), writing=False)
        return None

    def apply(self, diagnostics: Sequence[Diagnostic], examined: Iterable[str]) -> list[Diagnostic]:
        """The findings to report: none when writing the baseline (they are all in it
        now), else those that are not in it; `note` says what was done."""
        if self.writing:
            written = Baseline.of(diagnostics, self.path)
            try:
                written.write(self.path)
            except OSError as error:
                raise ConfigError(f"{self.path}: cannot write the baseline: {error}") from None
            documents = len(written.documents)
            self.note = (
                f"wrote {_plural(written.size, 'finding')} of "
                f"{_plural(documents, 'document')} to the baseline {self.path}"
            )
            return []
        assert self.baseline is not None
        outcome = self.baseline.compare(diagnostics, examined)
        self.note = f"{_plural(outcome.known, 'finding')} in the baseline {self.path} not reported"
        if outcome.gone:
            self.note += (
                f"; {_plural(outcome.gone, 'of its entries', 'of its entries')} no longer "
                f"{'occurs' if outcome.gone == 1 else 'occur'}: write it again with "
                "--baseline-write to drop them"
            )
        return outcome.new


def _plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else words or word + 's'}"
