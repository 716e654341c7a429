"""Where documents come from and where fixed documents go.

A `Source` is one file (or standard input). It can be read more than once, because
corpus-scope rules read the corpus twice: once for statistics, once to check. Reading
yields `Document`s, or `InputProblem`s for what cannot be read; a problem never stops
the run. Writing is atomic: a temporary file in the same folder, then a rename, keeping
the file's mode, its BOM and its line endings (the text itself keeps them: nothing here
translates line breaks).
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, NamedTuple

import orjson

from textmend.document import Document, RecordRef

BOM = b"\xef\xbb\xbf"
# the byte-order marks of the encodings that textmend does not read (UTF-32 first: its
# little-endian mark starts with UTF-16's)
OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
# the longest JSONL record read: a longer one is an input problem (memory stays bounded
# whatever a file, or a gzip bomb, holds)
MAX_RECORD_BYTES = 64 << 20
# the largest document checked, in characters: a larger one (a file, or a record's
# text) is an input problem, skipped and left untouched. Documents of a text corpus are
# pages and articles; what is larger is a dump, a log or a file that lost its line
# breaks, and checking it would take minutes (a 5 MB line takes about a minute to fix).
MAX_DOCUMENT_CHARS = 10 << 20
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
CORPUS_SUFFIXES = (".jsonl", ".jsonl.gz", ".parquet")
DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox",
    ".mypy_cache", ".ruff_cache", ".pytest_cache", ".textmend_cache", "build", "dist",
)  # fmt: skip


@dataclass(frozen=True)
class InputProblem:
    """Something that could not be read, with the file, the record if any, and why."""

    path: str
    reason: str
    record: int | None = None

    def __str__(self) -> str:
        where = self.path if self.record is None else f"{self.path}:{self.record}"
        return f"{where}: {self.reason}"


class SourceChanged(Exception):
    """The file changed after it was read: writing fixes now would lose that change."""


class Source:
    """One input: `documents()` reads it, `write()` stores fixed texts (by record line)."""

    def __init__(self, path: str, text_field: str = "text", id_field: str = "id") -> None:
        self.path = path
        self.text_field = text_field
        self.id_field = id_field
        self._stamp: tuple[int, int] | None = None

    def mark_read(self) -> None:
        """Remember the file's size and modification time as it is being read."""
        with contextlib.suppress(OSError):
            info = os.stat(self.path)
            self._stamp = (info.st_size, info.st_mtime_ns)

    def check_unchanged(self) -> None:
        info = os.stat(self.path)
        if self._stamp != (info.st_size, info.st_mtime_ns):
            raise SourceChanged(f"{self.path}: changed while textmend was fixing it; left as it is")

    def documents(self) -> Iterator[Document | InputProblem]:
        raise NotImplementedError

    def raw_items(self) -> Iterator[Document | RawRecord | InputProblem]:
        """What `documents()` gives, with a corpus's records possibly not yet read."""
        return self.documents()

    def write(self, fixed: Iterable[tuple[int, str]], destination: str) -> None:
        """Write the source with the texts of some records replaced: `fixed` gives
        (record line or row, new text) in record order, and is consumed while the
        file is written, so that a large corpus streams through. Nothing is written
        when `fixed` raises (the temporary file is removed) or gives nothing (unless
        the destination is another file: a copy is written then)."""
        raise NotImplementedError

    def _problem(self, reason: str, record: int | None = None) -> InputProblem:
        return InputProblem(self.path, reason, record)

    def _target(self, destination: str) -> str:
        """The file to replace: a symbolic link fixed in place is written through (its
        target is fixed, and the link stays a link); a copy under `--output` replaces
        whatever is at its own path."""
        return os.path.realpath(self.path) if destination == self.path else destination


def _describe_os_error(error: OSError) -> str:
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    return error.strerror or str(error)


def decode(data: bytes) -> tuple[str, bool]:
    """UTF-8 text and whether it had a BOM; raises UnicodeDecodeError otherwise."""
    has_bom = data.startswith(BOM)
    return data[len(BOM) :].decode("utf-8") if has_bom else data.decode("utf-8"), has_bom


def decode_problem(error: UnicodeDecodeError) -> str:
    byte = error.object[error.start : error.start + 1].hex()
    return f"not valid UTF-8 (byte 0x{byte} at offset {error.start}); the file is left untouched"


def not_text(data: bytes) -> str | None:
    """Why bytes are not a UTF-8 text file, before they are decoded: a byte-order mark
    of UTF-16 or UTF-32, or NUL bytes as binary data has them (a run of 8, or one byte
    in 8: UTF-16 without a mark has every other one); None for what may be one. A stray
    NUL in text (a scraping artefact) is a defect that U102 reports and removes."""
    for mark, encoding in OTHER_BOMS:
        if data.startswith(mark):
            return (
                f"{encoding} (its byte-order mark says so): textmend reads UTF-8 only; "
                f"the file is left untouched"
            )
    nul = data.find(b"\x00")
    if nul >= 0 and (b"\x00" * 8 in data or 8 * data.count(b"\x00") >= len(data)):
        return (
            f"a binary file: NUL bytes, the first at offset {nul} (or UTF-16 without a "
            f"byte-order mark); the file is left untouched"
        )
    return None


def too_large(what: str) -> str:
    return (
        f"too large: {what}, more than the {MAX_DOCUMENT_CHARS:,} characters textmend checks "
        f"in one document; skipped, and the file is left untouched"
    )


class TextSource(Source):
    """A plain-text file: one document."""

    def _read(self, limit: int = -1) -> bytes:
        """The file's bytes, `limit` of them at most. The file's size is asked first:
        a read of `limit` bytes sets that many aside before it reads (for a document's
        limit, 40 MB: 30-60 µs for each small file, against 9)."""
        with open(self.path, "rb") as handle:
            if limit < 0:
                return handle.read()
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(min(limit, size + 1))
            if len(data) > size:  # it grew meanwhile: read on, as far as the limit
                data += handle.read(limit - len(data))
            return data

    def documents(self) -> Iterator[Document | InputProblem]:
        self.mark_read()
        try:
            # a UTF-8 character is at most 4 bytes: more than this is too large unread
            data = self._read(4 * MAX_DOCUMENT_CHARS + len(BOM) + 1)
        except OSError as error:
            yield self._problem(f"cannot read: {_describe_os_error(error)}")
            return
        problem = not_text(data)
        if problem is None and len(data) > 4 * MAX_DOCUMENT_CHARS + len(BOM):
            problem = too_large(f"{os.path.getsize(self.path):,} bytes")
        if problem is not None:
            yield self._problem(problem)
            return
        try:
            text, _ = decode(data)
        except UnicodeDecodeError as error:
            yield self._problem(decode_problem(error))
            return
        if len(text) > MAX_DOCUMENT_CHARS:
            yield self._problem(too_large(f"{len(text):,} characters"))
            return
        yield Document(text, self.path)

    def write(self, fixed: Iterable[tuple[int, str]], destination: str) -> None:
        texts = dict(fixed)
        if not texts and destination == self.path:
            return
        destination = self._target(destination)
        self.check_unchanged()
        data = self._read()
        if 0 in texts:
            data = (BOM if data.startswith(BOM) else b"") + texts[0].encode("utf-8")
        atomic_write(destination, data, mode_of=self.path)


class StdinSource(Source):
    """Standard input, read once and kept: it cannot be read twice."""

    def __init__(self, data: bytes) -> None:
        super().__init__("-")
        self.data = data

    def documents(self) -> Iterator[Document | InputProblem]:
        problem = not_text(self.data)
        if problem is not None:
            yield self._problem(problem)
            return
        try:
            text, _ = decode(self.data)
        except UnicodeDecodeError as error:
            yield self._problem(decode_problem(error))
            return
        if len(text) > MAX_DOCUMENT_CHARS:
            yield self._problem(too_large(f"{len(text):,} characters"))
            return
        yield Document(text, self.path)

    def write(self, fixed: Iterable[tuple[int, str]], destination: str) -> None:
        """Standard output gets the text, fixed or as it came."""
        texts = dict(fixed)
        if 0 in texts:
            has_bom = self.data.startswith(BOM)
            sys.stdout.buffer.write((BOM if has_bom else b"") + texts[0].encode("utf-8"))
        else:
            sys.stdout.buffer.write(self.data)
        sys.stdout.buffer.flush()


@dataclass(frozen=True)
class RecordReader:
    """How a JSONL file's records are read into documents: its path and fields."""

    path: str
    text_field: str
    id_field: str

    def _problem(self, reason: str, record: int) -> InputProblem:
        return InputProblem(self.path, reason, record)

    def read(self, number: int, line: bytes | None) -> Document | InputProblem:
        """The document of the record on line `number`, or why it cannot be read."""
        if line is None:
            return self._problem(
                f"a record longer than {MAX_RECORD_BYTES >> 20} MiB; skipped", number
            )
        try:
            record = self._parse(line)
        except UnicodeDecodeError as error:
            return self._problem(decode_problem(error), number)
        except ValueError as error:
            return self._problem(f"not valid JSON: {error}", number)
        except RecursionError:
            return self._problem("a record nested too deeply to read; skipped", number)
        if not isinstance(record, dict):
            return self._problem(
                f"a record must be a JSON object, not {_json_type(record)}", number
            )
        if self.text_field not in record:
            return self._problem(f"the record has no field {self.text_field!r}", number)
        text = record[self.text_field]
        if not isinstance(text, str):
            return self._problem(
                f"the field {self.text_field!r} is {_json_type(text)}, not a string", number
            )
        if len(text) > MAX_DOCUMENT_CHARS:
            reason = too_large(f"the field {self.text_field!r} holds {len(text):,} characters")
            return self._problem(reason, number)
        record_id = record.get(self.id_field)
        return Document(
            text, self.path, RecordRef(number, None if record_id is None else str(record_id))
        )

    def _parse(self, line: bytes) -> Any:
        """A record, read by orjson (in a third of the time of the standard library's
        reader: a corpus is read twice, once for each phase), or by the standard
        library's wherever the two could differ: orjson refuses some of what that one
        reads (NaN, a lone surrogate, UTF-16) and reads an integer beyond 64 bits as a
        float, which would change a record's id."""
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            return json.loads(line)
        if isinstance(record, dict) and isinstance(record.get(self.id_field), float):
            return json.loads(line)
        return record


class RawRecord(NamedTuple):
    """A JSONL record not yet read: its line number and bytes (None for a line too
    long to hold). When documents are checked in worker processes without the cache (which
    knows a document by its text), the main process sends these and each worker reads
    its own. Parsing every record, building its document and pickling it for a worker,
    once a phase, had cost the main process 14.5 s of processor time over 100 MB with
    two workers, against 10.8 s now."""

    reader: RecordReader
    number: int
    data: bytes | None

    def read(self) -> Document | InputProblem:
        return self.reader.read(self.number, self.data)


class JsonlSource(Source):
    """JSON Lines, optionally gzipped: one document per record, read line by line."""

    def _open(self) -> io.BufferedIOBase:
        if self.path.endswith(".gz"):
            return gzip.open(self.path, "rb")
        return open(self.path, "rb")

    def _lines(self) -> Iterator[tuple[int, bytes | None]]:
        """The lines, numbered; None for a line longer than MAX_RECORD_BYTES, which is
        skipped in pieces, so that memory stays bounded whatever the file holds (a
        gzip bomb of one endless line)."""
        with self._open() as handle:
            number = 0
            while line := handle.readline(MAX_RECORD_BYTES + 1):
                number += 1
                if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
                    while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                        pass
                    yield number, None
                    continue
                yield number, line[len(BOM) :] if number == 1 and line.startswith(BOM) else line

    def documents(self) -> Iterator[Document | InputProblem]:
        for item in self.raw_items():
            yield item if isinstance(item, InputProblem) else item.read()

    def raw_items(self) -> Iterator[RawRecord | InputProblem]:
        """The records as their lines' bytes, each read into a document by `read()` (in
        a worker: see `RawRecord`), with what stops the file being read as problems."""
        self.mark_read()
        reader = RecordReader(self.path, self.text_field, self.id_field)
        try:
            with self._open() as handle:
                start = handle.read(4)
            for mark, encoding in OTHER_BOMS:
                if start.startswith(mark):
                    yield self._problem(
                        f"{encoding} (its byte-order mark says so): textmend reads UTF-8 "
                        f"JSON Lines only; the file is left untouched"
                    )
                    return
            for number, line in self._lines():
                if line is None or line.strip():
                    yield RawRecord(reader, number, line)
        except OSError as error:
            yield self._problem(f"cannot read: {_describe_os_error(error)}")
        except (EOFError, zlib.error) as error:
            yield self._problem(f"truncated or corrupt gzip data ({error})")

    def write(self, fixed: Iterable[tuple[int, str]], destination: str) -> None:
        with self._open() as handle:
            has_bom = handle.read(len(BOM)) == BOM
        changes = iter(fixed)
        change = next(changes, None)
        if change is None and destination == self.path:
            return
        destination = self._target(destination)
        with atomic_writer(destination, mode_of=self.path, before=self.check_unchanged) as raw:
            out: IO[bytes] | gzip.GzipFile = (
                gzip.GzipFile(fileobj=raw, mode="wb") if self.path.endswith(".gz") else raw
            )
            if has_bom:
                out.write(BOM)
            for number, line in self._lines():
                if line is None:  # the record is reported as a problem too
                    raise OSError(f"record {number} is longer than {MAX_RECORD_BYTES >> 20} MiB")
                if change is not None and change[0] == number:
                    out.write(_replace_text(line, self.text_field, change[1]))
                    change = next(changes, None)
                else:
                    out.write(line)
            if out is not raw:
                out.close()


def _json_type(value: Any) -> str:
    names = {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        type(None): "null",
    }
    return names.get(type(value), "a number")


def _replace_text(line: bytes, field: str, text: str) -> bytes:
    """The record with its text replaced; every other field keeps its value and order.

    The record is written back in the line's own style: compact or spaced separators,
    and non-ASCII characters as they were (escaped or literal). A record that holds a
    lone surrogate (JSON can escape one: `"\\ud800"`; UTF-8 cannot hold it) is written
    escaped, as JSON keeps it."""
    record = json.loads(line)
    record[field] = text
    compact = b'":' in line and b'": ' not in line
    escaped = line.isascii() and b"\\u" in line
    separators = (",", ":") if compact else (", ", ": ")
    try:
        body = json.dumps(record, ensure_ascii=escaped, separators=separators).encode("utf-8")
    except UnicodeEncodeError:
        body = json.dumps(record, ensure_ascii=True, separators=separators).encode("ascii")
    ending = line[len(line.rstrip(b"\r\n")) :]
    return body + ending


class ParquetSource(Source):
    """A Parquet file: one document per row, its text in a string column (needs pyarrow)."""

    BATCH_ROWS = 4096

    def _parquet(self) -> Any:
        try:
            import pyarrow.parquet as pq
        except ImportError as error:
            raise OSError(
                "reading .parquet needs pyarrow: pip install 'textmend[parquet]'"
            ) from error
        return pq.ParquetFile(self.path)

    def documents(self) -> Iterator[Document | InputProblem]:
        self.mark_read()
        try:
            parquet = self._parquet()
            schema = parquet.schema_arrow
            problem = self._schema_problem(schema)
            if problem:
                yield self._problem(problem)
                return
            columns = [self.text_field] + ([self.id_field] if self.id_field in schema.names else [])
            row = 0
            for batch in parquet.iter_batches(batch_size=self.BATCH_ROWS, columns=columns):
                texts = batch.column(self.text_field).to_pylist()
                ids = (
                    batch.column(self.id_field).to_pylist()
                    if len(columns) > 1
                    else [None] * len(texts)
                )
                for text, record_id in zip(texts, ids, strict=True):
                    row += 1
                    if text is None:
                        yield self._problem(f"the field {self.text_field!r} is null", row)
                        continue
                    if len(text) > MAX_DOCUMENT_CHARS:
                        what = f"the field {self.text_field!r} holds {len(text):,} characters"
                        reason = too_large(what)
                        yield self._problem(reason, row)
                        continue
                    ref = RecordRef(row, None if record_id is None else str(record_id))
                    yield Document(text, self.path, ref)
        except OSError as error:
            yield self._problem(f"cannot read: {_describe_os_error(error)}")
        except Exception as error:  # pyarrow raises its own ArrowInvalid for corrupt files
            yield self._problem(f"cannot read as Parquet: {error}")

    def _schema_problem(self, schema: Any) -> str | None:
        import pyarrow as pa

        if self.text_field not in schema.names:
            return f"no column {self.text_field!r} (columns: {', '.join(schema.names)})"
        kind = schema.field(self.text_field).type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            return f"the column {self.text_field!r} is {kind}, not a string"
        return None

    def write(self, fixed: Iterable[tuple[int, str]], destination: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        changes = iter(fixed)
        change = next(changes, None)
        if change is None and destination == self.path:
            return
        destination = self._target(destination)
        parquet = self._parquet()
        schema = parquet.schema_arrow
        index = schema.get_field_index(self.text_field)
        with (
            atomic_writer(destination, mode_of=self.path, before=self.check_unchanged) as raw,
            pq.ParquetWriter(raw, schema) as writer,
        ):
            row = 0
            for batch in parquet.iter_batches(batch_size=self.BATCH_ROWS):
                texts = batch.column(index).to_pylist()
                while change is not None and change[0] <= row + len(texts):
                    texts[change[0] - row - 1] = change[1]
                    change = next(changes, None)
                row += len(texts)
                column = pa.array(texts, type=schema.field(index).type)
                writer.write_batch(batch.set_column(index, schema.field(index), column))


def source_for(path: str, text_field: str, id_field: str) -> Source:
    if path.endswith((".jsonl", ".jsonl.gz")):
        return JsonlSource(path, text_field, id_field)
    if path.endswith(".parquet"):
        return ParquetSource(path, text_field, id_field)
    return TextSource(path, text_field, id_field)


def discover(paths: list[str], is_excluded: Any) -> Iterator[str | InputProblem]:
    """Files to read, in a stable order: named files as given, folders walked recursively.

    Folders yield the text and corpus files they hold, skipping the usual tool folders
    (.git, .venv, ...) and whatever `is_excluded(path)` rejects."""
    unreadable: list[OSError] = []  # folders that cannot be listed: reported, not skipped
    for path in paths:
        if os.path.isdir(path):
            for folder, dirs, files in os.walk(path, onerror=unreadable.append):
                yield from _unlisted(unreadable)
                dirs[:] = sorted(
                    d
                    for d in dirs
                    if d not in DEFAULT_EXCLUDES and not is_excluded(os.path.join(folder, d))
                )
                for name in sorted(files):
                    file_path = os.path.normpath(os.path.join(folder, name))
                    if name.endswith(TEXT_SUFFIXES + CORPUS_SUFFIXES) and not is_excluded(
                        file_path
                    ):
                        yield file_path
            yield from _unlisted(unreadable)
        elif os.path.lexists(path):
            if not is_excluded(path):
                yield path
        else:
            yield InputProblem(path, "no such file or directory")


def _unlisted(errors: list[OSError]) -> Iterator[InputProblem]:
    while errors:
        error = errors.pop(0)
        where = os.path.normpath(str(error.filename or "?"))
        yield InputProblem(where, f"cannot list the folder: {_describe_os_error(error)}")


def atomic_write(destination: str, data: bytes, mode_of: str | None = None) -> None:
    with atomic_writer(destination, mode_of) as handle:
        handle.write(data)


@contextlib.contextmanager
def atomic_writer(
    destination: str, mode_of: str | None = None, before: Callable[[], None] | None = None
) -> Iterator[IO[bytes]]:
    """A binary file that replaces `destination` only once it is completely written.

    The temporary file sits in the same folder, so the final rename is atomic; it takes
    the mode of `mode_of` (the original file) when there is one. `before` runs just
    before the rename, and may raise to leave the destination as it is (the source
    changed while it was being read)."""
    folder = os.path.dirname(os.path.abspath(destination))
    os.makedirs(folder, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{os.path.basename(destination)}.", suffix=".textmend.tmp", dir=folder
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if mode_of is not None and os.path.exists(mode_of):
            os.chmod(temporary, os.stat(mode_of).st_mode & 0o7777)
        if before is not None:
            before()
        os.replace(temporary, destination)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def read_stdin() -> StdinSource:
    return StdinSource(sys.stdin.buffer.read())
