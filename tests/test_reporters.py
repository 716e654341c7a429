"""Output formats: the contract's JSON, SARIF 2.1.0 and GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DEFECTIVE, Result

Run = Callable[..., Result]


def test_json_matches_the_contract(run: Run, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    findings = run("check", "--format", "json", "a.txt").json()
    assert isinstance(findings, list) and len(findings) == 4
    reversed_quote = findings[0]
    assert reversed_quote == {
        "filename": "a.txt",
        "record": None,
        "code": "P101",
        "rule": "reversed-quote",
        "family": "P",
        "message": "'“' closes a quotation here: use '”'",
        "location": {"row": 1, "column": 33},
        "end_location": {"row": 1, "column": 34},
        "fix": {
            "applicability": "safe",
            "message": "Replace with '”'",
            "edits": [
                {
                    "content": "”",
                    "location": {"row": 1, "column": 33},
                    "end_location": {"row": 1, "column": 34},
                }
            ],
        },
        "url": None,
    }
    doubled = next(f for f in findings if f["code"] == "D101")
    assert doubled["fix"]["applicability"] == "unsafe"
    assert doubled["location"] == {"row": 2, "column": 12}


def test_json_empty_array_when_clean(run: Run, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Fine.\n", encoding="utf-8")
    result = run("check", "--format", "json", "a.txt")
    assert result.json() == [] and result.status == 0


def test_sarif_is_2_1_0_with_rules_and_regions(run: Run, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"id": "r1", "text": DEFECTIVE}) + "\n", encoding="utf-8"
    )
    log = run("check", "--ignore", "D103,D104", "--format", "sarif", "a.txt", "c.jsonl").json()
    assert log["version"] == "2.1.0" and "sarif-2.1.0" in log["$schema"]
    sarif_run = log["runs"][0]
    assert sarif_run["columnKind"] == "unicodeCodePoints"
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "textmend"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert rule_ids == sorted({"P101", "P102", "D101", "U104"})
    assert all(
        r["shortDescription"]["text"] and r["fullDescription"]["text"] for r in driver["rules"]
    )
    results = sarif_run["results"]
    assert len(results) == 8
    for result in results:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["message"]["text"]
    first = results[0]["locations"][0]["physicalLocation"]
    assert first["artifactLocation"]["uri"] == "a.txt"
    assert first["region"] == {"startLine": 1, "startColumn": 33, "endLine": 1, "endColumn": 34}
    in_record = next(
        r
        for r in results
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "c.jsonl"
    )
    assert in_record["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert in_record["properties"]["record"] == {"line": 1, "id": "r1"}
    assert in_record["message"]["text"].startswith("record 1:r1, 1:33: ")


def test_github_annotations(run: Run, tmp_path: Path) -> None:
    (tmp_path / "a, b.txt").write_text(DEFECTIVE, encoding="utf-8")
    out = run("check", "--format", "github", "a, b.txt").out
    lines = out.splitlines()
    assert len(lines) == 4
    assert lines[0] == (
        "::error title=textmend (P101),file=a%2C b.txt,line=1,col=33,endLine=1,endColumn=34"
        "::a, b.txt:1:33: P101 '“' closes a quotation here: use '”'"
    )


def test_a_block_finding_spans_all_its_lines(run: Run) -> None:
    from conftest import SEEDS

    findings = run(
        "check", "--select", "B103", "--format", "json", str(SEEDS / "002_46d5925b80497bbc.txt")
    ).json()
    first = findings[0]
    text = (SEEDS / "002_46d5925b80497bbc.txt").read_text(encoding="utf-8").splitlines()
    assert text[first["location"]["row"] - 1] == "[Latest] Latest Stories"
    last = text[first["end_location"]["row"] - 1]
    assert last.strip().startswith("•") and "Chemical Defense Drills" in last
    assert first["end_location"]["column"] == len(last) + 1
    edit = first["fix"]["edits"][0]
    assert edit["content"] == "" and edit["end_location"]["row"] == first["end_location"]["row"] + 1


def test_the_text_report_writes_each_finding_s_own_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the text format keeps the blocks under the findings' first lines it made lately
    # (the same line flagged in many files): every finding must still get the block its
    # own context, place, code and fix make, with the kept blocks dropped every 3

    from conftest import SEEDS

    from textmend.config import Settings
    from textmend.document import Document
    from textmend.engine import Linter
    from textmend.report import Diagnostic, Summary
    from textmend.report import text as text_format
    from textmend.rule import Applicability

    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    linter = Linter.from_settings(Settings())
    documents = [Document(t, f"copy{i % 3}/{n}.txt") for n, t in enumerate(texts) for i in range(3)]
    linter.collect(documents)
    diagnostics = [Diagnostic.place(d, f) for d in documents for f in linter.check(d)]
    first = diagnostics[0]
    # the same span and code with another fix, or another kind of fix
    diagnostics[1:1] = [
        first._replace(fix_message="Something else"),
        first._replace(fix_applicability=Applicability.UNSAFE, fix_message="x"),
        first._replace(fix_applicability=Applicability.SAFE, fix_message="x"),
    ]
    for color in (False, True):
        summary = Summary(documents=len(documents), color=color, quiet=True)
        style = text_format._Style(color)
        expected = [
            f"{text_format._first_line(d, style)}\n{text_format._context(d, style)}\n"
            for d in diagnostics
        ]
        monkeypatch.setattr(text_format, "RECENT_BLOCKS", 3)
        assert list(text_format.render(diagnostics, summary)) == expected
        monkeypatch.setattr(text_format, "RECENT_BLOCKS", 1 << 12)
        assert list(text_format.render(diagnostics, summary)) == expected
    assert len({d.context for d in diagnostics}) < len(diagnostics) > 100


def test_findings_unpickle_as_themselves_built_in_c() -> None:
    # findings cross between processes and into the cache by the ten thousand: each
    # class is pickled as `tuple.__new__(class, fields)` (no Python-level constructor),
    # and must come back as the same class with the same fields, through the pickler
    # of the worker processes too
    import copyreg
    import pickle
    from multiprocessing.reduction import ForkingPickler

    from textmend.config import Settings
    from textmend.document import Document, RecordRef
    from textmend.engine import Linter
    from textmend.report import Diagnostic

    text = "The minister said that that the talks were over .\n\nShare this article\n"
    doc = Document(text, "a.jsonl", RecordRef(3, "doc-7"))
    found = [Diagnostic.place(doc, f) for f in Linter.from_settings(Settings()).check(doc)]
    assert any(d.edits for d in found) and all(d.context is not None for d in found)
    for data in (pickle.dumps(found, 5), bytes(ForkingPickler.dumps(found))):
        back = pickle.loads(data)
        assert back == found
        for got, want in zip(back, found, strict=True):
            assert type(got) is Diagnostic and type(got.record) is RecordRef
            assert type(got.context) is type(want.context)
            assert [type(e) for e in got.edits] == [type(e) for e in want.edits]
            assert got.record.label() == "3:doc-7" and got.where == want.where
    for value in (found[0], found[0].context, found[0].edits[0] if found[0].edits else None):
        if value is not None:
            reduce = copyreg.dispatch_table[type(value)]
            assert reduce(value) == (tuple.__new__, (type(value), tuple(value)))
