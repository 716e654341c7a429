"""Running the two phases on a Ray cluster: `RayBackend` for the command line's batches,
`check_dataset` for a `ray.data.Dataset` of documents.

Both do what `LocalBackend` does, with Ray tasks instead of worker processes: phase one
collects each batch's statistics, which the driver merges in corpus order; phase two
examines each batch against the merged statistics, which are put in the object store
once. Every worker process keeps one `Linter` between tasks (building one loads the
word lists), and the merged statistics it last fetched, so a task carries only its
documents. Ray is imported when it is used, so that textmend works without it.

The workers import textmend: on a cluster, every node needs the same version installed.
"""

from __future__ import annotations

import importlib
import json
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

from textmend.config import Settings
from textmend.document import Document, RecordRef
from textmend.engine import Linter, RuleFailure
from textmend.runner import Item, Outcome, Stats, Task, collect, examine_batch
from textmend.sources import InputProblem

if TYPE_CHECKING:
    import ray.data
    from ray import ObjectRef

R = TypeVar("R")

# the columns `check_dataset` adds
FINDINGS = "findings"
FIXED_TEXT = "fixed_text"
ERROR = "error"


def _ray() -> ModuleType:
    try:
        return importlib.import_module("ray")
    except ImportError as error:
        raise ImportError("the Ray engine needs Ray: pip install 'textmend[ray]'") from error


# --- in the worker processes --------------------------------------------------------

# this worker's linter, and the object id of the merged statistics it holds, if any
_worker: tuple[Linter, str | None] | None = None


def _worker_linter(settings: Settings, stats: ObjectRef[Stats] | None = None) -> Linter:
    """The linter for these settings, built once per worker process, holding the merged
    statistics `stats` refers to (fetched once per run; None for phase one).

    It is kept by object id, not by reference, so that a worker that has finished
    does not keep a run's statistics alive in the object store."""
    global _worker
    if _worker is None or _worker[0].settings != settings:
        _worker = (Linter.from_settings(settings), None)
    linter, held = _worker
    if stats is not None and stats.hex() != held:
        linter.stats = _ray().get(stats)
        _worker = (linter, stats.hex())
    return linter


def _collect_task(settings: Settings, items: list[Item]) -> Stats | RuleFailure:
    return collect(_worker_linter(settings), items)


def _examine_task(
    settings: Settings, stats: list[ObjectRef[Stats]], items: list[Item], task: Task
) -> list[Outcome | InputProblem]:
    # `stats` comes in a list so that Ray passes the reference instead of its value
    return examine_batch(_worker_linter(settings, stats[0]), items, task)


@dataclass(frozen=True)
class _Columns:
    """Where a dataset's documents are: the text and id columns (the id column only if
    the dataset has it, as for a Parquet file), and the name their findings give."""

    text: str
    id: str | None
    path: str


def _block_shape(block: Any) -> tuple[int, Any]:
    """A block's row count and Arrow schema, for the driver to number rows and check
    columns without fetching the block."""
    return int(block.num_rows), block.schema


def _block_documents(block: Any, offset: int, columns: _Columns) -> list[Item]:
    """The documents of one block of a dataset whose earlier blocks hold `offset` rows,
    numbered as the lines of a JSONL file are; a null text is an input problem."""
    texts = block.column(columns.text).to_pylist()
    ids = block.column(columns.id).to_pylist() if columns.id else [None] * len(texts)
    items: list[Item] = []
    for line, (text, record_id) in enumerate(zip(texts, ids, strict=True), start=offset + 1):
        if text is None:
            items.append(InputProblem(columns.path, f"the field {columns.text!r} is null", line))
        else:
            ref = RecordRef(line, None if record_id is None else str(record_id))
            items.append(Document(text, columns.path, ref))
    return items


def _collect_block(
    settings: Settings, block: Any, offset: int, columns: _Columns
) -> Stats | RuleFailure:
    return _collect_task(settings, _block_documents(block, offset, columns))


def _examine_block(
    settings: Settings,
    stats: list[ObjectRef[Stats]],
    block: Any,
    offset: int,
    columns: _Columns,
    task: Task,
) -> Any:
    """The block with its findings (a JSON list per row), its fixed texts when fixing,
    and the error that stopped a document (a failing rule, a null text)."""
    import pyarrow as pa

    items = _block_documents(block, offset, columns)
    findings: list[str] = []
    fixed: list[str | None] = []
    errors: list[str | None] = []
    for item, outcome in zip(items, _examine_task(settings, stats, items, task), strict=True):
        if isinstance(outcome, InputProblem):
            findings.append("[]")
            fixed.append(None)
            errors.append(outcome.reason)
            continue
        assert isinstance(item, Document)
        diagnostics = [d.to_json() for d in outcome.diagnostics]
        findings.append(json.dumps(diagnostics, ensure_ascii=False))
        fixed.append(item.text if outcome.fixed is None else outcome.fixed)
        errors.append(outcome.error)
    block = block.append_column(FINDINGS, pa.array(findings, pa.string()))
    if task.fixing:
        block = block.append_column(FIXED_TEXT, pa.array(fixed, pa.string()))
    return block.append_column(ERROR, pa.array(errors, pa.string()))


@dataclass(frozen=True)
class _Remote:
    """The functions above as Ray remote functions (made once, when first needed)."""

    collect: Any
    examine: Any
    block_shape: Any
    collect_block: Any
    examine_block: Any


@cache
def _remote() -> _Remote:
    ray = _ray()
    return _Remote(
        *map(
            ray.remote,
            (_collect_task, _examine_task, _block_shape, _collect_block, _examine_block),
        )
    )


# --- in the driver ------------------------------------------------------------------


def _connect(address: str | None) -> None:
    ray = _ray()
    if not ray.is_initialized():
        ray.init(address=address)


def _window() -> int:
    """How many tasks to keep in flight: two per CPU of the cluster, so that each worker
    has its next batch waiting while the driver reads results in order."""
    return 2 * max(1, int(_ray().cluster_resources().get("CPU", 1)))


def _in_order(refs: Iterable[ObjectRef[R]], window: int) -> Iterator[R]:
    """The results of the tasks `refs` submits, in submission order, with at most
    `window` of them submitted and not yet read, so that a large corpus is read only as
    fast as it is examined. Tasks not read when the caller stops are cancelled."""
    ray = _ray()
    pending: deque[ObjectRef[R]] = deque()
    try:
        for ref in refs:
            pending.append(ref)
            if len(pending) >= window:
                yield ray.get(pending.popleft())
        while pending:
            yield ray.get(pending.popleft())
    finally:
        for ref in pending:
            ray.cancel(ref)


class RayBackend:
    """The `Backend` of `textmend.runner` on a Ray cluster: the one at `address`, or a
    local instance started here when `address` is None (unless this process is already
    connected to one, which is then used as it is)."""

    def __init__(self, settings: Settings, address: str | None = None) -> None:
        _connect(address)
        self.settings = settings
        self._settings = _ray().put(settings)

    def collect(self, batches: Iterable[list[Item]]) -> Iterator[Stats | RuleFailure]:
        remote = _remote().collect
        return _in_order((remote.remote(self._settings, batch) for batch in batches), _window())

    def examine(
        self, batches: Iterable[list[Item]], stats: Stats, task: Task
    ) -> Iterator[list[Outcome | InputProblem]]:
        remote = _remote().examine
        merged = _ray().put(stats)
        refs = (remote.remote(self._settings, [merged], batch, task) for batch in batches)
        return _in_order(refs, _window())


def _blocks_in_order(dataset: ray.data.Dataset) -> list[ObjectRef[Any]]:
    """The dataset's blocks as Arrow tables, in the dataset's order: Ray Data keeps
    blocks in order only when asked to, and the corpus order decides both the merging
    of statistics and the documents' line numbers."""
    options = dataset.context.execution_options
    preserving = options.preserve_order
    options.preserve_order = True
    try:
        return list(dataset.to_arrow_refs())
    finally:
        options.preserve_order = preserving


def check_dataset(
    dataset: ray.data.Dataset,
    settings: Settings | None = None,
    *,
    fix: bool = False,
    unsafe_fixes: bool = False,
    text_column: str = "text",
    id_column: str | None = "id",
    path: str = "<dataset>",
) -> ray.data.Dataset:
    """Check (or fix) the documents of a dataset as one corpus, on the Ray cluster this
    process is connected to (a local instance if none).

    Returns the dataset, in its order, with three more columns: `findings`, a JSON list
    of each document's findings as `--format json` gives them (`Diagnostic.to_json()`);
    `fixed_text`, when fixing, the text with the fixes applied (the text as given where
    nothing changed); and `error`, null unless a rule failed on the document or its text
    is null (its findings are then empty and its text left as it is). Document i is
    named `path`, record line i + 1 and the value of `id_column` (if the dataset has
    it), so its findings are those a JSONL file of the same texts would give.

    The findings of a document depend on the whole corpus (names, duplicates), and the
    statistics hold each document's position, so the dataset is materialised once, in
    order, and its blocks are examined as Ray tasks that know their first row. Those
    tasks are all under way when this returns; their blocks are held in the object
    store (which Ray spills to disk when it fills).

    Raises ValueError for a missing or non-string text column, or a dataset that
    already has one of the added columns, and `RuleFailure` when a rule fails while
    the statistics are collected."""
    _connect(None)
    ray = _ray()
    from ray.data import from_arrow_refs

    settings = settings or Settings()
    remote = _remote()
    blocks = _blocks_in_order(dataset)
    shapes = ray.get([remote.block_shape.remote(block) for block in blocks])
    # an empty block (a filter's leftovers) may have no columns at all
    blocks = [block for block, (rows, _) in zip(blocks, shapes, strict=True) if rows]
    shapes = [shape for shape in shapes if shape[0]]
    names = _check_columns([schema for _, schema in shapes], text_column, fix)
    columns = _Columns(text_column, id_column if id_column in names else None, path)
    starts = list(accumulate((rows for rows, _ in shapes), initial=0))[:-1]

    shared = ray.put(settings)
    linter = Linter.from_settings(settings)
    refs = (
        remote.collect_block.remote(shared, block, start, columns)
        for block, start in zip(blocks, starts, strict=True)
    )
    collected: Iterator[Stats | RuleFailure] = _in_order(refs, _window())
    for stats in collected:
        if isinstance(stats, RuleFailure):
            raise stats
        linter.merge(stats)

    merged = ray.put(linter.stats)
    task = Task(fixing=fix, unsafe=unsafe_fixes)
    examined = [
        remote.examine_block.remote(shared, [merged], block, start, columns, task)
        for block, start in zip(blocks, starts, strict=True)
    ]
    return from_arrow_refs(examined)


def _check_columns(schemas: list[Any], text_column: str, fix: bool) -> set[str]:
    """The column names of the blocks, once each has a string text column and none
    of the columns `check_dataset` adds; raises ValueError."""
    import pyarrow as pa

    names: set[str] = set()
    for schema in schemas:
        names.update(schema.names)
        if text_column not in schema.names:
            raise ValueError(f"no column {text_column!r} (columns: {', '.join(schema.names)})")
        kind = schema.field(text_column).type
        # a block whose texts are all null has a column of type null
        if not (
            pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)
        ):
            raise ValueError(f"the column {text_column!r} is {kind}, not a string")
    added = [FINDINGS, ERROR, *([FIXED_TEXT] if fix else [])]
    if clashes := [name for name in added if name in names]:
        raise ValueError(f"the dataset already has the column(s) {', '.join(clashes)}")
    return names
