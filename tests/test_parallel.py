"""Checking and fixing in several processes gives exactly what one process gives."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SEEDS, Result

Run = Callable[..., Result]


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Enough documents for many batches: generated news with injected defects of
    several families (the corpus rules among them), the seeds, and a JSONL file."""
    monkeypatch.syspath_prepend(str(SEEDS.parent / "bench"))
    from newsgen import KINDS, document, inject

    rng = random.Random(11)
    folder = tmp_path / "corpus"
    folder.mkdir()
    texts = [inject(document(rng), rng, rng.sample(KINDS, 2))[0] for _ in range(400)]
    texts[7] = texts[7].replace("Zelensky", "Zelenskyy")  # a variant for N101
    texts[300] = texts[100]  # an exact copy for D103
    for i, text in enumerate(texts[:200]):
        (folder / f"n{i:03d}.txt").write_text(text, encoding="utf-8")
    with (folder / "more.jsonl").open("w", encoding="utf-8") as handle:
        for i, text in enumerate(texts[200:]):
            handle.write(json.dumps({"id": f"r{i}", "text": text}) + "\n")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    return folder


def test_check_output_is_the_same_with_one_or_two_jobs(run: Run, corpus: Path) -> None:
    one = run("check", str(corpus), "--format", "json", "--jobs", "1")
    two = run("check", str(corpus), "--format", "json", "--jobs", "2")
    assert one.status == two.status == 1
    assert one.out == two.out
    codes = {finding["code"][0] for finding in one.json()}
    assert {"N", "D", "W", "P", "U"} <= codes  # corpus and document rules both ran


def test_fix_writes_the_same_with_one_or_two_jobs(run: Run, corpus: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    one = run("fix", str(corpus), "--unsafe-fixes", "--format", "json", "--jobs", "1")
    two = run("fix", str(copy), "--unsafe-fixes", "--format", "json", "--jobs", "2")
    assert one.status == two.status
    assert one.out.replace(str(corpus), "X") == two.out.replace(str(copy), "X")
    for path in sorted(corpus.iterdir()):
        assert path.read_bytes() == (copy / path.name).read_bytes(), path.name
    seed = next(SEEDS.glob("000_*.txt"))
    assert (corpus / seed.name).read_bytes() != seed.read_bytes()  # fixed


def test_jobs_must_be_a_positive_number(
    run: Run, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:  # argparse exits on its own
        run("check", str(corpus), "--jobs", "0")
    assert exit_.value.code == 2
    assert "--jobs" in capsys.readouterr().err


def test_a_warm_cache_gives_the_same_with_two_jobs(run: Run, corpus: Path) -> None:
    cold = run("check", str(corpus), "--format", "json", "--jobs", "2")
    path = corpus / "n007.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nZelensky spoke again.\n", "utf-8")
    warm = run("check", str(corpus), "--format", "json", "--jobs", "2")
    plain = run("check", str(corpus), "--format", "json", "--jobs", "1", "--no-cache")
    assert cold.status == warm.status == plain.status == 1
    assert warm.out == plain.out != cold.out


def test_batches_go_to_the_workers_in_chunks_in_order() -> None:
    # consecutive batches are sent together up to CHUNK_ITEMS items or CHUNK_CHARACTERS
    # characters; an empty batch (the cache passing the turn) ends its chunk
    from textmend.document import Document
    from textmend.runner import CHUNK_CHARACTERS, CHUNK_ITEMS, chunks

    def batch(n: int, size: int = 10) -> list[Document]:
        return [Document("x" * size, f"{n}-{i}.txt") for i in range(n)]

    def weigh(items: list[Document]) -> tuple[int, int]:
        return len(items), sum(len(d.text) for d in items)

    small = [batch(1) for _ in range(3 * CHUNK_ITEMS + 5)]
    grouped = list(chunks(iter(small), weigh))
    assert [len(c) for c in grouped] == [CHUNK_ITEMS] * 3 + [5]
    assert [b for c in grouped for b in c] == small
    large = [batch(1, CHUNK_CHARACTERS // 2) for _ in range(5)]
    assert [len(c) for c in chunks(iter(large), weigh)] == [2, 2, 1]
    full = [batch(CHUNK_ITEMS) for _ in range(3)]
    assert [len(c) for c in chunks(iter(full), weigh)] == [1, 1, 1]
    idle: list[Document] = []
    mixed = [batch(1), batch(1), idle, batch(1), idle, idle]
    assert list(chunks(iter(mixed), weigh)) == [mixed[:3], mixed[3:5], [idle]]
    assert list(chunks(iter([]), weigh)) == []


def test_workers_read_a_corpus_records_themselves_and_give_the_same(
    run: Run, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # without the cache, the main process sends the workers the records' bytes
    # (`RawRecord`), each reading its own: the findings and the problems of unreadable
    # records are what one process reading them all gives
    from textmend.runner import LocalBackend
    from textmend.sources import RawRecord

    lines = (corpus / "more.jsonl").read_bytes().splitlines(keepends=True)
    bad = [b"{not json\n", b'{"id": 3}\n', b"[1, 2]\n", b"\n", b'{"text": "caf\xe9"}\n']
    for at, line in zip((3, 70, 71, 150, 190), bad, strict=True):
        lines.insert(at, line)
    (corpus / "more.jsonl").write_bytes(b"".join(lines))
    sent: list[set[type]] = []
    collect = LocalBackend.collect

    def spy(self: LocalBackend, batches: Any) -> Any:
        def seen(batches: Any) -> Any:
            for batch in batches:
                sent[-1].update(map(type, batch))
                yield batch

        sent.append(set())
        return collect(self, seen(batches))

    monkeypatch.setattr(LocalBackend, "collect", spy)
    args = ("check", str(corpus), "--format", "json", "--no-cache")
    one = run(*args, "--jobs", "1")
    two = run(*args, "--jobs", "2")
    cached = run("check", str(corpus), "--format", "json", "--jobs", "2")
    assert RawRecord not in sent[0] and RawRecord in sent[1]
    assert RawRecord not in sent[2]  # (the cache knows documents by their texts)
    assert one.status == two.status == cached.status == 2
    assert one.out == two.out == cached.out
    assert one.err == two.err
    assert "more.jsonl:4: not valid JSON" in two.err
    assert "more.jsonl:191: not valid UTF-8" in two.err
