"""Running the two phases over batches of documents, in this process or in many.

The unit of work is a batch of documents (or input problems, passed through in place)
from one source. Phase one collects each batch's corpus statistics, which the parent
merges in batch order; phase two examines each batch against the merged statistics and
returns one `Outcome` per document: what to report and, when fixing, the new text.
Workers receive the settings and the merged statistics once, when they start, and the
parent consumes results in submission order, so the output is the same whatever the
number of jobs.

`examine_part` examines a batch with some corpus rules only, when the findings of the
others are known (`textmend.cache` has them): its outcomes are then `partial`.

Each document, and each batch of the corpus pass, has a time limit (`time_limit`),
generous for its size: the last line of defence against a rule that takes far more than
linear work on some text (tests/test_hostile.py keeps every rule linear). The rule that
was running when it expired is named, the document is not written, the run goes on.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from textmend.config import Settings
from textmend.document import Document
from textmend.engine import Linter, RuleFailure
from textmend.fixer import fix_document
from textmend.report import Diagnostic
from textmend.sources import InputProblem, RawRecord

T = TypeVar("T")
R = TypeVar("R")

# what a batch holds: documents, problems, and records that the worker reads (`read`)
Item = Document | RawRecord | InputProblem
Stats = dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """What examining one document gave: its findings placed in the text as it ends up,
    the fixed text when `fix` changed it, how many fixes were applied, and the error
    message when a rule failed (the document then counts as unreadable: not written)."""

    key: int  # the record's line or row; 0 for a whole file
    diagnostics: tuple[Diagnostic, ...]
    # the findings placed in the text as given, reported instead when nothing is written
    initial: tuple[Diagnostic, ...]
    fixed: str | None = None
    applied: int = 0
    error: str | None = None
    # only the findings of some rules (`examine_part`): the others are known elsewhere
    partial: bool = False


@dataclass(frozen=True)
class Task:
    """How to examine: check only, or fix (with unsafe fixes or not)."""

    fixing: bool = False
    unsafe: bool = False


# the time a document may take: this, and a second per this many characters (on a
# slow machine, the rules check about 100,000 characters a second)
LIMIT_SECONDS = 60.0
LIMIT_CHARACTERS_PER_SECOND = 20_000


class TooSlow(Exception):
    """A document, or a batch of the corpus pass, took longer than its time limit."""


def limit_for(characters: int) -> float:
    return LIMIT_SECONDS + characters / LIMIT_CHARACTERS_PER_SECOND


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `TooSlow` in whatever runs when `seconds` have passed (in a rule, the
    engine turns it into the rule's failure). A timer is set only where one can be
    without disturbing anyone: in the main thread, when SIGALRM is not in use (the
    command line and its workers; a program that uses SIGALRM itself gets no limit)."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGALRM) is not signal.SIG_DFL
        or signal.getitimer(signal.ITIMER_REAL)[0] > 0
    ):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TooSlow(f"took more than {seconds:.0f} s, the time limit for its size")

    signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


def examine(linter: Linter, doc: Document, task: Task) -> Outcome:
    """Check or fix one document with a linter whose statistics are merged, within the
    document's time limit."""
    try:
        with time_limit(limit_for(len(doc.text))):
            return _examine(linter, doc, task)
    except TooSlow as error:  # outside a rule (the engine names the rule inside one)
        return Outcome(doc.line, (), (), error=f"{doc.label}: {error}; not written")


def _examine(linter: Linter, doc: Document, task: Task) -> Outcome:
    try:
        if not task.fixing:
            placed = tuple(Diagnostic.place(doc, f) for f in linter.check(doc))
            return Outcome(doc.line, placed, placed)
        result = fix_document(doc, linter.check, task.unsafe)
        if result.unsettled:
            raise RuleFailure(
                ",".join(result.unsettled), doc, "fixes did not settle after many rounds"
            )
    except RuleFailure as failure:
        return Outcome(doc.line, (), (), error=str(failure))
    initial = tuple(Diagnostic.place(doc, f) for f in result.initial)
    if result.text == doc.text:
        return Outcome(doc.line, initial, initial)
    final = doc.with_text(result.text)
    remaining = tuple(Diagnostic.place(final, f) for f in result.remaining)
    return Outcome(doc.line, remaining, initial, result.text, sum(result.applied.values()))


def read(items: Iterable[Item]) -> list[Document | InputProblem]:
    """The items with their raw records read into documents (or problems)."""
    return [item.read() if isinstance(item, RawRecord) else item for item in items]


def collect(linter: Linter, items: Iterable[Item]) -> Stats | RuleFailure:
    """The corpus statistics of some documents (problems are skipped: phase two reports
    them), or the failure of a rule, sent back as a result from a worker."""
    documents = [item for item in read(items) if isinstance(item, Document)]
    try:
        with time_limit(limit_for(sum(len(doc.text) for doc in documents))):
            return linter.statistics(documents)
    except RuleFailure as failure:
        return failure
    except TooSlow as error:
        if not documents:
            raise
        return RuleFailure("corpus pass", documents[0], str(error))


def examine_batch(linter: Linter, items: list[Item], task: Task) -> list[Outcome | InputProblem]:
    return [
        item if isinstance(item, InputProblem) else examine(linter, item, task)
        for item in read(items)
    ]


def examine_part(
    linter: Linter, items: list[Item], task: Task, codes: frozenset[str]
) -> list[Outcome | InputProblem]:
    """Examine a batch with only the rules `codes` names, the other findings of its
    documents being known (none with a fix to apply): each document gets a `partial`
    outcome with the findings of these rules, unless it is being fixed and one of them
    has a fix to apply: it is then fixed as `examine` fixes it, with every rule."""
    part = linter.only(codes)
    outcomes: list[Outcome | InputProblem] = []
    for item in read(items):
        if isinstance(item, InputProblem):
            outcomes.append(item)
            continue
        try:
            with time_limit(limit_for(len(item.text))):
                findings = part.check(item)
        except RuleFailure as failure:
            outcomes.append(Outcome(item.line, (), (), error=str(failure)))
            continue
        except TooSlow as error:
            outcomes.append(Outcome(item.line, (), (), error=f"{item.label}: {error}"))
            continue
        if task.fixing and any(f.fix_for(task.unsafe) is not None for f in findings):
            outcomes.append(examine(linter, item, task))
            continue
        placed = tuple(Diagnostic.place(item, f) for f in findings)
        outcomes.append(Outcome(item.line, placed, placed, partial=True))
    return outcomes


# --- where the batches run ----------------------------------------------------------


class Backend(Protocol):
    """Runs the two phases over batches, yielding results in batch order."""

    def collect(self, batches: Iterable[list[Item]]) -> Iterator[Stats | RuleFailure]: ...

    def examine(
        self, batches: Iterable[list[Item]], stats: Stats, task: Task
    ) -> Iterator[list[Outcome | InputProblem]]: ...


_worker: Linter | None = None


def _start_worker(settings: Settings, stats: Stats) -> None:
    global _worker
    _worker = Linter.from_settings(settings)
    _worker.stats = stats


def _collect_in_worker(items: list[Item]) -> Stats | RuleFailure:
    assert _worker is not None
    return collect(_worker, items)


def _examine_in_worker(job: tuple[list[Item], Task]) -> list[Outcome | InputProblem]:
    assert _worker is not None
    return examine_batch(_worker, *job)


@dataclass
class LocalBackend:
    """This process, and `jobs` worker processes once there is more than one batch,
    which are sent consecutive batches in chunks (`chunks`).

    The first batch is examined here: a run over a few files pays for no pool, and the
    lexicons, the statistics and whatever the rules derive from them once per run are
    ready when the pool starts. Where processes can be forked (Linux), the workers
    inherit all of it; elsewhere each worker builds its own."""

    settings: Settings
    jobs: int = 1

    def collect(self, batches: Iterable[list[Item]]) -> Iterator[Stats | RuleFailure]:
        return self._map(_collect_in_worker, batches, {}, _weight)

    def examine(
        self, batches: Iterable[list[Item]], stats: Stats, task: Task
    ) -> Iterator[list[Outcome | InputProblem]]:
        jobs = ((batch, task) for batch in batches)
        return self._map(_examine_in_worker, jobs, stats, lambda job: _weight(job[0]))

    def _map(
        self,
        function: Callable[[T], R],
        items: Iterable[T],
        stats: Stats,
        weigh: Callable[[T], tuple[int, int]],
    ) -> Iterator[R]:
        _start_worker(self.settings, stats)
        remaining = iter(items)
        first = next(remaining, None)
        if first is None:
            return
        yield function(first)
        if self.jobs <= 1:
            yield from map(function, remaining)
            return
        second = next(remaining, None)
        if second is None:
            return
        pool = self._pool(stats)
        try:
            parts = chunks(itertools.chain([second], remaining), weigh)
            for results in ordered_map(
                functools.partial(_each, function), parts, pool, 4 * self.jobs
            ):
                yield from results
        finally:
            pool.shutdown(cancel_futures=True)

    def _pool(self, stats: Stats) -> ProcessPoolExecutor:
        if "fork" in multiprocessing.get_all_start_methods():
            return ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"))
        return ProcessPoolExecutor(
            self.jobs, initializer=_start_worker, initargs=(self.settings, stats)
        )


# a worker is sent consecutive batches together up to this many items or characters:
# a batch of a small file each, sent one by one, cost more to send and take back (the
# pool's threads, pickling, a round trip) than to check
CHUNK_ITEMS = 64
CHUNK_CHARACTERS = 1 << 18


def chunks(items: Iterable[T], weigh: Callable[[T], tuple[int, int]]) -> Iterator[list[T]]:
    """Consecutive items grouped up to `CHUNK_ITEMS` items or `CHUNK_CHARACTERS`
    characters (`weigh` gives an item's count of items and of characters); an empty
    batch (the cache passing the turn) ends its group, so that the results before it
    come back."""
    chunk: list[T] = []
    count = characters = 0
    for item in items:
        chunk.append(item)
        items_in, characters_in = weigh(item)
        count += items_in
        characters += characters_in
        if not items_in or count >= CHUNK_ITEMS or characters >= CHUNK_CHARACTERS:
            yield chunk
            chunk, count, characters = [], 0, 0
    if chunk:
        yield chunk


def _weight(batch: list[Item]) -> tuple[int, int]:
    return len(batch), sum(map(size, batch))


def size(item: Item) -> int:
    """An item's characters (a raw record's bytes: about as many)."""
    if isinstance(item, Document):
        return len(item.text)
    if isinstance(item, RawRecord):
        return 0 if item.data is None else len(item.data)
    return 0


def _each(function: Callable[[T], R], items: list[T]) -> list[R]:
    return [function(item) for item in items]


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ordered_map(
    function: Callable[[T], R], items: Iterable[T], pool: ProcessPoolExecutor, window: int
) -> Iterator[R]:
    """`map` in a pool, results in the order of `items`, with at most `window` items in
    flight, so that a large corpus is read only as fast as it is examined."""
    pending: deque[Future[R]] = deque()
    for item in items:
        pending.append(pool.submit(function, item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
