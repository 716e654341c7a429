"""The text format: each finding's line as the contract gives it, then its line's excerpt
with a marker under the span (like ruff's full output); `concise`; colours only on a
terminal; what a terminal would hide made visible."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DEFECTIVE, SEEDS, Result

from textmend import progress
from textmend.document import Document
from textmend.report import AROUND, SPAN, Context, digest
from textmend.report.text import visible, width

Run = Callable[..., Result]
FIRST_LINE = re.compile(r"^(?P<path>\S+?):(?P<row>\d+):(?P<col>\d+): (?P<code>[A-Z]\d{3}) ")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def blocks(out: str) -> list[list[str]]:
    """The findings' blocks of lines (a first line, then the lines up to a blank one)."""
    found: list[list[str]] = []
    within = False
    for line in out.splitlines():
        if FIRST_LINE.match(line) and not within:
            found.append([line])
            within = True
        elif within and line:
            found[-1].append(line)
        else:
            within = False
    return found


def code_of(block: list[str]) -> str:
    head = FIRST_LINE.match(block[0])
    assert head is not None
    return head["code"]


def marked(block: list[str]) -> str:
    """What the marker of a block sits under, read off the excerpt and marker lines."""
    source = next(line for line in block if re.match(r"^\d+ \| ", line))
    marker = next(line for line in block if "^" in line)
    text = source.split(" | ", 1)[1]
    column = marker.index("^") - (marker.index("|") + 2)
    carets = marker.count("^")
    return text[column : column + carets]


def test_each_finding_shows_its_line_and_a_marker_under_the_span(run: Run, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    result = run("check", "a.txt")
    assert result.status == 1
    found = blocks(result.out)
    assert [code_of(b) for b in found] == ["P101", "P102", "U104", "D101"]
    quote = found[0]
    assert quote == [
        "a.txt:1:33: P101 [*] '“' closes a quotation here: use '”'",
        "  |",
        "1 | NATO called it a “serious threat“for Europe.  ",
        "  |                                 ^ P101",
        "  |",
        "  = help: Replace with '”'",
    ]
    doubled = found[3]
    assert marked(doubled) == "the the"
    assert doubled[-1] == "  = help: Remove the second 'the' (unsafe fix)"
    # a blank line after each block, then the summary as before
    lines = result.out.splitlines()
    assert lines[lines.index(quote[-1]) + 1] == ""
    assert lines[-3:] == [
        "Found 4 findings.",
        "[*] 3 fixable with `textmend fix`.",
        "(1 more fixable with `textmend fix --unsafe-fixes`.)",
    ]


def test_markers_match_the_json_spans_on_the_seeds(run: Run) -> None:
    """Every marker of the seeds' report sits under the text its JSON finding flags."""
    paths = sorted(str(p) for p in SEEDS.glob("*.txt"))
    findings = run("check", "--format", "json", *paths).json()
    found = blocks(run("check", *paths).out)
    assert len(found) == len(findings) == 75
    for block, finding in zip(found, findings, strict=True):
        head = FIRST_LINE.match(block[0])
        assert head is not None
        assert (head["path"], head["code"]) == (finding["filename"], finding["code"])
        start, end = finding["location"], finding["end_location"]
        assert (int(head["row"]), int(head["col"])) == (start["row"], start["column"])
        line = Path(finding["filename"]).read_text(encoding="utf-8").splitlines()[start["row"] - 1]
        stop = end["column"] - 1 if end["row"] == start["row"] else len(line)
        flagged = line[start["column"] - 1 : stop][:80]
        assert marked(block) == flagged, block
        # a span that ends with its line's break covers that line only
        last = end["row"] - 1 if end["column"] == 1 and end["row"] > start["row"] else end["row"]
        assert ("(to line" in "".join(block)) == (last > start["row"])


def test_concise_is_one_line_per_finding(run: Run, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    lines = run("check", "--format", "concise", "a.txt").out.splitlines()
    assert lines[0] == "a.txt:1:33: P101 [*] '“' closes a quotation here: use '”'"
    assert len(lines) == 4 + 3 and all(FIRST_LINE.match(line) for line in lines[:4])


def test_quiet_prints_the_findings_only(run: Run, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    result = run("check", "--quiet", "a.txt")
    assert result.status == 1
    assert "Found" not in result.out and len(blocks(result.out)) == 4
    assert run("check", "-q", "--format", "concise", "a.txt").out.count("\n") == 4


def test_a_long_line_is_cut_around_the_span(run: Run, tmp_path: Path) -> None:
    words = " ".join(f"word{i}" for i in range(60))
    (tmp_path / "a.txt").write_text(f"{words} the the {words}.\n", encoding="utf-8")
    block = blocks(run("check", "--select", "D101", "a.txt").out)[0]
    source = block[2]
    assert source.startswith("1 | …") and source.endswith("…")
    assert len(source) == len("1 | …") + 40 + len("the the") + 40 + len("…")
    assert marked(block) == "the the"


def test_hidden_characters_are_shown_and_the_marker_counts_columns(
    run: Run, tmp_path: Path
) -> None:
    # an escape sequence, a zero-width space and wide characters before the span
    text = "日本語 \x1b[2Jcleared and\u200bjoined, then the the end.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    out = run("check", "--select", "U102,U103,D101", "a.txt").out
    assert "\x1b" not in out and "\u200b" not in out
    found = {code_of(b): b for b in blocks(out)}
    assert found.keys() == {"U102", "U103", "D101"}
    shown = found["D101"][2]
    assert shown == "1 | 日本語 <U+001B>[2Jcleared and<U+200B>joined, then the the end."
    marker = found["D101"][3]
    # the wide characters take two columns each, the hidden ones their <U+XXXX>
    before = "日本語 <U+001B>[2Jcleared and<U+200B>joined, then "
    assert marker.index("^") - 4 == width(before) == len(before) + 3
    escape = found["U102"]
    assert escape[3].index("^") - 4 == width("日本語 ")
    assert escape[3].count("^") >= 1


def test_visible_and_width() -> None:
    assert visible("a\tb\u202ec\x00") == "a b<U+202E>c<U+0000>"
    assert visible("plain") == "plain"
    assert width("e\u0301") == 1 and width("中文") == 4 and width("abc") == 3


@pytest.mark.parametrize(
    "text",
    [
        "one\ntwo\r\nthree\rfour",
        "\n\r\n\r\r\n\n",
        "\r\nlead\r\r\n" + "x" * (SPAN + 2 * AROUND + 5) + "\n\u2028 tail \x85 end",
        "no break at all",
        "",
    ],
)
def test_a_findings_context_is_cut_from_its_lines(text: str) -> None:
    """Every span's context, worked out from the line starts, is what the document's
    lines (LF, CRLF and a lone CR each one break) give: the excerpt of the first line
    and the digest of the lines the span touches, white space folded."""
    doc = Document(text, "a.txt")
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            first, last = doc.position(start)[0] - 1, doc.position(end)[0] - 1
            line = doc.lines[first]
            shown_end = min(end, line.end, start + SPAN)
            left, right = max(line.start, start - AROUND), min(line.end, shown_end + AROUND)
            if end > start and end == doc.line_starts[last] and last > first:
                last -= 1  # a span that ends with a line break
            touched = " ".join(doc.lines[i].text for i in range(first, last + 1))
            assert Context.of(doc, start, end) == Context(
                excerpt=text[left:right],
                start=start - left,
                end=shown_end - left,
                cut_left=left > line.start,
                cut_right=right < line.end,
                more_rows=last - first,
                flagged=digest(text[start:end]),
                lines=digest(" ".join(touched.split())),
            )


def test_a_record_shows_its_row_in_the_text(run: Run, tmp_path: Path) -> None:
    record = {"id": "r1", "text": "First line.\nIn view of the the winter.\n"}
    (tmp_path / "c.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    block = blocks(run("check", "--select", "D101", "c.jsonl").out)[0]
    assert block[0].startswith("c.jsonl[1:r1]:2:12: D101")
    assert block[2] == "2 | In view of the the winter."


def _in_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[str, str]:
    """Run textmend with its standard output on a pseudo-terminal: what the terminal
    shows, and the standard error (a pipe)."""
    main, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "textmend", *args],
        stdout=child,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=env,
    )
    os.close(child)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    _, err = process.communicate(timeout=120)
    os.close(main)
    return shown.decode("utf-8"), err.decode("utf-8")


def test_colours_on_a_terminal_only(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    shown, _ = _in_a_terminal(["check", "--no-cache", "a.txt"], tmp_path, env)
    assert "\x1b[31;1mP101\x1b[0m" in shown and "\x1b[1ma.txt\x1b[0m:1:33:" in shown
    plain = ANSI.sub("", shown).replace("\r\n", "\n")
    assert "a.txt:1:33: P101 [*] '“' closes a quotation here: use '”'" in plain
    piped = subprocess.run(
        [sys.executable, "-m", "textmend", "check", "--no-cache", "a.txt"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert piped.returncode == 1 and "\x1b" not in piped.stdout
    assert piped.stdout == plain
    shown, _ = _in_a_terminal(["check", "--no-cache", "a.txt"], tmp_path, {**env, "NO_COLOR": "1"})
    assert "\x1b" not in shown


class Terminal(io.StringIO):
    """A stream that says it is a terminal, and keeps what was written to it."""

    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_for_long_runs(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = sorted(str(p) for p in SEEDS.glob("*.txt"))
    expected = run("check", "--no-cache", *paths).out
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    # a short run shows no bar
    assert run("check", "--no-cache", *paths).out == expected
    assert terminal.getvalue() == ""
    # one that lasts longer than the delay does, on standard error only, then erases it
    monkeypatch.setattr(progress, "DELAY", 0.0)
    assert run("check", "--no-cache", *paths).out == expected
    shown = terminal.getvalue()
    assert "corpus statistics: " in shown and "checking: " in shown and "/5 [" in shown
    # each bar erased: the last thing written is a line of spaces
    assert shown.endswith("\r") and shown.split("\r")[-2].strip() == ""
    # not with --quiet, nor when standard error is not a terminal
    terminal.truncate(0)
    terminal.seek(0)
    run("check", "--no-cache", "--quiet", *paths)
    assert terminal.getvalue() == ""
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    run("check", "--no-cache", *paths)
    assert sys.stderr.getvalue() == ""


def test_progress_counts_what_each_phase_did_before_it_showed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = Terminal()
    bar = progress.Progress(terminal)
    bar.phase("checking", 10)
    bar.advance(4)  # within the delay: nothing shown
    assert terminal.getvalue() == "" and bar.bar is None
    monkeypatch.setattr(progress, "DELAY", 0.0)
    bar.advance(3)
    assert "checking:  70%" in terminal.getvalue() and "7/10" in terminal.getvalue()
    with bar.cleared():
        terminal.write("textmend: error: a problem\n")
    bar.close()
    assert "textmend: error: a problem\n" in terminal.getvalue()
