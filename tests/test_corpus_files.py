"""JSONL, JSONL.gz and Parquet corpora: one document per record, rewritten record by
record with every other field untouched; bad records reported, never written."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from conftest import ALL_FIXED, CLEAN, DEFECTIVE, SAFE_FIXED, Result

Run = Callable[..., Result]


def jsonl(records: list[dict[str, object]], **dumps: object) -> bytes:
    return b"".join(json.dumps(r, **dumps).encode("utf-8") + b"\n" for r in records)  # type: ignore[arg-type]


RECORDS = [
    {"id": "doc-1", "text": DEFECTIVE, "score": 0.5, "meta": {"lang": "en", "tags": ["a"]}},
    {"id": 2, "text": CLEAN, "score": 1e-05},
]


def test_jsonl_findings_name_record_and_position(run: Run, tmp_path: Path) -> None:
    (tmp_path / "c.jsonl").write_bytes(jsonl(RECORDS, ensure_ascii=False))
    findings = run("check", "--format", "json", "c.jsonl").json()
    first = findings[0]
    assert first["filename"] == "c.jsonl"
    assert first["record"] == {"line": 1, "id": "doc-1"}
    assert first["code"] == "P101"
    assert first["location"] == {"row": 1, "column": 33}
    text = run("check", "c.jsonl").out
    assert "c.jsonl[1:doc-1]:1:33: P101" in text


def test_jsonl_fix_rewrites_only_the_text_field(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    original = jsonl(RECORDS, ensure_ascii=False)
    path.write_bytes(original)
    run("fix", "--unsafe-fixes", "c.jsonl")
    lines = path.read_bytes().splitlines(keepends=True)
    fixed = json.loads(lines[0])
    assert fixed == {**RECORDS[0], "text": ALL_FIXED}
    assert list(fixed) == ["id", "text", "score", "meta"]
    # an unchanged record keeps its bytes exactly
    assert lines[1] == original.splitlines(keepends=True)[1]


def test_jsonl_keeps_compact_and_escaped_style(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(jsonl(RECORDS[:1], separators=(",", ":"), ensure_ascii=True))
    run("fix", "c.jsonl")
    line = path.read_bytes()
    assert line.isascii() and b'":' in line and b'": ' not in line
    assert json.loads(line)["text"] == SAFE_FIXED


def test_jsonl_bad_records_reported_and_file_not_written(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    content = (
        jsonl(RECORDS[:1])
        + b"{not json\n"
        + b'{"id": 3}\n'
        + b'{"id": 4, "text": 42}\n'
        + b"[1, 2]\n"
        + b"\n"
        + b'{"id": 7, "text": "x", "deep": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}\n"
    )
    path.write_bytes(content)
    result = run("fix", "c.jsonl")
    assert result.status == 2
    assert "c.jsonl:7: a record nested too deeply to read; skipped" in result.err
    assert "c.jsonl:2: not valid JSON" in result.err
    assert "c.jsonl:3: the record has no field 'text'" in result.err
    assert "c.jsonl:4: the field 'text' is a number, not a string" in result.err
    assert "c.jsonl:5: a record must be a JSON object, not an array" in result.err
    assert "c.jsonl: not written" in result.err
    assert path.read_bytes() == content
    # the good record was still checked
    assert "c.jsonl[1:doc-1]:1:33: P101" in result.out


def test_records_are_read_as_the_standard_json_reader_reads_them(run: Run, tmp_path: Path) -> None:
    # orjson reads records, and the standard library's reader reads those that orjson
    # refuses or reads otherwise: an id beyond 64 bits (orjson: a float), NaN, a lone
    # surrogate
    big = 123456789012345678901234567890
    lines = [
        json.dumps({"id": big, "text": DEFECTIVE}),
        json.dumps({"id": "n", "text": DEFECTIVE, "score": float("nan")}),
        json.dumps({"id": "s", "text": DEFECTIVE + " \ud800"}),
        json.dumps({"id": 1.5, "text": DEFECTIVE}),
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    findings = run("check", "--format", "json", "c.jsonl").json()
    assert [f["record"]["id"] for f in findings if f["code"] == "P101"] == [
        str(big),
        "n",
        "s",
        "1.5",
    ]


def test_text_and_id_fields(run: Run, tmp_path: Path) -> None:
    (tmp_path / "c.jsonl").write_bytes(jsonl([{"key": "k1", "body": DEFECTIVE}]))
    findings = run(
        "check", "--text-field", "body", "--id-field", "key", "--format", "json", "c.jsonl"
    ).json()
    assert findings[0]["record"] == {"line": 1, "id": "k1"}


def test_jsonl_gz_round_trip(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(gzip.compress(jsonl(RECORDS)))
    assert run("check", "c.jsonl.gz").status == 1
    run("fix", "c.jsonl.gz")
    records = [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]
    assert records[0]["text"] == SAFE_FIXED
    assert records[1] == RECORDS[1]


def test_truncated_gzip_is_an_input_error(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl.gz"
    data = gzip.compress(jsonl(RECORDS * 50))
    path.write_bytes(data[: len(data) // 2])
    result = run("fix", "c.jsonl.gz")
    assert result.status == 2
    assert "c.jsonl.gz: truncated or corrupt gzip data" in result.err
    assert path.read_bytes() == data[: len(data) // 2]


def test_parquet_round_trip_keeps_other_columns(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    table = pa.table({"id": ["a", "b"], "text": [DEFECTIVE, CLEAN], "n": [1, 2]})
    pq.write_table(table, path)
    findings = run("check", "--format", "json", "c.parquet").json()
    assert findings[0]["record"] == {"line": 1, "id": "a"}
    run("fix", "c.parquet")
    fixed = pq.read_table(path)
    assert fixed.schema == table.schema
    assert fixed.column("text").to_pylist() == [SAFE_FIXED, CLEAN]
    assert fixed.column("n").to_pylist() == [1, 2]


def test_parquet_wrong_schema_is_an_input_error(run: Run, tmp_path: Path) -> None:
    pq.write_table(pa.table({"id": ["a"], "body": ["x"]}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"text": [1, 2]}), tmp_path / "b.parquet")
    (tmp_path / "c.parquet").write_bytes(b"not parquet at all")
    result = run("check", "a.parquet", "b.parquet", "c.parquet")
    assert result.status == 2
    assert "a.parquet: no column 'text' (columns: id, body)" in result.err
    assert "b.parquet: the column 'text' is int64, not a string" in result.err
    assert "c.parquet: cannot read as Parquet" in result.err


def test_folder_walk_finds_corpus_files_and_skips_excluded(run: Run, tmp_path: Path) -> None:
    (tmp_path / "d" / ".git").mkdir(parents=True)
    (tmp_path / "d" / ".git" / "x.txt").write_text(DEFECTIVE, encoding="utf-8")
    (tmp_path / "d" / "skip").mkdir()
    (tmp_path / "d" / "skip" / "y.txt").write_text(DEFECTIVE, encoding="utf-8")
    (tmp_path / "d" / "a.md").write_text(DEFECTIVE, encoding="utf-8")
    (tmp_path / "d" / "c.jsonl").write_bytes(jsonl(RECORDS[:1]))
    (tmp_path / "d" / "notes.json").write_text("{}", encoding="utf-8")
    findings = run("check", "--exclude", "skip", "--format", "json", "d").json()
    assert sorted({f["filename"] for f in findings}) == ["d/a.md", "d/c.jsonl"]


def test_a_large_corpus_streams_through_many_batches(run: Run, tmp_path: Path) -> None:
    # 500 records are several batches: each fixed record is written in its place
    records = [{"id": i, "text": DEFECTIVE if i % 3 == 0 else CLEAN} for i in range(500)]
    path = tmp_path / "c.jsonl"
    path.write_bytes(jsonl(records))
    result = run("fix", "c.jsonl", "--jobs", "2")
    assert result.status == 1, result.err  # the doubled words are unsafe to fix
    fixed = [json.loads(line) for line in path.read_bytes().splitlines()]
    assert [r["id"] for r in fixed] == list(range(500))
    assert [r["text"] for r in fixed] == [SAFE_FIXED if i % 3 == 0 else CLEAN for i in range(500)]


def test_a_bad_record_late_in_a_large_corpus_leaves_it_untouched(run: Run, tmp_path: Path) -> None:
    # the copy is being written when the bad record comes: it is dropped, the file stays
    lines = jsonl([{"id": i, "text": DEFECTIVE} for i in range(400)]).splitlines(keepends=True)
    lines[350] = b'{"id": 350, "text": 17}\n'
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"".join(lines))
    result = run("fix", "c.jsonl", "--format", "json")
    assert result.status == 2
    assert "c.jsonl:351: the field 'text' is a number, not a string" in result.err
    assert "c.jsonl: not written, because of the problems above" in result.err
    assert path.read_bytes() == b"".join(lines)
    # no temporary file left behind
    assert [p for p in tmp_path.iterdir() if p.name != ".textmend_cache"] == [path]
    # every other record is still reported, as it stays
    reported = {f["record"]["line"] for f in result.json() if f["code"] == "D101"}
    assert reported == set(range(1, 401)) - {351}


def test_fix_output_writes_corpus_files_in_their_format(run: Run, tmp_path: Path) -> None:
    (tmp_path / "c.jsonl.gz").write_bytes(gzip.compress(jsonl(RECORDS)))
    pq.write_table(pa.table({"id": ["a", "b"], "text": [DEFECTIVE, CLEAN]}), tmp_path / "c.parquet")
    originals = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    run("fix", "c.jsonl.gz", "c.parquet", "--output", "out")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == originals
    records = [
        json.loads(x)
        for x in gzip.decompress((tmp_path / "out/c.jsonl.gz").read_bytes()).splitlines()
    ]
    assert [r["text"] for r in records] == [SAFE_FIXED, CLEAN]
    table = pq.read_table(tmp_path / "out/c.parquet")
    assert table.column("text").to_pylist() == [SAFE_FIXED, CLEAN]


def test_a_gzip_bomb_of_one_endless_record_is_read_in_bounded_memory(tmp_path: Path) -> None:
    import subprocess
    import sys

    from textmend import sources

    path = tmp_path / "bomb.jsonl.gz"
    size = 4 * sources.MAX_RECORD_BYTES  # 256 MiB of one line, 250 KB compressed
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write(jsonl(RECORDS))
        handle.write(b'{"text": "')
        chunk = b"a" * (1 << 20)
        for _ in range(size >> 20):
            handle.write(chunk)
        handle.write(b'"}\n')
        handle.write(jsonl(RECORDS))
    before = path.read_bytes()
    # in a process of its own, whose peak memory (VmHWM: ru_maxrss would count the
    # test process it was forked from) is the run's alone
    measured = (
        "import re, sys\n"
        "from textmend.cli import main\n"
        "status = main(sys.argv[1:])\n"
        "status_file = open('/proc/self/status').read()\n"
        "print(int(re.search(r'VmHWM:\\s+(\\d+)', status_file).group(1)) >> 10, file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", measured, "fix", "bomb.jsonl.gz", "--no-cache", "--jobs", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "bomb.jsonl.gz:3: a record longer than 64 MiB; skipped" in result.stderr
    assert path.read_bytes() == before
    peak = int(result.stderr.strip().splitlines()[-1])  # MiB
    assert peak < 1024  # the 256 MiB line was never held, let alone decoded
