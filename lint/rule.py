"""Rules, their findings and fixes, and the registry that maps codes to rules.

A rule is a small class with its identity (code, kebab-case name, one-line summary), a
docstring in three parts (what it flags, why it matters, an example with its fix) that
`textmend rule CODE` prints, its scope and what fixes it can offer.

- `DocumentRule.check(doc)` looks at one document.
- `CorpusRule` looks at the whole run in two passes: `collect(doc)` gathers statistics
  from each document, `merge(a, b)` combines the statistics of two shards (exactly, so
  that shards can be collected in any order, in any process), and `check(doc, stats)`
  checks a document against the statistics merged over the whole corpus; optionally,
  `dependency(shard, stats)` says which part of the statistics that check reads, so
  that the cache can reuse its findings while that part does not change.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from textmend.document import Document

S = TypeVar("S")


class Applicability(enum.Enum):
    """How far a fix may be trusted: safe fixes change no meaning; unsafe ones may."""

    SAFE = "safe"
    UNSAFE = "unsafe"


class FixAvailability(enum.Enum):
    """What fixes a rule can offer, as `textmend rules` lists it."""

    NONE = "none"
    SAFE = "safe"
    UNSAFE = "unsafe"
    SOMETIMES = "sometimes"


class Scope(enum.Enum):
    DOCUMENT = "document"
    CORPUS = "corpus"


FAMILIES: dict[str, str] = {
    "W": "word-boundaries",
    "N": "names",
    "B": "boilerplate",
    "P": "punctuation",
    "U": "unicode",
    "L": "language",
    "D": "duplication",
    "T": "translation",
}


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] with `content` (an insertion when start == end)."""

    start: int
    end: int
    content: str


@dataclass(frozen=True)
class Fix:
    applicability: Applicability
    message: str
    edits: tuple[Edit, ...]

    @classmethod
    def safe(cls, message: str, *edits: Edit) -> Fix:
        return cls(Applicability.SAFE, message, edits)

    @classmethod
    def unsafe(cls, message: str, *edits: Edit) -> Fix:
        return cls(Applicability.UNSAFE, message, edits)

    @property
    def start(self) -> int:
        return min(e.start for e in self.edits)

    @property
    def end(self) -> int:
        return max(e.end for e in self.edits)


@dataclass(frozen=True)
class Finding:
    """What a rule reports: a span of the document, a message, and perhaps a fix."""

    rule: type[Rule]
    start: int
    end: int
    message: str
    fix: Fix | None = None
    # a fuller repair that may change meaning, used instead of `fix` when unsafe fixes
    # are on (a run-together word: the space is safe, restoring a comma is not)
    alternative: Fix | None = None

    def fix_for(self, unsafe: bool) -> Fix | None:
        """The fix to apply: the alternative when unsafe fixes are on, else a safe fix."""
        if unsafe and self.alternative is not None:
            return self.alternative
        if self.fix is not None and (unsafe or self.fix.applicability is Applicability.SAFE):
            return self.fix
        return None

    @property
    def code(self) -> str:
        return self.rule.code


@dataclass(frozen=True)
class RuleContext:
    """What a run tells its rules: the corpus language, settings and vocabularies."""

    lang: str = "en"
    # per family name, the options given under `[tool.textmend.<family>]`
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # words and names never flagged / strings always flagged (Vale-style vocabularies)
    accept: frozenset[str] = frozenset()
    reject: tuple[str, ...] = ()


class Rule:
    """Identity and documentation shared by every rule; see the module docstring."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    scope: ClassVar[Scope] = Scope.DOCUMENT
    fix_availability: ClassVar[FixAvailability] = FixAvailability.NONE
    # Settings a user may give under the family's table, `[tool.textmend.<family>]`,
    # with their defaults; the configuration checks names and types against these.
    options: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, context: RuleContext | None = None) -> None:
        self.context = context or RuleContext()
        given = self.context.options.get(self.family_name(), {})
        self.settings = {key: given.get(key, default) for key, default in self.options.items()}

    @classmethod
    def family(cls) -> str:
        return cls.code[0]

    @classmethod
    def family_name(cls) -> str:
        return FAMILIES[cls.code[0]]

    @classmethod
    def documentation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    def finding(
        self,
        start: int,
        end: int,
        message: str,
        fix: Fix | None = None,
        alternative: Fix | None = None,
    ) -> Finding:
        return Finding(type(self), start, end, message, fix, alternative)


class DocumentRule(Rule):
    def check(self, doc: Document) -> Iterable[Finding]:
        raise NotImplementedError


class CorpusRule(Rule, Generic[S]):
    scope = Scope.CORPUS

    def collect(self, doc: Document) -> S:
        raise NotImplementedError

    def merge(self, first: S, second: S) -> S:
        """The statistics of both shards. It may update `first` in place and return it
        (the engine never uses `first` again), so that merging stays linear."""
        raise NotImplementedError

    def check(self, doc: Document, stats: S) -> Iterable[Finding]:
        raise NotImplementedError

    def dependency(self, shard: S, stats: S) -> Any:
        """Optional, for the cache (`textmend.cache`): what `check` reads of the merged
        `stats` when it checks the documents whose own statistics are `shard` (their
        `collect`, merged), as plain data: strings, bytes, numbers, and tuples, lists,
        dicts, sets and dataclasses of them. A document's findings from an earlier run
        are reused while this stays the same (and so do its text and the settings);
        the same object given again (a view of the whole statistics, made once) is
        taken to be the same. `NotImplemented`, the default: the whole statistics, so
        that any change to them runs the rule again on every document."""
        return NotImplemented


REGISTRY: dict[str, type[Rule]] = {}
DOC_SECTIONS = ("What it flags", "Why it matters", "Example")


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add a rule to the registry, checking its identity is complete."""
    code = cls.code
    if len(code) != 4 or code[0] not in FAMILIES or not code[1:].isdigit():
        raise ValueError(f"rule code {code!r} is not a family letter and three digits")
    if code in REGISTRY:
        raise ValueError(f"rule code {code} registered twice")
    missing = [h for h in DOC_SECTIONS if f"## {h}" not in cls.documentation()]
    if missing:
        raise ValueError(f"{code}: the docstring lacks the section(s) {', '.join(missing)}")
    REGISTRY[code] = cls
    return cls


def all_rules() -> dict[str, type[Rule]]:
    """Every registered rule, by code, in code order."""
    import textmend.rules  # noqa: F401  (importing the rules registers them)

    return dict(sorted(REGISTRY.items()))
