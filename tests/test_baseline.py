"""Baselines: `--baseline-write FILE` records the findings, `--baseline FILE` reports only
new ones and counts the entries that no longer occur; for files and for records."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DEFECTIVE, SEEDS, Result

Run = Callable[..., Result]


def copy_seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    return folder


def append(path: Path, text: str) -> None:
    old = path.read_text(encoding="utf-8")
    path.write_text(old + ("" if old.endswith("\n") else "\n") + text, encoding="utf-8")


def test_seeds_baseline_then_one_new_defect_is_the_one_finding(run: Run, tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    everything = run("check", "--format", "json", "seeds").json()
    written = run("check", "--baseline-write", "baseline.json", "seeds")
    assert written.status == 0
    assert "All checks passed!" in written.out
    documents = len({f["filename"] for f in everything})
    assert f"wrote {len(everything)} findings of {documents} documents" in written.err
    data = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert sum(len(d["findings"]) for d in data["documents"]) == len(everything)

    again = run("check", "--baseline", "baseline.json", "seeds")
    assert again.status == 0 and "All checks passed!" in again.out
    assert f"{len(everything)} findings in the baseline baseline.json not reported" in again.err
    assert "no longer" not in again.err

    target = seeds / "002_46d5925b80497bbc.txt"
    append(target, "The delegation arrived in in Brussels on Monday.\n")
    new = run("check", "--baseline", "baseline.json", "--format", "json", "seeds").json()
    assert [(f["filename"], f["code"], f["message"]) for f in new] == [
        ("seeds/002_46d5925b80497bbc.txt", "D101", "doubled word 'in in'")
    ]
    result = run("check", "--baseline", "baseline.json", "seeds")
    assert result.status == 1
    assert result.out.startswith("seeds/002_46d5925b80497bbc.txt:")
    assert "Found 1 finding." in result.out
    counted = run("check", "--baseline", "baseline.json", "--statistics", "seeds").out
    assert counted.splitlines()[0].split() == ["1", "D101", "doubled-word"]
    # the run's exit status follows what is left: --exit-zero as ever
    assert run("check", "--baseline", "baseline.json", "--exit-zero", "seeds").status == 0


def test_unrelated_edits_keep_the_entries(run: Run, tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    run("check", "--baseline-write", "b.json", "seeds")
    # a heading and a blank line above every finding, a blank line at the end: rows
    # move, nothing a rule reads changes
    headings = ["Archive", "Morning edition", "Wire copy", "Late update", "Weekend"]
    for path, heading in zip(sorted(seeds.glob("*.txt")), headings, strict=True):
        path.write_text(f"{heading}\n\n" + path.read_text(encoding="utf-8") + "\n", "utf-8")
    result = run("check", "--baseline", "b.json", "--format", "json", "seeds")
    assert result.json() == [] and result.status == 0
    assert "no longer" not in result.err


def test_an_edit_around_a_finding_keeps_it_known(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("The minister said the the talks would go on.\n", encoding="utf-8")
    run("check", "--baseline-write", "b.json", "a.txt")
    # the line changes around the doubled word: still the same finding
    path.write_text("The foreign minister said the the talks would go on.\n", encoding="utf-8")
    assert run("check", "--baseline", "b.json", "a.txt").status == 0
    # another doubled word on that line is new
    path.write_text("The foreign minister said the the talks would go on on.\n", encoding="utf-8")
    new = run("check", "--baseline", "b.json", "--format", "json", "a.txt").json()
    assert [f["message"] for f in new] == ["doubled word 'on on'"]


def test_entries_count(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    line = "In view of the the winter.\n"
    path.write_text(line * 2, encoding="utf-8")
    run("check", "--select", "D101", "--baseline-write", "b.json", "a.txt")
    entries = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["documents"]
    assert [len(d["findings"]) for d in entries] == [2]
    assert run("check", "--select", "D101", "--baseline", "b.json", "a.txt").status == 0
    path.write_text(line * 3, encoding="utf-8")
    new = run("check", "--select", "D101", "--baseline", "b.json", "--format", "json", "a.txt")
    new = new.json()
    assert len(new) == 1 and new[0]["code"] == "D101"
    # one of them fixed: nothing new, and one entry no longer occurs
    path.write_text(line, encoding="utf-8")
    result = run("check", "--select", "D101", "--baseline", "b.json", "a.txt")
    assert result.status == 0
    assert "1 finding in the baseline b.json not reported; 1 of its entries no longer occurs" in (
        result.err
    )


def test_a_fixed_file_and_a_subset_of_the_corpus(run: Run, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(DEFECTIVE, encoding="utf-8")
    run("check", "--select", "P,D101", "--baseline-write", "b.json", "a.txt", "b.txt")
    # checking a.txt alone says nothing of b.txt's entries
    alone = run("check", "--select", "P,D101", "--baseline", "b.json", "a.txt")
    assert alone.status == 0 and "no longer" not in alone.err
    # b.txt fixed: its three entries no longer occur
    (tmp_path / "b.txt").write_text("Nothing to see.\n", encoding="utf-8")
    both = run("check", "--select", "P,D101", "--baseline", "b.json", "a.txt", "b.txt")
    assert both.status == 0 and "3 of its entries no longer occur" in both.err


def test_records_by_id_or_line(run: Run, tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    records = [
        {"id": "doc-1", "text": "In view of the the winter.\n"},
        {"id": "doc-2", "text": "Fine text.\n"},
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    unnamed = tmp_path / "u.jsonl"
    unnamed.write_text(json.dumps({"text": "In view of the the winter.\n"}) + "\n", "utf-8")
    run("check", "--select", "D101", "--baseline-write", "b.json", "c.jsonl", "u.jsonl")
    documents = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["documents"]
    assert [(d["path"], d.get("id"), d.get("line")) for d in documents] == [
        ("c.jsonl", "doc-1", None),
        ("u.jsonl", None, 1),
    ]
    # a record added in front: doc-1 keeps its entry, wherever its line is
    records.insert(0, {"id": "doc-0", "text": "Fine.\n"})
    records.append({"id": "doc-3", "text": "We saw the the harbour.\n"})
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    new = run("check", "--select", "D101", "--baseline", "b.json", "--format", "json", "c.jsonl")
    assert [(f["record"], f["code"]) for f in new.json()] == [({"line": 4, "id": "doc-3"}, "D101")]


def test_parquet_records(run: Run, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    texts = ["In view of the the winter.\n", "Fine text.\n"]
    pq.write_table(pa.table({"id": ["a", "b"], "text": texts}), tmp_path / "c.parquet")
    assert run("check", "--select", "D101", "--baseline-write", "b.json", "c.parquet").status == 0
    texts[1] = "We saw the the harbour.\n"
    pq.write_table(pa.table({"id": ["a", "b"], "text": texts}), tmp_path / "c.parquet")
    new = run("check", "--select", "D101", "--baseline", "b.json", "--format", "json", "c.parquet")
    assert new.status == 1
    assert [f["record"] for f in new.json()] == [{"line": 2, "id": "b"}]


def test_paths_are_relative_to_the_baseline(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    run("check", "--baseline-write", "b.json", "corpus")
    monkeypatch.chdir(tmp_path / "corpus")
    result = run("check", "--baseline", "../b.json", ".")
    assert result.status == 0, result.out
    monkeypatch.chdir(tmp_path.parent)
    assert run("check", "--baseline", f"{tmp_path.name}/b.json", str(tmp_path)).status == 0


def test_fix_reports_what_is_left_beyond_the_baseline(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(DEFECTIVE, encoding="utf-8")
    run("check", "--baseline-write", "b.json", "a.txt")
    path.write_text(DEFECTIVE + "We saw the the harbour.\n", encoding="utf-8")
    fixed = run("fix", "--baseline", "b.json", "--format", "json", "a.txt")
    # the safe fixes are applied; of the doubled words left, only the new one is reported
    assert [f["location"]["row"] for f in fixed.json()] == [3]
    assert fixed.status == 1


def test_baseline_problems_exit_2(run: Run, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    missing = run("check", "--baseline", "nope.json", "a.txt")
    assert missing.status == 2 and "nope.json: no such baseline" in missing.err
    assert missing.out == ""
    (tmp_path / "bad.json").write_text('{"something": "else"}', encoding="utf-8")
    damaged = run("check", "--baseline", "bad.json", "a.txt")
    assert damaged.status == 2 and "bad.json: not a textmend baseline" in damaged.err
    with pytest.raises(SystemExit) as usage:
        run("check", "--baseline", "b.json", "--baseline-write", "b.json", "a.txt")
    assert usage.value.code == 2


def test_quiet_leaves_out_the_note(run: Run, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    run("check", "--baseline-write", "b.json", "a.txt")
    result = run("check", "-q", "--baseline", "b.json", "a.txt")
    assert result.status == 0 and result.err == "" and result.out == ""
