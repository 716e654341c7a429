"""Reliability (issue 8): what textmend promises about users' data, case by case.

Bad input is reported with the file (and record) and the reason, the rest of the run
goes on, the file is never written, and the exit status is 2. Fixes are verified
before they are written, writes are atomic (a `fix` killed with SIGKILL leaves every
file as it was or fully fixed; two runs at once corrupt nothing), a configuration
cannot reach outside its folder or run code, and `fix --output DIR` writes only under
DIR. Other guarantees are tested elsewhere: invalid UTF-8, CRLF, BOM and mode kept and
idempotence in test_cli.py; JSONL bad records, truncated gzip, Parquet schemas and the
gzip bomb in test_corpus_files.py; invariants in test_invariants.py; hostile input in
test_hostile.py; the cache in test_cache.py.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ALL_FIXED, CLEAN, DEFECTIVE, ROOT, SAFE_FIXED, Result

from textmend import sources
from textmend.document import Document
from textmend.engine import RuleFailure
from textmend.fixer import fix_document, verify
from textmend.rule import REGISTRY, DocumentRule, Edit, Finding, Fix, FixAvailability
from textmend.sources import TextSource

Run = Callable[..., Result]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every regular file under a folder (not following links), by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink() and ".textmend_cache" not in p.parts
    }


# --- bad input ------------------------------------------------------------------------

# a file that is not UTF-8 text: (its bytes, what the message says)
NOT_TEXT = {
    "binary": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        "bad.txt: a binary file: NUL bytes, the first at offset 8",
    ),
    "a run of NUL bytes": (
        DEFECTIVE.encode("utf-8") + b"\x00" * 4096,  # the zeros a crash can leave
        "bad.txt: a binary file: NUL bytes, the first at offset 78",
    ),
    "UTF-16 with a BOM": (
        DEFECTIVE.encode("utf-16"),
        "bad.txt: UTF-16 (its byte-order mark says so): textmend reads UTF-8 only",
    ),
    "UTF-16 big-endian with a BOM": (
        b"\xfe\xff" + DEFECTIVE.encode("utf-16-be"),
        "bad.txt: UTF-16 (its byte-order mark says so)",
    ),
    "UTF-32 with a BOM": (
        DEFECTIVE.encode("utf-32"),
        "bad.txt: UTF-32 (its byte-order mark says so)",
    ),
    "UTF-16 without a BOM": (
        DEFECTIVE.encode("utf-16-le"),
        "bad.txt: a binary file: NUL bytes, the first at offset 1 (or UTF-16 without a byte-order "
        "mark); the file is left untouched",
    ),
}


@pytest.mark.parametrize("kind", sorted(NOT_TEXT))
def test_a_file_that_is_not_utf8_text_is_reported_and_never_written(
    kind: str, run: Run, tmp_path: Path
) -> None:
    data, message = NOT_TEXT[kind]
    bad = write(tmp_path / "bad.txt", data)
    good = write(tmp_path / "good.txt", DEFECTIVE)
    result = run("fix", "--unsafe-fixes", "bad.txt", "good.txt")
    assert result.status == 2
    assert message in result.err
    assert bad.read_bytes() == data
    assert good.read_text(encoding="utf-8") == ALL_FIXED  # the rest of the run went on


def test_a_stray_nul_in_text_is_a_control_character_that_fix_removes(
    run: Run, tmp_path: Path
) -> None:
    # a NUL or two inside text is a scraping artefact (U102), not the mark of a binary
    path = write(tmp_path / "a.txt", DEFECTIVE.replace("Europe", "Eur\x00ope"))
    result = run("check", "--select", "U102", "a.txt")
    assert result.status == 1
    assert "a.txt:1:41: U102 [*] control character U+0000" in result.out
    run("fix", "a.txt")
    assert path.read_text(encoding="utf-8") == SAFE_FIXED


def test_a_jsonl_file_in_utf16_is_reported_and_never_written(run: Run, tmp_path: Path) -> None:
    data = (json.dumps({"id": 1, "text": DEFECTIVE}) + "\n").encode("utf-16")
    path = write(tmp_path / "c.jsonl", data)
    result = run("fix", "c.jsonl")
    assert result.status == 2
    assert "c.jsonl: UTF-16 (its byte-order mark says so)" in result.err
    assert path.read_bytes() == data


def test_standard_input_that_is_binary_is_an_input_error(tmp_path: Path) -> None:
    fixed = subprocess.run(
        [sys.executable, "-m", "textmend", "fix", "-"],
        input=b"a\x00b",
        capture_output=True,
        cwd=tmp_path,
    )
    assert fixed.returncode == 2, fixed.stderr
    assert b"-: a binary file: NUL bytes, the first at offset 1" in fixed.stderr


def test_an_empty_file_is_clean_and_never_written(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "empty.txt", b"")
    before = os.stat(path)
    assert run("check", "empty.txt").status == 0
    assert run("fix", "--unsafe-fixes", "empty.txt").status == 0
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino,
        before.st_mtime_ns,
        0,
    )


def test_a_file_of_only_white_space_is_fixed_once(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "blank.txt", " \t\n  \r\n\u00a0\n\n \r")
    assert run("check", "blank.txt").status == 1  # trailing white space
    assert run("fix", "blank.txt").status == 0
    assert path.read_bytes() == b"\n\r\n\n\n\r"  # every line break kept, in its kind
    again = os.stat(path).st_mtime_ns
    assert run("fix", "blank.txt").status == 0
    assert os.stat(path).st_mtime_ns == again  # nothing left to write


def test_a_50_mb_file_without_a_line_break_is_reported_and_never_written(
    run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        chunk = b"the the word  " * (1 << 16)
        while handle.tell() < 50 << 20:
            handle.write(chunk)
    size = path.stat().st_size
    good = write(tmp_path / "good.txt", DEFECTIVE)
    result = run("fix", "--unsafe-fixes", "--no-cache", "huge.txt", "good.txt")
    assert result.status == 2
    assert f"huge.txt: too large: {size:,} bytes, more than the 10,485,760 characters" in result.err
    assert path.stat().st_size == size and path.read_bytes()[:14] == b"the the word  "
    assert good.read_text(encoding="utf-8") == ALL_FIXED


def test_a_document_just_over_the_limit_is_counted_in_characters(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 3 bytes a character: fewer bytes than 4 x the limit, more characters than it
    monkeypatch.setattr(sources, "MAX_DOCUMENT_CHARS", 1000)
    over = write(tmp_path / "over.txt", "€" * 1001)
    under = write(tmp_path / "under.txt", "€" * 997 + "  ")
    result = run("fix", "over.txt", "under.txt")
    assert result.status == 2
    assert "over.txt: too large: 1,001 characters" in result.err
    assert over.read_text(encoding="utf-8") == "€" * 1001
    assert under.read_text(encoding="utf-8") == "€" * 997


def test_a_20_mb_record_is_reported_and_the_others_still_checked(run: Run, tmp_path: Path) -> None:
    big = "word " * (4 << 20)  # 20 MiB of text in one record
    lines = [
        json.dumps({"id": "a", "text": DEFECTIVE}),
        json.dumps({"id": "big", "text": big}),
        json.dumps({"id": "c", "text": DEFECTIVE}),
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path = write(tmp_path / "c.jsonl", data)
    result = run("fix", "c.jsonl", "--no-cache")
    assert result.status == 2
    assert f"c.jsonl:2: too large: the field 'text' holds {len(big):,} characters" in result.err
    assert "c.jsonl: not written, because of the problems above" in result.err
    assert path.read_bytes() == data
    assert "c.jsonl[1:a]:1:33: P101" in result.out and "c.jsonl[3:c]:1:33: P101" in result.out


@pytest.mark.parametrize(
    ("name", "text", "fixed"),
    [
        (
            "CR only",
            "A war  \rIn view of the war.The talks \rNATO “threat“for Europe.\r",
            "A war\rIn view of the war. The talks\rNATO “threat” for Europe.\r",
        ),
        (
            "mixed",
            "A war  \r\nthe war.The talks \rNATO “threat“for Europe.\n\r\nend  ",
            "A war\r\nthe war. The talks\rNATO “threat” for Europe.\n\r\nend",
        ),
    ],
)
def test_cr_only_and_mixed_line_endings_are_kept(
    name: str, text: str, fixed: str, run: Run, tmp_path: Path
) -> None:
    path = write(tmp_path / "a.txt", text)
    findings = run("check", "--select", "U104", "--format", "json", "a.txt").json()
    rows = [f["location"]["row"] for f in findings]
    assert rows == ([1, 2, 5] if name == "mixed" else [1, 2])
    run("fix", "a.txt")
    assert path.read_bytes() == fixed.encode("utf-8")


def test_an_unreadable_file_is_reported_and_the_rest_goes_on(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated, so that it runs as root too (test below: the real permission)."""
    bad = write(tmp_path / "d" / "bad.txt", DEFECTIVE)
    good = write(tmp_path / "d" / "good.txt", DEFECTIVE)
    real_read = TextSource._read

    def read(self: TextSource, limit: int = -1) -> bytes:
        if self.path.endswith("bad.txt"):
            raise PermissionError(13, "Permission denied", self.path)
        return real_read(self, limit)

    monkeypatch.setattr(TextSource, "_read", read)
    result = run("fix", "d")
    assert result.status == 2
    assert "d/bad.txt: cannot read: Permission denied" in result.err
    assert bad.read_text(encoding="utf-8") == DEFECTIVE
    assert good.read_text(encoding="utf-8") == SAFE_FIXED


def test_a_small_file_is_read_without_setting_its_limit_aside(tmp_path: Path) -> None:
    import tracemalloc

    path = write(tmp_path / "a.txt", DEFECTIVE)
    source = TextSource(str(path))
    limit = 4 * sources.MAX_DOCUMENT_CHARS
    tracemalloc.start()
    try:
        data = source._read(limit)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert data == path.read_bytes()
    assert peak < 100_000  # (a read of `limit` bytes set 40 MB aside)
    assert source._read(10) == path.read_bytes()[:10]
    assert source._read() == path.read_bytes()


def test_a_file_that_grows_while_it_is_read_is_read_whole_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "a.txt", DEFECTIVE)
    source = TextSource(str(path))
    real_fstat = os.fstat

    def smaller(descriptor: int) -> os.stat_result:
        info = list(real_fstat(descriptor))
        info[6] = 10  # st_size as it was before the file grew
        return os.stat_result(info)

    monkeypatch.setattr(sources.os, "fstat", smaller)
    assert source._read(1 << 20) == path.read_bytes()
    assert source._read(50) == path.read_bytes()[:50]


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root reads files whatever their permissions: nothing to test as root",
)
def test_a_file_without_read_permission_is_reported(run: Run, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.txt", DEFECTIVE)
    good = write(tmp_path / "good.txt", DEFECTIVE)
    os.chmod(bad, 0)
    try:
        result = run("fix", "bad.txt", "good.txt")
    finally:
        os.chmod(bad, 0o644)
    assert result.status == 2
    assert "bad.txt: cannot read: Permission denied" in result.err
    assert bad.read_text(encoding="utf-8") == DEFECTIVE
    assert good.read_text(encoding="utf-8") == SAFE_FIXED


def test_a_folder_that_cannot_be_listed_is_reported_not_skipped(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "d" / "locked" / "a.txt", DEFECTIVE)
    good = write(tmp_path / "d" / "good.txt", DEFECTIVE)
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run("fix", "d")
    assert result.status == 2
    assert "d/locked: cannot list the folder: Permission denied" in result.err
    assert good.read_text(encoding="utf-8") == SAFE_FIXED


def test_broken_links_and_link_loops_are_reported_and_left_alone(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "d"
    good = write(folder / "good.txt", DEFECTIVE)
    (folder / "broken.txt").symlink_to(folder / "missing.txt")
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    (folder / "sub").symlink_to(folder)  # a folder that contains itself
    for args in (["d"], ["d/broken.txt", "d/loop1.txt", "d/sub", "d/good.txt"]):
        write(good, DEFECTIVE)
        result = run("fix", *args)
        assert result.status == 2
        assert "d/broken.txt: cannot read: No such file or directory" in result.err
        assert "d/loop1.txt: cannot read: Too many levels of symbolic links" in result.err
        assert good.read_text(encoding="utf-8") == SAFE_FIXED
        assert os.readlink(folder / "broken.txt") == str(folder / "missing.txt")
        assert (folder / "loop1.txt").is_symlink() and (folder / "loop2.txt").is_symlink()
        assert not (folder / "missing.txt").exists()
        # the file is read once, whether through the folder or the link to it
        assert result.out.count("good.txt:1:33: P101") == 0  # fixed, nothing to report
    assert run("check", "d", "d/sub").out.count("P101") == 0


def test_a_linked_file_is_fixed_through_its_link(run: Run, tmp_path: Path) -> None:
    target = write(tmp_path / "store" / "a.txt", DEFECTIVE)
    link = tmp_path / "corpus" / "a.txt"
    link.parent.mkdir()
    link.symlink_to(target)
    os.chmod(target, 0o640)
    run("fix", "corpus")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == SAFE_FIXED
    assert os.stat(target).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == ["a.txt"]


def test_20000_small_files(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    for i in range(20_000):
        text = f"Note {i}: it is fine." + ("  \n" if i % 7 == 0 else "\n")
        write(folder / f"{i // 1000:02d}" / f"f{i:05d}.txt", text)
    result = run("fix", "many", "--select", "U104", "--jobs", "2", "--no-cache")
    assert result.status == 0, result.err
    assert "Fixed 2858 findings in 2858 documents; 0 remaining." in result.out
    files = sorted(folder.rglob("*.txt"))
    assert len(files) == 20_000
    assert all(p.read_bytes().endswith(b".\n") for p in files)


# --- verify before writing ------------------------------------------------------------


class _Bad(DocumentRule):
    """## What it flags
    A test rule.

    ## Why it matters
    It proves that textmend checks fixes before it writes them.

    ## Example
    ```
    colour
    ```
    """

    name = "bad-rule"
    summary = "a deliberately bad rule"
    word: ClassVar[str]

    def check(self, doc: Document) -> Iterator[Finding]:
        start = doc.text.find(self.word)
        if start >= 0:
            yield self.finding(start, start + len(self.word), "bad", self.bad_fix(doc, start))

    def bad_fix(self, doc: Document, start: int) -> Fix:
        raise NotImplementedError


class DropsALetter(_Bad):
    code = "U199"
    fix_availability = FixAvailability.SAFE
    word = "colour"

    def bad_fix(self, doc: Document, start: int) -> Fix:
        return Fix.safe("Americanise", Edit(start + 4, start + 5, ""))  # colour -> color


class DeletesTooMuch(_Bad):
    code = "B199"
    fix_availability = FixAvailability.UNSAFE
    word = "Skip to content"

    def bad_fix(self, doc: Document, start: int) -> Fix:
        # the line, and the whole line after it
        end = doc.text.find("\n", start + len(self.word) + 1)
        return Fix.unsafe("Remove it", Edit(start, end + 1, ""))


@pytest.fixture
def bad_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    for rule in (DropsALetter, DeletesTooMuch):
        monkeypatch.setitem(REGISTRY, rule.code, rule)


@pytest.mark.parametrize(
    ("code", "text", "message"),
    [
        (
            "U199",
            "The colour of the sky.  \n",
            "bad.txt: internal error in rule U199: its safe fix would change the letters "
            "and digits of 'u' to ''; not written",
        ),
        (
            "B199",
            "Skip to content\nThe ministers met.\nThe end.\n",
            "bad.txt: internal error in rule B199: its unsafe fix would delete "
            "'\\nThe ministers met.\\n', outside what it reported; not written",
        ),
    ],
)
def test_a_fix_that_breaks_its_promise_is_not_written(
    code: str, text: str, message: str, bad_rules: None, run: Run, tmp_path: Path
) -> None:
    bad = write(tmp_path / "bad.txt", text)
    good = write(tmp_path / "good.txt", DEFECTIVE)
    result = run(
        "fix", "--unsafe-fixes", "--select", f"{code},P,U104", "--no-cache", "bad.txt", "good.txt"
    )
    assert result.status == 2
    assert message in result.err
    assert bad.read_text(encoding="utf-8") == text
    assert good.read_text(encoding="utf-8") == SAFE_FIXED


def _finding(code: str, start: int, end: int) -> Finding:
    rule = type("R", (DocumentRule,), {"code": code, "name": "r", "summary": "r"})
    return Finding(rule, start, end, "m")


@pytest.mark.parametrize(
    ("code", "text", "fix", "kept"),
    [
        # case, spaces and punctuation may change; letters and digits may not
        ("N102", "kyiv’s", Fix.safe("", Edit(0, 4, "Kyiv")), True),
        ("P103", "war.The", Fix.safe("", Edit(4, 4, " ")), True),
        ("W102", "govern-\nment", Fix.safe("", Edit(6, 8, "")), True),
        ("U105", "Zoe\u0301", Fix.safe("", Edit(2, 4, "é")), True),
        ("U102", "a\x1b[31mb", Fix.safe("", Edit(1, 6, "")), True),
        ("U105", "Zoe\u0301", Fix.safe("", Edit(2, 4, "e")), False),  # the accent lost
        ("P101", "war 2024", Fix.safe("", Edit(4, 8, "2025")), False),
        ("N102", "İstanbul", Fix.safe("", Edit(0, 1, "i")), False),
        # mojibake: what ftfy's explanation of the bytes gives, and nothing else
        ("U101", "FranÃ§ois", Fix.safe("", Edit(0, 9, "François")), True),
        ("U101", "donâ€™t", Fix.safe("", Edit(0, 7, "don’t")), True),
        ("U101", "FranÃ§ois", Fix.safe("", Edit(0, 9, "Francois")), False),
        ("U101", "Francois", Fix.safe("", Edit(0, 8, "François")), False),
        ("P101", "FranÃ§ois", Fix.safe("", Edit(0, 9, "François")), False),  # not U101
        # unsafe: inside the reported span, and white space around it
        ("D101", "the the end", Fix.unsafe("", Edit(0, 4, "")), True),
        ("N101", "Zelenskyy said", Fix.unsafe("", Edit(0, 9, "Zelensky")), True),
        ("D101", "the the end", Fix.unsafe("", Edit(4, 11, "")), False),
    ],
)
def test_verify(code: str, text: str, fix: Fix, kept: bool) -> None:
    spans = {"D101": (0, 7), "N101": (0, 9)}
    start, end = spans.get(code, (fix.start, fix.end))
    assert (verify(text, _finding(code, start, end), fix) is None) is kept


def test_fix_document_names_the_rule_whose_fix_fails(bad_rules: None) -> None:
    doc = Document("colour", "x.txt")
    rule = DropsALetter()
    with pytest.raises(RuleFailure) as failure:
        fix_document(doc, lambda d: list(rule.check(d)), unsafe=False)
    assert failure.value.code == "U199"


# --- fuzz target ----------------------------------------------------------------------


def test_the_fuzz_target_passes_on_fixed_inputs() -> None:
    """The fuzz target's checks (tests/fuzz_textmend.py), so that it does not rot: on
    a third of the fragments it builds texts from, a text with a lone surrogate (a JSONL record
    can hold one), and the inputs saved under tests/fixtures/fuzz/ (a crash the fuzzer
    finds goes there once it is fixed; none so far)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from fuzz_textmend import examine, text_of

    examine(text_of(b"\x02" + bytes(range(0, 256, 3))))
    examine("Kyiv \ud800 the the end  \r\nFranÃ§ois\x00")
    for path in sorted((ROOT / "tests" / "fixtures" / "fuzz").glob("*")):
        examine(text_of(path.read_bytes()))


def test_a_record_with_a_lone_surrogate_is_written_back_as_valid_json(
    run: Run, tmp_path: Path
) -> None:
    # JSON can escape a lone surrogate, which UTF-8 cannot hold: the record is escaped
    path = write(tmp_path / "c.jsonl", '{"id": 1, "text": "café \\ud800 end  "}\n')
    result = run("fix", "--select", "U104", "c.jsonl")
    assert result.status == 0, result.err
    assert path.read_bytes() == b'{"id": 1, "text": "caf\\u00e9 \\ud800 end"}\n'


# --- writing: atomic, modes kept, killed runs, runs at once ---------------------------


def _corpus_file(path: Path, kind: str) -> None:
    if kind == ".jsonl":
        write(path, json.dumps({"id": 1, "text": DEFECTIVE}) + "\n")
    elif kind == ".jsonl.gz":
        write(path, gzip.compress((json.dumps({"id": 1, "text": DEFECTIVE}) + "\n").encode()))
    elif kind == ".parquet":
        pq.write_table(pa.table({"id": ["1"], "text": [DEFECTIVE]}), path)
    else:
        write(path, DEFECTIVE)


@pytest.mark.parametrize("kind", [".txt", ".jsonl", ".jsonl.gz", ".parquet"])
def test_fix_keeps_the_mode_of_every_kind_of_file(kind: str, run: Run, tmp_path: Path) -> None:
    path = tmp_path / f"c{kind}"
    _corpus_file(path, kind)
    os.chmod(path, 0o604)
    before = path.read_bytes()
    run("fix", path.name)
    assert path.read_bytes() != before
    assert os.stat(path).st_mode & 0o777 == 0o604
    assert [p.name for p in tmp_path.iterdir() if p.name != ".textmend_cache"] == [path.name]


TEXT_FILES = 60
RECORDS = 1500
FIX = [sys.executable, "-m", "textmend", "fix", "--select", "P,U", "--jobs", "1"]


def _killable_corpus(folder: Path) -> None:
    """Text files and a JSONL file of many batches, each with safe fixes to apply (the
    P and U rules: what each file becomes does not depend on the others)."""
    for i in range(TEXT_FILES):
        write(folder / f"t{i:03d}.txt", DEFECTIVE.replace("NATO", f"NATO {i}") * 20)
    records = (json.dumps({"id": i, "text": DEFECTIVE * 3}) for i in range(RECORDS))
    write(folder / "c.jsonl", "".join(record + "\n" for record in records))


def _temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".textmend.tmp")]


@pytest.mark.parametrize(
    "when",
    ["while the JSONL file is being written", "after the first text file", "halfway"],
)
def test_a_fix_killed_midway_leaves_each_file_as_it_was_or_fully_fixed(
    when: str, tmp_path: Path
) -> None:
    original, expected, folder = tmp_path / "original", tmp_path / "fixed", tmp_path / "corpus"
    _killable_corpus(original)
    shutil.copytree(original, expected)
    subprocess.run([*FIX, "--no-cache", str(expected)], check=False, capture_output=True)
    before, after = snapshot(original), snapshot(expected)
    assert all(before[name] != after[name] for name in before)
    shutil.copytree(original, folder)

    def reached() -> bool:
        if when == "while the JSONL file is being written":
            return bool(_temporaries(folder))
        done = sum((folder / name).read_bytes() == after[name] for name in after)
        return done >= (1 if when == "after the first text file" else TEXT_FILES // 2)

    process = subprocess.Popen([*FIX, "--no-cache", str(folder)], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not reached() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    now = snapshot(folder)
    assert set(now) - set(before) == {p.name for p in _temporaries(folder)}
    assert len(_temporaries(folder)) <= 1  # only the file being written when it was killed
    fixed = [name for name in before if now[name] == after[name]]
    untouched = [name for name in before if now[name] == before[name]]
    assert sorted(fixed + untouched) == sorted(before)  # nothing half-written
    if when != "while the JSONL file is being written":
        assert fixed and untouched
    # a leftover temporary file is no input: a second run finishes the work
    rerun = subprocess.run([*FIX, str(folder)], capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert {name: (folder / name).read_bytes() for name in after} == after


def test_two_fix_runs_at_once_corrupt_nothing(tmp_path: Path) -> None:
    original, expected, folder = tmp_path / "original", tmp_path / "fixed", tmp_path / "corpus"
    _killable_corpus(original)
    shutil.copytree(original, expected)
    subprocess.run([*FIX, "--no-cache", str(expected)], check=False, capture_output=True)
    after = snapshot(expected)
    for cache in ("--no-cache", f"--cache-dir={tmp_path / 'cache'}"):
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(original, folder)
        runs = [
            subprocess.Popen(
                [*FIX, cache, str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            for _ in range(2)
        ]
        for process in runs:
            _, err = process.communicate()
            assert process.returncode in (0, 2)
            for line in err.decode().splitlines():  # a run may find a file changed under it
                assert line.endswith(
                    (
                        "changed while textmend was fixing it; left as it is",
                        "not written, because of the problems above",
                    )
                ), line
        assert snapshot(folder) == after


# --- hostile configuration and file names -------------------------------------------


@pytest.mark.parametrize("name", ["absolute", "parent", "link"])
def test_a_configuration_cannot_read_outside_its_folder(
    name: str, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = write(tmp_path / "secret.txt", "hunter2\n")
    project = tmp_path / "project"
    write(project / "a.txt", "The password is hunter2.\n")
    (project / "vocab").mkdir()
    (project / "vocab" / "link.txt").symlink_to(secret)
    named = {"absolute": str(secret), "parent": "../secret.txt", "link": "vocab/link.txt"}[name]
    write(project / "textmend.toml", f"reject-vocabulary = [{json.dumps(named)}]\n")
    monkeypatch.chdir(project)
    result = run("check", "a.txt")
    assert result.status == 2
    assert f"is outside the configuration's folder ({project})" in result.err
    assert "hunter2" not in result.out + result.err


def test_a_configuration_cannot_make_textmend_run_code(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A configuration is TOML (data only): no key names a module, a class or a file of
    code, and the one option that picks an implementation (the language detector) picks
    from a fixed list. Nor can it point the cache, whose entries are pickles, elsewhere."""
    marker = tmp_path / "ran"
    write(tmp_path / "evil.py", f"open({str(marker)!r}, 'w').close()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    write(tmp_path / "a.txt", CLEAN)
    for config in (
        '[language]\ndetector = "evil"\n',
        "[language]\ndetector = \"__import__('evil')\"\n",
        'cache-dir = "/tmp/elsewhere"\n',
        'plugins = ["evil"]\n',
    ):
        write(tmp_path / "textmend.toml", config)
        result = run("check", "a.txt")
        assert result.status == 2, config
        assert "textmend.toml" in result.err or "unknown detector" in result.err
        assert not marker.exists()
        assert "evil" not in sys.modules


def test_fix_output_never_writes_outside_its_folder(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside, work = tmp_path / "outside", tmp_path / "work"
    write(outside / "a.txt", DEFECTIVE)
    write(work / "in" / "b.txt", DEFECTIVE)
    records = [{"id": i, "text": DEFECTIVE} for i in ("../../evil", "/tmp/evil", "..", "")]
    write(work / "in" / "c.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    write(work / "link" / "d.txt", DEFECTIVE)
    (work / "out").mkdir()
    (work / "out" / "link").symlink_to(outside)  # a link in DIR that leads out of it
    monkeypatch.chdir(work)
    before = snapshot(tmp_path)
    result = run(
        "fix", "--output", "out", "../outside/a.txt", "in/../in/b.txt",
        str(work / "in" / "c.jsonl"), "link",
    )  # fmt: skip
    assert result.status == 2
    assert "link/d.txt: not written: out/link leads outside out (a symbolic link)" in result.err
    now = snapshot(tmp_path)
    written = {name for name in now if name not in before or now[name] != before[name]}
    assert {name for name in before if name not in now} == set()
    out = os.path.realpath(work / "out")
    assert all(os.path.realpath(tmp_path / name).startswith(out + os.sep) for name in written)
    assert {name.split("/")[-1] for name in written} == {"a.txt", "b.txt", "c.jsonl"}
    assert now["work/out/in/b.txt"] == SAFE_FIXED.encode()
    assert not list(tmp_path.rglob("evil")) and not os.path.exists("/tmp/evil")


class Backtracks(_Bad):
    """A rule whose pattern takes exponential time on a line of a's that ends in b."""

    code = "U198"
    fix_availability = FixAvailability.NONE
    word = "aaaa"

    def check(self, doc: Document) -> Iterator[Finding]:
        import re

        for match in re.finditer(r"(a+)+$", doc.text):
            yield self.finding(match.start(), match.end(), "a's")


def test_a_document_that_takes_too_long_is_stopped_and_the_rule_named(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last line of defence against a rule that is not linear on some text: each
    document has a time limit (generous: a minute and a second per 20,000 characters)."""
    from textmend import runner

    monkeypatch.setitem(REGISTRY, Backtracks.code, Backtracks)
    monkeypatch.setattr(runner, "LIMIT_SECONDS", 1.0)
    slow = write(tmp_path / "slow.txt", "a" * 40 + "b  \n")
    good = write(tmp_path / "good.txt", DEFECTIVE)
    started = time.monotonic()
    result = run("fix", "--select", "U198,P,U104", "--no-cache", "--jobs", "1", ".")
    assert time.monotonic() - started < 30
    assert result.status == 2
    assert "slow.txt: internal error in rule U198: TooSlow: took more than 1 s" in result.err
    assert slow.read_text(encoding="utf-8") == "a" * 40 + "b  \n"
    assert good.read_text(encoding="utf-8") == SAFE_FIXED
