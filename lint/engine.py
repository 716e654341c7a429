"""The corpus pass and checking: documents in, findings out.

Flow: the corpus-scope rules first `collect` statistics from every document of the
run and `merge` them; then every document is checked by every selected rule (the
corpus rules against the merged statistics). Which rules apply to a document depends
on its path (`per-file-ignores`); findings inside an accepted vocabulary entry are
dropped here, once, for every rule.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from textmend.config import Settings, matches_selector, select_rules
from textmend.document import Document, terms_pattern
from textmend.rule import CorpusRule, Finding, Rule

# allocations between two collections of the youngest generation (Python's default: 700)
YOUNG_COLLECTION = 10_000


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run with the cyclic garbage collector's first threshold raised, then restore it
    (a run, and the corpus pass within it).
    A run's findings and statistics live until the report (a cached run loads them by
    the ten thousand), and a run makes almost no cyclic garbage (1,063 objects in a
    check of 1,000 files): collecting every 700 allocations only traced the same objects
    again and again (0.29 s of a 6.2 s check, 0.15 s of a 1 s cached one)."""
    before = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


class RuleFailure(Exception):
    """A rule raised, or reported a span outside its document: a bug in textmend."""

    def __init__(self, code: str, doc: Document, detail: str) -> None:
        super().__init__(f"{doc.label}: internal error in rule {code}: {detail}")
        self.code = code

    @classmethod
    def from_error(cls, rule: Rule, doc: Document, error: Exception) -> RuleFailure:
        return cls(rule.code, doc, f"{type(error).__name__}: {error}")

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        # a failure travels back from worker processes: rebuilt from its message and code
        return _rule_failure, (str(self), self.code)


def _rule_failure(message: str, code: str) -> RuleFailure:
    failure = RuleFailure.__new__(RuleFailure)
    Exception.__init__(failure, message)
    failure.code = code
    return failure


@dataclass
class Linter:
    """The selected rules of a run, with the corpus statistics once they are collected."""

    settings: Settings
    rules: list[Rule] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings) -> Linter:
        context = settings.context()
        return cls(settings, [rule(context) for rule in select_rules(settings)])

    def __post_init__(self) -> None:
        self._rules_by_path: dict[str, list[Rule]] = {}
        self._parts: dict[frozenset[str], Linter] = {}
        # per list of rules (by identity): the list, the statistics, the checks to run
        self._checks: dict[int, tuple[list[Rule], tuple[int, ...], list[tuple[Any, Any]]]] = {}
        # per list of rules (by identity): the list and its corpus rules
        self._corpus: dict[int, tuple[list[Rule], list[CorpusRule[Any]]]] = {}
        self._accepted = terms_pattern(self.settings.accept)

    @property
    def corpus_rules(self) -> list[CorpusRule[Any]]:
        return [rule for rule in self.rules if isinstance(rule, CorpusRule)]

    def collect(self, documents: Iterable[Document]) -> None:
        """The corpus pass: statistics of every corpus rule over these documents."""
        self.merge(self.statistics(documents))

    def statistics(self, documents: Iterable[Document]) -> dict[str, Any]:
        """The corpus statistics of these documents alone, by rule code (a shard's)."""
        shard: dict[str, Any] = {}
        with fewer_collections():
            for doc in documents:
                for rule in self._corpus_rules_for(doc.path):
                    try:
                        stats = rule.collect(doc)
                    except Exception as error:
                        raise RuleFailure.from_error(rule, doc, error) from error
                    previous = shard.get(rule.code)
                    shard[rule.code] = stats if previous is None else rule.merge(previous, stats)
        return shard

    def merge(self, shard: dict[str, Any]) -> None:
        """Merge a shard's statistics into the run's (shards in corpus order)."""
        merge_into(self.corpus_rules, self.stats, shard)

    def only(self, codes: frozenset[str]) -> Linter:
        """A linter with only the rules that `codes` names (the same rule objects, so
        that what they work out once per run is shared) and these statistics."""
        part = self._parts.get(codes)
        if part is None:
            rules = [rule for rule in self.rules if rule.code in codes]
            part = self._parts[codes] = Linter(self.settings, rules)
        part.stats = self.stats
        return part

    def rules_for(self, path: str) -> list[Rule]:
        if not self.settings.per_file_ignores:
            return self.rules
        try:
            return self._rules_by_path[path]
        except KeyError:
            ignored = self.settings.ignored_codes(path)
            rules = [r for r in self.rules if not matches_selector(r.code, ignored)]
            self._rules_by_path[path] = rules
            return rules

    def _corpus_rules_for(self, path: str) -> list[CorpusRule[Any]]:
        """The corpus rules of `rules_for(path)`, picked out once per list of rules, not
        for every document (a test of each of some forty rules for each document)."""
        rules = self.rules_for(path)
        known = self._corpus.get(id(rules))
        if known is None or known[0] is not rules:
            picked = [rule for rule in rules if isinstance(rule, CorpusRule)]
            known = self._corpus[id(rules)] = (rules, picked)
        return known[1]

    def check(self, doc: Document) -> list[Finding]:
        """Every finding of the selected rules in one document, in text order."""
        findings: list[Finding] = []
        size = len(doc.text)
        for rule, stats in self._checks_for(doc.path):
            try:
                found = list(rule.check(doc) if stats is None else rule.check(doc, stats))
            except Exception as error:
                raise RuleFailure.from_error(rule, doc, error) from error
            if found:
                for finding in found:
                    if not 0 <= finding.start <= finding.end <= size:
                        raise RuleFailure(
                            rule.code, doc, f"span {finding.start}-{finding.end} outside"
                        )
                findings.extend(found)
        if self._accepted is not None and findings:
            findings = self._drop_accepted(doc, findings)
        findings.sort(key=lambda f: (f.start, f.end, f.code))
        return findings

    def _checks_for(self, path: str) -> list[tuple[Any, Any]]:
        """The rules to run on a document at `path`, each with the statistics it checks
        against (None for a document rule); a corpus rule that no document reached in
        the corpus pass has nothing to compare with and is left out. Worked out once
        per set of rules and statistics, not for every document."""
        rules = self.rules_for(path)
        stats = tuple(map(id, self.stats.values()))
        known = self._checks.get(id(rules))
        if known is None or known[0] is not rules or known[1] != stats:
            checks = [
                (rule, self.stats[rule.code] if isinstance(rule, CorpusRule) else None)
                for rule in rules
                if not isinstance(rule, CorpusRule) or rule.code in self.stats
            ]
            known = self._checks[id(rules)] = (rules, stats, checks)
        return known[2]

    def _drop_accepted(self, doc: Document, findings: list[Finding]) -> list[Finding]:
        assert self._accepted is not None
        spans = [m.span() for m in self._accepted.finditer(doc.text)]
        return [f for f in findings if not any(s <= f.start and f.end <= e for s, e in spans)]


def merge_into(
    rules: Iterable[CorpusRule[Any]], stats: dict[str, Any], shard: dict[str, Any]
) -> None:
    """Merge a shard's statistics (by rule code) into `stats`, which takes them over."""
    for rule in rules:
        if rule.code in shard:
            mine = stats.get(rule.code)
            theirs = shard[rule.code]
            stats[rule.code] = theirs if mine is None else rule.merge(mine, theirs)
