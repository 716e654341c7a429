"""`textmend report`: one self-contained HTML page whose highlights are the findings
that `check --format json` gives, read from the page as written and, in headless
Chromium, from the page as the browser shows it after its script ran."""

from __future__ import annotations

import json
import os
import re
import struct
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import DEFECTIVE, ROOT, SEEDS, Result

from textmend.report.html import Span, diff_rows, pieces

sys.path.insert(0, str(ROOT / "bench"))
from headless import browse, find_chromium

Run = Callable[..., Result]
ARTIFACTS = ROOT / "tests" / "artifacts"
LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Page(HTMLParser):
    """What a page holds: its highlights (with the text inside each, nested ones
    included), its data, and the attributes of the elements that tests look at."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: list[dict[str, Any]] = []
        self.open: list[dict[str, Any] | None] = []  # per open element: its mark or None
        self.data_text: list[str] = []
        self.in_data = False
        self.in_script = False
        self.body: dict[str, str | None] = {}
        self.by_id: dict[str, dict[str, str | None]] = {}
        self.text_of_id: dict[str, list[str]] = {}
        self.id_stack: list[str | None] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.svg_bars: dict[str, dict[str, int]] = {}
        self.chart: str | None = None
        self.feed(source)
        self.data = json.loads("".join(self.data_text))

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "rect", "wbr"})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "body":
            self.body = attributes
        if attributes.get("id"):
            self.by_id[str(attributes["id"])] = attributes
        if tag == "script":
            self.in_script = True
            self.in_data = attributes.get("id") == "textmend-data"
        if tag == "svg":
            self.chart = attributes.get("id")
            self.svg_bars[str(self.chart)] = {}
        if tag == "g" and self.chart and attributes.get("data-key"):
            self.svg_bars[self.chart][str(attributes["data-key"])] = int(
                attributes["data-count"] or 0
            )
        if tag in self.VOID:
            return
        mark = None
        if tag == "mark":
            mark = {
                "i": int(attributes["data-i"] or -1),
                "rule": attributes["data-rule"],
                "start": int(attributes["data-start"] or -1),
                "end": int(attributes["data-end"] or -1),
                "class": attributes.get("class") or "",
                "text": [],
            }
            self.marks.append(mark)
        self.open.append(mark)
        self.id_stack.append(attributes.get("id"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = self.in_data = False
        if tag == "svg":
            self.chart = None
        if tag in self.VOID or not self.open:
            return
        self.open.pop()
        self.id_stack.pop()

    def handle_data(self, data: str) -> None:
        if self.in_data:
            self.data_text.append(data)
            return
        for mark in self.open:
            if mark is not None:
                mark["text"].append(data)
        for element_id in self.id_stack:
            if element_id:
                self.text_of_id.setdefault(element_id, []).append(data)

    def highlighted(self) -> dict[int, dict[str, Any]]:
        """Per finding index, its rule, offsets and the text of all its pieces."""
        found: dict[int, dict[str, Any]] = {}
        for mark in self.marks:
            entry = found.setdefault(
                mark["i"], {"rule": mark["rule"], "start": mark["start"], "end": mark["end"]}
            )
            entry.setdefault("text", "")
            entry["text"] += "".join(mark["text"])
            assert (entry["rule"], entry["start"], entry["end"]) == (
                mark["rule"],
                mark["start"],
                mark["end"],
            )
        return found


def offset(text: str, where: dict[str, int]) -> int:
    starts = [0, *(m.end() for m in LINE_BREAK.finditer(text))]
    return starts[where["row"] - 1] + where["column"] - 1


def document_text(finding: dict[str, Any], base: Path) -> str:
    path = base / finding["filename"]
    if finding["record"] is None:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    line = path.read_text(encoding="utf-8").splitlines()[finding["record"]["line"] - 1]
    return str(json.loads(line)["text"])


def assert_highlights_match(page: Page, findings: list[dict[str, Any]], base: Path) -> None:
    """Every finding highlighted once, over the very text it flags, and nothing else."""
    assert page.data["findings"] == findings
    highlighted = page.highlighted()
    assert sorted(highlighted) == list(range(len(findings)))
    for i, finding in enumerate(findings):
        shown = highlighted[i]
        text = document_text(finding, base)
        start, end = offset(text, finding["location"]), offset(text, finding["end_location"])
        assert shown["rule"] == finding["code"]
        assert (shown["start"], shown["end"]) == (start, end)
        assert shown["text"] == text[start:end], finding
        assert page.data["offsets"][i] == [start, end]


def test_seeds_report_highlights_the_json_findings(run: Run, tmp_path: Path) -> None:
    findings = run("check", "--format", "json", str(SEEDS)).json()
    result = run("report", str(SEEDS), "-o", "report.html")
    assert result.status == 0
    documents = len({f["filename"] for f in findings})
    assert (
        result.out
        == f"Wrote report.html: {len(findings)} findings in {documents} of 5 documents.\n"
    )
    source = (tmp_path / "report.html").read_text(encoding="utf-8")
    page = Page(source)
    assert_highlights_match(page, findings, Path("/"))
    # the summary: counts per rule and per family as the findings have them
    per_rule: dict[str, int] = {}
    per_family: dict[str, int] = {}
    for f in findings:
        per_rule[f["code"]] = per_rule.get(f["code"], 0) + 1
        per_family[f["family"]] = per_family.get(f["family"], 0) + 1
    assert page.svg_bars["chart-rules"] == per_rule
    assert page.svg_bars["chart-families"] == per_family
    assert "Zelenskyy" in source and "Choe Son-hui" in source  # the name groups
    # each document with its findings, and the before/after of the safe fixes
    articles = [a for tag, a in page.tags if tag == "article"]
    assert len(articles) == documents
    assert source.count('<details class="fixed">') >= 1
    assert "<del> Koreawhich</del><ins> Korea which</ins>" in source


def test_the_page_is_self_contained(run: Run, tmp_path: Path) -> None:
    run("report", str(SEEDS), "-o", "report.html")
    page = Page((tmp_path / "report.html").read_text(encoding="utf-8"))
    for tag, attributes in page.tags:
        assert tag not in ("link", "iframe", "img", "object", "embed")
        assert not attributes.get("src"), (tag, attributes)
        href = attributes.get("href")
        assert href is None or href.startswith("#"), href
    policy = next(a["content"] for t, a in page.tags if a.get("http-equiv"))
    assert policy is not None and "default-src 'none'" in policy


def test_text_is_escaped_and_hidden_characters_are_kept(run: Run, tmp_path: Path) -> None:
    text = (
        "Bad <script>alert(1)</script> & </script> the the end.\r\n"
        "A zero\u200bwidth and an \x1b[2Jescape.\r\n"
    )
    (tmp_path / "a.txt").write_bytes(text.encode("utf-8"))
    findings = run("check", "--format", "json", "a.txt").json()
    assert {f["code"] for f in findings} >= {"D101", "U102", "U103"}
    assert run("report", "a.txt", "-o", "r.html").status == 0
    source = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>alert" not in source and source.count("</script>") == 2
    assert '<span class="inv" data-cp="200B">\u200b</span>' in source
    assert '<span class="inv" data-cp="000D">&#13;</span>' in source
    page = Page(source)
    assert_highlights_match(page, findings, tmp_path)


def test_records_and_problems(run: Run, tmp_path: Path) -> None:
    records = [{"id": "r1", "text": DEFECTIVE}, {"id": "r2", "text": "Fine.\n"}]
    (tmp_path / "c.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records) + "{not json\n", encoding="utf-8"
    )
    findings = run("check", "--format", "json", "c.jsonl").json()
    result = run("report", "c.jsonl", "-o", "r.html")
    assert result.status == 2 and "c.jsonl:3" in result.err
    source = (tmp_path / "r.html").read_text(encoding="utf-8")
    page = Page(source)
    assert_highlights_match(page, findings, tmp_path)
    assert page.data["documents"] == ["c.jsonl[1:r1]"]
    assert "Input problems" in source and "c.jsonl:3: " in source


def test_max_documents_and_shared_lines(run: Run, tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        body = f"In view of the the {name} winter.\nMore from our partners\n"
        (tmp_path / f"{name}.txt").write_text(body, encoding="utf-8")
    run("report", ".", "-o", "r.html", "--max-documents", "1")
    source = (tmp_path / "r.html").read_text(encoding="utf-8")
    page = Page(source)
    assert page.data["documents"] == ["a.txt"]
    assert "2 more documents with findings are not shown" in source
    assert re.search(r'<tr class="flagged"><td class="line">More from our partners</td>', source)


def test_output_to_stdout(run: Run, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    result = run("report", "a.txt", "-o", "-")
    assert result.status == 0 and result.out.startswith("<!DOCTYPE html>")
    assert not (tmp_path / "textmend-report.html").exists()


def test_crossing_and_empty_spans_nest() -> None:
    text = "abcdefghij"
    spans = [Span(1, 6, 0, "P101", "P"), Span(3, 9, 1, "W101", "W"), Span(4, 4, 2, "U103", "U")]
    out = pieces(text, spans)
    depth, texts = 0, {0: "", 1: "", 2: ""}
    opened: list[int] = []
    for piece in out:
        if piece.kind == "open":
            assert piece.span is not None
            opened.append(piece.span.index)
            depth += 1
        elif piece.kind == "close":
            opened.pop()
            depth -= 1
        else:
            for index in set(opened):
                texts[index] += piece.text
        assert depth >= 0
    assert depth == 0
    assert texts == {0: "bcdef", 1: "defghi", 2: ""}
    assert "".join(p.text for p in out) == text
    # the crossing span goes on in a second piece
    assert [p.cont for p in out if p.kind == "open" and p.span and p.span.index == 1] == [
        False,
        True,
    ]


def test_diff_rows_mark_the_changed_words() -> None:
    before = "one\ntwo the the\nthree\nfour\nfive\nsix Koreawhich\nseven\n"
    after = "one\ntwo the\nthree\nfour\nfive\nsix Korea which\n"
    rows = diff_rows(before, after)
    assert [(r.old, r.new) for r in rows] == [
        (1, 1),
        (2, 2),
        (3, 3),
        (None, None),  # a gap: line 4 did not change
        (5, 5),
        (6, 6),
        (7, None),
    ]
    assert rows[1].words == [("", "two the"), ("del", " the")]
    assert rows[5].words == [("", "six"), ("del", " Koreawhich"), ("ins", " Korea which")]
    assert rows[6].words == [("del", "seven")]


# --- in a browser ---------------------------------------------------------------------


def chromium() -> str:
    found = find_chromium()
    if found is None:
        pytest.skip(
            "no Chromium to open the report in: `apt-get install chromium` (.ci/run installs it)"
        )
    return found


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_in_chromium_the_highlights_are_the_findings(run: Run, tmp_path: Path) -> None:
    browser = chromium()
    findings = run("check", "--format", "json", str(SEEDS)).json()
    assert run("report", str(SEEDS), "-o", "report.html").status == 0
    url = (tmp_path / "report.html").as_uri()
    # a finding with a fix, opened by its link as a click opens it
    chosen = next(i for i, f in enumerate(findings) if f["code"] == "P101")
    shown = browse(browser, tmp_path / "profile", "--dump-dom", f"{url}#f-{chosen}")
    assert shown.returncode == 0, shown.stderr[-2000:]
    page = Page(shown.stdout)
    assert page.body.get("data-ready") == "1", "the page's script did not run"
    assert_highlights_match(page, findings, Path("/"))
    # the panel shows the finding's rule, message and fix
    panel = page.by_id["panel"]
    assert "hidden" not in panel and panel.get("data-findings", "").split()[0] == str(chosen)
    said = "".join(page.text_of_id["panel-body"])
    finding = findings[chosen]
    assert finding["code"] in said and finding["message"] in said
    assert f"safe fix: {finding['fix']['message']}" in said
    # and a screenshot, kept as an artefact
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / "report-seeds.png"
    screenshot.unlink(missing_ok=True)
    taken = browse(
        browser,
        tmp_path / "profile-2",
        "--window-size=1400,2200",
        f"--screenshot={screenshot}",
        url,
    )
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert png_size(screenshot) == (1400, 2200)
    assert screenshot.stat().st_size > 50_000  # a page, not a blank
    print(f"screenshot: {os.path.relpath(screenshot, ROOT)}")


def test_before_after_follows_the_fixes_asked_for(run: Run, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    run("report", "a.txt", "-o", "safe.html")
    run("report", "a.txt", "--unsafe-fixes", "-o", "unsafe.html")
    safe = (tmp_path / "safe.html").read_text(encoding="utf-8")
    unsafe = (tmp_path / "unsafe.html").read_text(encoding="utf-8")
    # the reversed quote is mended in both; the doubled word only with unsafe fixes
    assert "<del>“for</del><ins>” for</ins>" in safe and "<del> the</del>" not in safe
    assert "<del> the</del>" in unsafe and "textmend fix --unsafe-fixes a.txt" in unsafe
    assert "Before / after: 3 fixes applied" in safe
    assert "Before / after: 4 fixes applied" in unsafe
