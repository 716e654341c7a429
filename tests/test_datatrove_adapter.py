"""The datatrove step: each document's findings in its metadata, as a local run of the
document-scope rules gives them, and its fixed text when fixing; the corpus-scope
rules do not run."""

from __future__ import annotations

from pathlib import Path

import pytest

from textmend.config import Settings
from textmend.document import Document
from textmend.rule import Scope, all_rules
from textmend.runner import LocalBackend, Outcome, Task

datatrove_data = pytest.importorskip("datatrove.data")
adapter = pytest.importorskip("textmend.datatrove_adapter")

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TEXTS = [
    *(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))),
    "Zelensky met the ministers. NATOless than a year ago the the talks began.",
    "The minister called it a “serious threat“for Europe.  \nZelenskyy agreed.\n",
]
DOCUMENT_RULES = [code for code, rule in all_rules().items() if rule.scope is Scope.DOCUMENT]


def expected(task: Task) -> list[Outcome]:
    """A local run that selects the document-scope rules by code."""
    docs = [Document(text, "<datatrove>") for text in TEXTS]
    backend = LocalBackend(Settings(select=DOCUMENT_RULES), jobs=1)
    outcomes = [o for batch in backend.examine([list(docs)], {}, task) for o in batch]
    assert all(isinstance(o, Outcome) for o in outcomes)
    return [o for o in outcomes if isinstance(o, Outcome)]


def documents() -> list[object]:
    return [datatrove_data.Document(text=text, id=str(i)) for i, text in enumerate(TEXTS)]


def test_the_step_puts_the_findings_in_the_metadata() -> None:
    out = list(adapter.TextmendStep().run(iter(documents())))
    want = expected(Task())
    assert [d.metadata["textmend"] for d in out] == [
        [d.to_json() for d in outcome.diagnostics] for outcome in want
    ]
    assert [d.text for d in out] == TEXTS
    codes = {finding["code"] for d in out for finding in d.metadata["textmend"]}
    assert "D101" in codes  # the doubled word
    assert codes <= set(DOCUMENT_RULES)  # no corpus rule: W101 would flag NATOless


def test_the_step_fixes_the_texts() -> None:
    step = adapter.TextmendStep(fix=True, unsafe_fixes=True)
    out = list(step.run(iter(documents())))
    want = expected(Task(fixing=True, unsafe=True))
    assert [d.text for d in out] == [
        text if outcome.fixed is None else outcome.fixed
        for text, outcome in zip(TEXTS, want, strict=True)
    ]
    assert out[-2].text.startswith("Zelensky met the ministers. NATOless than a year ago the talks")
    assert [d.metadata["textmend"] for d in out] == [
        [d.to_json() for d in outcome.diagnostics] for outcome in want
    ]
    assert all("textmend_error" not in d.metadata for d in out)


def test_the_step_runs_in_a_datatrove_pipeline(tmp_path: Path) -> None:
    executor = pytest.importorskip("datatrove.executor")
    readers = pytest.importorskip("datatrove.pipeline.readers")
    writers = pytest.importorskip("datatrove.pipeline.writers")
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    (tmp_path / "in").mkdir()
    ids = [str(i) for i in range(len(TEXTS))]
    pq.write_table(pa.table({"id": ids, "text": TEXTS}), tmp_path / "in" / "corpus.parquet")
    pipeline = [
        readers.ParquetReader(str(tmp_path / "in")),
        adapter.TextmendStep(fix=True),
        writers.ParquetWriter(str(tmp_path / "out")),
    ]
    executor.LocalPipelineExecutor(pipeline, tasks=1, logging_dir=str(tmp_path / "logs")).run()
    records = pq.read_table(tmp_path / "out").to_pylist()
    want = expected(Task(fixing=True))
    assert [r["text"] for r in records] == [
        text if outcome.fixed is None else outcome.fixed
        for text, outcome in zip(TEXTS, want, strict=True)
    ]
    # named by their file, which datatrove's reader records
    findings = [f for r in records for f in r["metadata"]["textmend"]]
    assert findings and {f["filename"] for f in findings} == {
        str(tmp_path / "in" / "corpus.parquet")
    }
