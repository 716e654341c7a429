"""The unit every rule sees: a document's text, where it came from, and shared analyses.

Rules work in character offsets into `Document.text`; only reporters turn offsets into
(row, column), through the line index that is built once per document.
"""

from __future__ import annotations

import bisect
import copyreg
import hashlib
import re
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate
from typing import Any, NamedTuple, TypeVar

T = TypeVar("T")
C = TypeVar("C", bound=tuple[Any, ...])
K = TypeVar("K")
V = TypeVar("V")

# A line ends at CRLF, LF or a lone CR, as editors count lines.
LINE_BREAK = re.compile(r"\r\n|\r|\n")


FEW_TERMS = 32  # up to this many, a document is searched for the terms themselves first


@dataclass(frozen=True)
class Terms:
    """A set of literal terms and the pattern that finds them between boundaries."""

    pattern: re.Pattern[str]
    # the terms, when they are few: a text that holds none of them (a test in C, a
    # microsecond for a page) is not scanned by the pattern, whose boundary tests run
    # at every character
    few: tuple[str, ...] | None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self.few is not None and not any(map(text.__contains__, self.few)):
            return iter(())
        return self.pattern.finditer(text)


def terms_pattern(
    terms: Iterable[str], not_after: str = r"\w", after: str = r"(?!\w)", capture: bool = False
) -> Terms | None:
    """One pattern for a set of literal terms, the longest winning where two start at
    one place; None for no terms. `not_after` is the class of the characters that may
    not stand just before a term, `after` what must follow it; with `capture`, the term
    is group 1.

    The terms are arranged as a trie (`(?:Kim(?: Jong Un|-hyun)|...)`), so that at each
    place `re` follows one branch per character instead of trying every term in turn:
    with 3,000 terms, 40 times as fast as the plain alternation. The test of the
    character before comes after a term's first character (`K(?<!-K)im...`), so
    that `re` skips from one first character to the next: a pattern that starts with a
    lookbehind is tried at every character, ten times as slow."""
    distinct = {term for term in terms if term}
    trie: dict[str, Any] = {}
    for term in distinct:
        node = trie
        for character in term:
            node = node.setdefault(character, {})
        node[""] = {}  # a term ends here
    if not trie:
        return None
    first = [
        f"{re.escape(c)}(?<!{not_after}{re.escape(c)}){_alternation(trie[c])}" for c in sorted(trie)
    ]
    alternation = "(?:" + "|".join(first) + ")"
    pattern = re.compile(f"({alternation}){after}" if capture else alternation + after)
    return Terms(pattern, tuple(distinct) if len(distinct) <= FEW_TERMS else None)


def _alternation(node: dict[str, Any]) -> str:
    """The pattern of a trie node: its branches, the end of a term last (so that the
    longer term is tried first)."""
    branches = [re.escape(c) + _alternation(node[c]) for c in sorted(node) if c]
    if "" in node:
        branches.append("")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def compact(kind: type[C]) -> type[C]:
    """Pickle the values of a NamedTuple class as `tuple.__new__(kind, fields)`.

    Such values cross between processes and into the cache by the ten thousand (the
    findings of a corpus). Unpickled this way each is made in C, without the
    Python-level `__new__` of a NamedTuple (three times as slow) or the `__init__` of a
    frozen dataclass, which sets each field through `object.__setattr__` (ten times as
    slow: 2.4 against 0.27 µs for a finding)."""
    copyreg.pickle(kind, _as_tuple)
    return kind


def _as_tuple(value: tuple[Any, ...]) -> tuple[Callable[..., Any], tuple[Any, ...]]:
    return tuple.__new__, (type(value), tuple(value))


@compact
class RecordRef(NamedTuple):
    """Where a record sits in a corpus file: its 1-based line (JSONL) or row (Parquet), and id."""

    line: int
    id: str | None

    def label(self) -> str:
        return f"{self.line}" if self.id is None else f"{self.line}:{self.id}"


class BoundedMemo(dict[K, V]):
    """The values of `make`, each made when its key is first asked for and looked up in
    C after (`memo[key]`, or `map(memo.__getitem__, keys)`: a dictionary, where
    `functools.lru_cache` costs a Python-level call a look-up). Emptied when it holds
    `limit` keys, so that a long run of ever new keys (typos, codes, names) cannot grow
    it without end."""

    def __init__(self, make: Callable[[K], V], limit: int = 1 << 17) -> None:
        super().__init__()
        self.make = make
        self.limit = limit

    def __missing__(self, key: K) -> V:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.make(key)
        return value


class Line(NamedTuple):
    """One line of a document: `start`/`end` are offsets, `end` excludes the line break.
    (A named tuple: a document has dozens, made for every document twice a run.)"""

    start: int
    end: int
    text: str


@dataclass
class Document:
    """A text to check, with its origin. Derived analyses are computed once and cached."""

    text: str
    path: str
    record: RecordRef | None = None
    # the text is not what the corpus pass read but a fix of it: rules that skip the
    # documents the corpus pass found nothing in must read this one
    revised: bool = field(default=False, compare=False)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def with_text(self, text: str) -> Document:
        """The same document with new text (and a fresh cache), as the fixer needs."""
        return Document(text=text, path=self.path, record=self.record, revised=True)

    def fresh(self) -> Document:
        """The same text, path and record, without what the rules worked out from it,
        but with its `digest` if it has one: phase two of a run checks such a copy of
        what phase one read, and the cache knows both by the same digest."""
        copy = Document(self.text, self.path, self.record)
        if DIGEST in self._cache:
            copy._cache[DIGEST] = self._cache[DIGEST]
        return copy

    @property
    def digest(self) -> bytes:
        """A digest of the text (BLAKE2b of its UTF-8, 20 bytes), computed once."""
        return self.cached(DIGEST, _text_digest)

    def cached(self, key: str, compute: Callable[[Document], T]) -> T:
        """Compute a shared analysis once per document, whichever rule asks first."""
        try:
            value: T = self._cache[key]
        except KeyError:
            value = self._cache[key] = compute(self)
        return value

    def computed(self, key: str) -> Any:
        """A shared analysis if a rule has already asked for it, else None."""
        return self._cache.get(key)

    @property
    def line(self) -> int:
        """The record's line or row in its corpus file; 0 for a whole file."""
        return self.record.line if self.record else 0

    @property
    def line_starts(self) -> list[int]:
        return self.cached("line_starts", _line_starts)

    @property
    def lines(self) -> list[Line]:
        return self.cached("lines", _lines)

    def line_end(self, row: int) -> int:
        """Where the line `row` (0-based) ends, before its line break (CRLF, LF or CR),
        from the line starts alone (without building every line's text)."""
        starts = self.line_starts
        if row + 1 == len(starts):
            return len(self.text)
        after = starts[row + 1]
        # a CR just before the break's LF is the CRLF's (LINE_BREAK takes CRLF whole)
        crlf = self.text[after - 2 : after] == "\r\n" and after - 2 >= starts[row]
        return after - 2 if crlf else after - 1

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (row, column) of a character offset; columns count code points."""
        starts = self.line_starts
        row = bisect.bisect_right(starts, offset) - 1
        return row + 1, offset - starts[row] + 1

    def read_outside(self, labels: Container[str]) -> bool:
        """Whether the corpus pass read this very text (not a fix of it) and found it
        outside `labels`: a corpus rule whose pass lists every document its check could
        report in skips the others."""
        return not self.revised and self.label not in labels

    @property
    def label(self) -> str:
        """How messages name this document: its path, and its record if it has one."""
        return self.path if self.record is None else f"{self.path}[{self.record.label()}]"


DIGEST = "digest"  # (the key of `Document.digest` among a document's analyses)


def _text_digest(doc: Document) -> bytes:
    return hashlib.blake2b(doc.text.encode("utf-8", "surrogatepass"), digest_size=20).digest()


def _line_starts(doc: Document) -> list[int]:
    return [0, *(m.end() for m in LINE_BREAK.finditer(doc.text))]


# a Line from a tuple of its fields, without the Python-level `__new__` of a named
# tuple: the lines of a news document built in half the time (0.030 -> 0.013 s over 2 MB)
_new_line = partial(tuple.__new__, Line)


def _lines(doc: Document) -> list[Line]:
    text = doc.text
    if "\r" not in text:  # line feeds only, nearly always: split and built in C
        parts = text.split("\n")
        lengths = list(map(len, parts))
        starts = [0, *accumulate(map((1).__add__, lengths[:-1]))]
        return list(
            map(_new_line, zip(starts, map(int.__add__, starts, lengths), parts, strict=True))
        )
    lines = []
    start = 0
    for m in LINE_BREAK.finditer(text):
        lines.append(Line(start, m.start(), text[start : m.start()]))
        start = m.end()
    lines.append(Line(start, len(text), text[start:]))
    return lines
