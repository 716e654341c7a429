"""The Ray engine gives what the local one gives: the same findings, in the same order,
and the same fixed texts, from `RayBackend` and from `check_dataset`.

One local Ray instance (2 CPUs) serves the whole module: starting Ray takes seconds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from textmend.config import Settings
from textmend.document import Document, RecordRef
from textmend.engine import Linter, RuleFailure
from textmend.ray_engine import RayBackend, _in_order, check_dataset
from textmend.runner import Backend, Item, LocalBackend, Outcome, Task
from textmend.sources import InputProblem

ray = pytest.importorskip("ray")
ray_data = pytest.importorskip("ray.data")
pa = pytest.importorskip("pyarrow")

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PATH = "<dataset>"

# defects of several families, some of which only the whole corpus shows: the name
# spelled two ways across documents, the run-together word
GENERATED = [
    "Zelensky met the ministers in Kyiv. NATOless than a year ago the the talks began.",
    "President Zelenskyy said the talks would go on. Zelenskyy thanked the allies.",
    "The minister called it a “serious threat“for Europe.  \nZelensky agreed.\n",
    "Zelenskyy spoke in Brussels on Tuesday, and Zelensky spoke in Paris on Friday.",
    "In view of the the winter, the ministers met again.\n",
]


def corpus() -> list[str]:
    seeds = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    return [*seeds, *GENERATED, *GENERATED[:2]]  # two exact duplicates as well


def documents(texts: list[str]) -> list[Document]:
    """As `check_dataset` names them: document i is record line i + 1, with its id."""
    return [Document(text, PATH, RecordRef(i + 1, f"doc-{i}")) for i, text in enumerate(texts)]


def batched(items: list[Item], size: int = 3) -> list[list[Item]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def run(backend: Backend, batches: list[list[Item]], task: Task) -> list[Outcome | InputProblem]:
    """Both phases, as the command line runs them."""
    linter = Linter.from_settings(Settings())
    for stats in backend.collect(batches):
        assert not isinstance(stats, RuleFailure), stats
        linter.merge(stats)
    return [result for batch in backend.examine(batches, linter.stats, task) for result in batch]


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def backend(cluster: None) -> RayBackend:
    return RayBackend(Settings())


@pytest.mark.parametrize("task", [Task(), Task(fixing=True), Task(fixing=True, unsafe=True)])
def test_backend_gives_what_the_local_backend_gives(backend: RayBackend, task: Task) -> None:
    batches = batched(list(documents(corpus())))
    expected = run(LocalBackend(Settings(), jobs=1), batches, task)
    assert run(backend, batches, task) == expected
    codes = {
        d.code for outcome in expected if isinstance(outcome, Outcome) for d in outcome.diagnostics
    }
    if not task.fixing:
        # the corpus rules found what only the whole corpus shows
        assert {"N101", "W101", "D101", "D103"} <= codes


def test_backend_passes_input_problems_through_in_place(backend: RayBackend) -> None:
    problem = InputProblem("broken.jsonl", "not valid JSON", 2)
    docs = documents(GENERATED)
    batches: list[list[Item]] = [[docs[0], problem, docs[1]], [docs[2]], [problem]]
    results = run(backend, batches, Task())
    assert results == run(LocalBackend(Settings(), jobs=1), batches, Task())
    assert [type(r) for r in results] == [Outcome, InputProblem, Outcome, Outcome, InputProblem]
    assert results[1] == problem


def test_results_come_in_order_with_a_bounded_number_of_tasks_in_flight(cluster: None) -> None:
    submitted: list[int] = []

    def refs() -> Iterator[ray.ObjectRef[int]]:
        for i in range(10):
            submitted.append(i)
            yield ray.put(i)

    results = _in_order(refs(), window=3)
    assert next(results) == 0
    assert len(submitted) == 3
    assert list(results) == list(range(1, 10))


def dataset(texts: list[str | None], blocks: int = 4) -> ray.data.Dataset:
    """The texts with an id and another column, in several blocks (Arrow tables)."""
    rows = [{"id": f"doc-{i}", "text": text, "source": "test"} for i, text in enumerate(texts)]
    size = -(-len(rows) // blocks)
    tables = [pa.Table.from_pylist(rows[i : i + size]) for i in range(0, len(rows), size)]
    return ray_data.from_arrow(tables)


@pytest.mark.parametrize("unsafe", [False, True])
def test_check_dataset_gives_what_the_local_backend_gives(cluster: None, unsafe: bool) -> None:
    texts = corpus()
    docs: list[Item] = list(documents(texts))
    checked = run(LocalBackend(Settings(), jobs=1), [docs], Task())
    fixed = run(LocalBackend(Settings(), jobs=1), [docs], Task(fixing=True, unsafe=unsafe))

    rows = check_dataset(dataset(list(texts))).take_all()
    assert [json.loads(row["findings"]) for row in rows] == [
        [d.to_json() for d in outcome.diagnostics]
        for outcome in checked
        if isinstance(outcome, Outcome)
    ]
    assert [(row["id"], row["text"], row["source"]) for row in rows] == [
        (f"doc-{i}", text, "test") for i, text in enumerate(texts)
    ]
    assert all(row["error"] is None and "fixed_text" not in row for row in rows)

    rows = check_dataset(dataset(list(texts)), fix=True, unsafe_fixes=unsafe).take_all()
    assert len(rows) == len(fixed)
    for row, text, outcome in zip(rows, texts, fixed, strict=True):
        assert isinstance(outcome, Outcome)
        assert row["fixed_text"] == (text if outcome.fixed is None else outcome.fixed)
        assert json.loads(row["findings"]) == [d.to_json() for d in outcome.diagnostics]
    assert any(row["fixed_text"] != row["text"] for row in rows)


def test_check_dataset_reports_a_null_text_in_its_row(cluster: None) -> None:
    rows = check_dataset(dataset([GENERATED[0], None, GENERATED[4]])).take_all()
    assert [row["error"] for row in rows] == [None, "the field 'text' is null", None]
    assert json.loads(rows[1]["findings"]) == []
    # the null text keeps its line: the documents after it are numbered as in a file
    assert {f["record"]["line"] for f in json.loads(rows[2]["findings"])} == {3}


def test_check_dataset_refuses_a_dataset_it_cannot_read(cluster: None) -> None:
    with pytest.raises(ValueError, match="no column 'body'"):
        check_dataset(dataset(["a text"]), text_column="body")
    numbers = ray_data.from_items([{"text": 1}])
    with pytest.raises(ValueError, match="is int64, not a string"):
        check_dataset(numbers)
    with pytest.raises(ValueError, match="already has the column"):
        check_dataset(ray_data.from_items([{"text": "a text", "findings": "[]"}]))


def test_check_dataset_skips_empty_blocks(cluster: None) -> None:
    # a filter leaves empty blocks, which may have no columns at all
    kept = dataset([*GENERATED, None, None]).filter(lambda row: row["text"] is not None)
    rows = check_dataset(kept).take_all()
    assert [row["text"] for row in rows] == GENERATED
    assert check_dataset(kept.filter(lambda row: False)).take_all() == []


@pytest.fixture
def check_here(
    cluster: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., tuple[int, str]]:
    """`textmend check . --format json` with more options, run in a folder that holds
    the test corpus as one file a document: its status and output."""
    from textmend.cli import main

    for i, text in enumerate(corpus()):
        (tmp_path / f"d{i:02d}.txt").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def check(*options: str) -> tuple[int, str]:
        status = main(["check", ".", "--format", "json", *options])
        return status, capsys.readouterr().out

    return check


def test_command_line_engine_ray_reports_what_the_local_engine_reports(
    check_here: Callable[..., tuple[int, str]], tmp_path: Path
) -> None:
    with (tmp_path / "more.jsonl").open("w", encoding="utf-8") as handle:
        for i, text in enumerate(GENERATED):
            handle.write(json.dumps({"id": i, "text": text}) + "\n")
    outputs = [check_here("--engine", engine) for engine in ("local", "ray")]
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == 1 and '"N101"' in outputs[0][1]


def test_command_line_engine_ray_with_the_cache_reports_what_it_reports_without(
    check_here: Callable[..., tuple[int, str]], tmp_path: Path
) -> None:
    def check(*options: str) -> tuple[int, str]:
        return check_here("--engine", "ray", *options)

    cold = check()  # fills the cache
    assert check() == cold == check("--no-cache")
    # one document changed: Ray examines it, the others come from the cache
    (tmp_path / "d03.txt").write_text(GENERATED[0] + " Zelenskyy agreed.", encoding="utf-8")
    changed = check()
    assert changed == check("--no-cache") != cold
    assert (tmp_path / ".textmend_cache").is_dir()
