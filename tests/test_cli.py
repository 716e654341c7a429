"""The command line: exit statuses, commands and options, as the contract states them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ALL_FIXED, CLEAN, DEFECTIVE, ROOT, SAFE_FIXED, SEEDS, Result

Run = Callable[..., Result]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def test_check_clean_exits_0(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.txt", CLEAN)
    result = run("check", "a.txt")
    assert result.status == 0
    assert "All checks passed!" in result.out


def test_check_findings_exit_1_and_name_place(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "docs" / "a.txt", DEFECTIVE)
    result = run("check", "docs")
    assert result.status == 1
    lines = result.out.splitlines()
    assert "docs/a.txt:1:33: P101 [*] '“' closes a quotation here: use '”'" in lines
    assert any(line.startswith("docs/a.txt:2:12: D101 doubled word") for line in lines)
    assert "Found 4 findings." in lines
    assert "[*] 3 fixable with `textmend fix`." in lines
    assert "(1 more fixable with `textmend fix --unsafe-fixes`.)" in lines


def test_check_writes_nothing(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", DEFECTIVE)
    run("check", "a.txt")
    assert path.read_text(encoding="utf-8") == DEFECTIVE


def test_check_seeds_finds_defects(run: Run) -> None:
    result = run("check", str(SEEDS))
    assert result.status == 1
    assert "D101" in result.out and "P101" in result.out


def test_usage_error_exits_2(run: Run) -> None:
    try:
        status = run("check", "--format", "xml").status
    except SystemExit as exit_:  # argparse exits on its own
        status = int(exit_.code or 0)
    assert status == 2


def test_missing_path_exits_2_and_others_still_checked(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.txt", DEFECTIVE)
    result = run("check", "nope.txt", "a.txt")
    assert result.status == 2
    assert "nope.txt: no such file or directory" in result.err
    assert "a.txt:1:33: P101" in result.out


def test_unknown_selector_exits_2(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.txt", CLEAN)
    result = run("check", "--select", "X9", "a.txt")
    assert result.status == 2
    assert "unknown rule selector 'X9'" in result.err


def test_select_and_ignore_by_prefix(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.txt", DEFECTIVE)
    codes = {f["code"] for f in run("check", "--select", "P", "--format", "json", "a.txt").json()}
    assert codes == {"P101", "P102"}
    codes = {
        f["code"] for f in run("check", "--ignore", "P1,U", "--format", "json", "a.txt").json()
    }
    assert codes == {"D101"}
    codes = {
        f["code"]
        for f in run(
            "check", "--select", "ALL", "--ignore", "P102", "--format", "json", "a.txt"
        ).json()
    }
    assert codes == {"P101", "D101", "U104"}


def test_exit_zero(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.txt", DEFECTIVE)
    assert run("check", "--exit-zero", "a.txt").status == 0


def test_fix_applies_safe_fixes_only_by_default(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", DEFECTIVE)
    result = run("fix", "a.txt")
    assert path.read_text(encoding="utf-8") == SAFE_FIXED
    assert result.status == 1  # the doubled word is left
    assert "Fixed 3 findings in 1 document; 1 remaining." in result.out
    assert "a.txt:2:12: D101" in result.out


def test_fix_unsafe_fixes_everything_and_exits_0(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", DEFECTIVE)
    result = run("fix", "--unsafe-fixes", "a.txt")
    assert path.read_text(encoding="utf-8") == ALL_FIXED
    assert result.status == 0
    assert "Fixed 4 findings in 1 document; 0 remaining." in result.out


def test_fix_is_idempotent(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", DEFECTIVE)
    run("fix", "--unsafe-fixes", "a.txt")
    once = path.read_bytes()
    result = run("fix", "--unsafe-fixes", "a.txt")
    assert path.read_bytes() == once
    assert "Fixed 0 findings" in result.out


def test_fix_diff_writes_nothing(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", DEFECTIVE)
    result = run("fix", "--diff", "a.txt")
    assert result.status == 1
    assert path.read_text(encoding="utf-8") == DEFECTIVE
    assert "--- a/a.txt" in result.out and "+++ b/a.txt" in result.out
    assert "-NATO called it a “serious threat“for Europe.  " in result.out
    assert "+NATO called it a “serious threat” for Europe." in result.out
    assert run("fix", "--diff", write(tmp_path / "b.txt", CLEAN).name).status == 0


def test_fix_output_writes_copies(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", DEFECTIVE)
    write(tmp_path / "in" / "sub" / "b.txt", CLEAN)
    result = run("fix", "--output", "out", "in")
    assert result.status == 1
    assert (tmp_path / "in" / "a.txt").read_text(encoding="utf-8") == DEFECTIVE
    assert (tmp_path / "out" / "in" / "a.txt").read_text(encoding="utf-8") == SAFE_FIXED
    assert (tmp_path / "out" / "in" / "sub" / "b.txt").read_text(encoding="utf-8") == CLEAN


def test_fix_keeps_crlf_bom_and_mode(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf" + DEFECTIVE.replace("\n", "\r\n").encode("utf-8"))
    os.chmod(path, 0o640)
    run("fix", "a.txt")
    expected = b"\xef\xbb\xbf" + SAFE_FIXED.replace("\n", "\r\n").encode("utf-8")
    assert path.read_bytes() == expected
    assert os.stat(path).st_mode & 0o777 == 0o640


def test_invalid_utf8_reported_and_never_written(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 the the end  \n")
    good = write(tmp_path / "good.txt", DEFECTIVE)
    result = run("fix", "--unsafe-fixes", "bad.txt", "good.txt")
    assert result.status == 2
    assert "bad.txt: not valid UTF-8 (byte 0xe9 at offset 3)" in result.err
    assert bad.read_bytes() == b"caf\xe9 the the end  \n"
    assert good.read_text(encoding="utf-8") == ALL_FIXED


def test_stdin_check_and_fix(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "textmend"]
    checked = subprocess.run(
        [*command, "check", "-"], input=DEFECTIVE.encode(), capture_output=True, cwd=tmp_path
    )
    assert checked.returncode == 1
    assert b"-:1:33: P101" in checked.stdout
    fixed = subprocess.run(
        [*command, "fix", "-"], input=DEFECTIVE.encode(), capture_output=True, cwd=tmp_path
    )
    assert fixed.stdout.decode("utf-8") == SAFE_FIXED
    assert b"D101" in fixed.stderr  # the report goes to stderr, the text to stdout
    assert fixed.returncode == 1
    unchanged = subprocess.run(
        [*command, "fix", "-"], input=CLEAN.encode(), capture_output=True, cwd=tmp_path
    )
    assert unchanged.stdout.decode("utf-8") == CLEAN
    assert unchanged.returncode == 0


def test_console_script_runs() -> None:
    script = shutil.which("textmend", path=os.path.dirname(sys.executable))
    assert script is not None
    result = subprocess.run(
        [script, "check", str(SEEDS / "003_9950ee67f3d01385.txt")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode in (0, 1)
    assert result.stdout.strip()


def test_statistics(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.txt", DEFECTIVE + DEFECTIVE)
    result = run("check", "--statistics", "a.txt")
    assert result.status == 1
    lines = result.out.splitlines()
    assert lines[0].split() == ["2", "D101", "doubled-word"]
    assert ["2", "P101", "[*]", "reversed-quote"] in [line.split() for line in lines]
    rows = run("check", "--statistics", "--format", "json", "a.txt").json()
    assert {"code": "U104", "name": "trailing-whitespace", "count": 2, "fixable": 2} in rows


def test_rules_and_rule(run: Run) -> None:
    listing = run("rules")
    assert listing.status == 0
    assert any(
        line.split()[:3] == ["D101", "doubled-word", "duplication"]
        for line in listing.out.splitlines()
    )
    explained = run("rule", "p101")
    assert explained.status == 0
    for heading in ("## What it flags", "## Why it matters", "## Example"):
        assert heading in explained.out
    assert run("rule", "Z999").status == 2
    data = run("rules", "--format", "json").json()
    assert {r["code"] for r in data} >= {"D101", "P101", "U101"}


def test_the_command_runs_the_exit_handlers_and_writes_all_its_output(tmp_path: Path) -> None:
    # the command ends its process without freeing its objects one by one: the exit
    # handlers (Ray's ends its cluster) must still run, and the output be whole
    import json

    script = (
        "import atexit, sys\n"
        "from textmend.cli import command\n"
        "atexit.register(lambda: print('the handlers ran', file=sys.stderr))\n"
        "command()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "check", "--format", "json", "--no-cache", str(SEEDS)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stderr
    assert len(json.loads(done.stdout)) > 20
    assert done.stderr.strip().endswith("the handlers ran")


def test_the_command_ends_quietly_when_its_reader_has_gone(tmp_path: Path) -> None:
    # `textmend check | head`: more output than a pipe holds, the reader gone early
    for i in range(20):
        shutil.copytree(SEEDS, tmp_path / f"copy{i}", ignore=shutil.ignore_patterns("*.json"))
    command = [sys.executable, "-m", "textmend", "check", "--no-cache", "--format", "json", "."]
    with subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(100)
        process.stdout.close()
        error = process.stderr.read().decode()
    assert process.returncode == 2
    assert "Traceback" not in error and "Exception ignored" not in error


def test_each_file_is_read_once_however_it_is_named(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # files are known by their real path, each folder resolved once: the same as
    # os.path.realpath for files (what discovery yields), links to files, links to
    # folders, broken links, loops and relative paths
    from textmend.cli import _real_path

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text(DEFECTIVE, encoding="utf-8")
    (tmp_path / "a" / "y.txt").write_text(DEFECTIVE, encoding="utf-8")
    (tmp_path / "via").symlink_to(tmp_path / "a" / "b")
    (tmp_path / "a" / "to-x.txt").symlink_to(tmp_path / "a" / "b" / "x.txt")
    (tmp_path / "a" / "up.txt").symlink_to(Path("..") / "a" / "y.txt")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    monkeypatch.chdir(tmp_path / "a")
    paths = [
        "y.txt", "b/x.txt", "../via/x.txt", "to-x.txt", "up.txt", "../a/b/../y.txt",
        str(tmp_path / "via" / "x.txt"), "../broken.txt", "../loop.txt",
    ]  # fmt: skip
    folders: dict[str, str] = {}
    for path in paths * 2:
        assert _real_path(path, folders) == os.path.realpath(path), path
    result = run("check", "--format", "json", "--no-cache", "b/x.txt", "../via/x.txt", ".")
    named = sorted({f["filename"] for f in result.json()})
    assert named == ["b/x.txt", "up.txt"]  # (y.txt is up.txt, named first)
