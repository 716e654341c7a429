"""The cache (`.textmend_cache/`): a run on files that have not changed skips them, and
reports exactly what a run without the cache reports, whatever changed in between."""

from __future__ import annotations

import io
import json
import mmap
import os
import pickle
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from conftest import SEEDS, Result

import textmend.cache
import textmend.cli
from textmend.cache import CachedBackend, Store
from textmend.document import Document
from textmend.engine import RuleFailure
from textmend.rule import CorpusRule
from textmend.rules.duplication import DuplicateDocument
from textmend.runner import Item, LocalBackend, Outcome, Stats, Task
from textmend.sources import InputProblem, TextSource

Run = Callable[..., Result]
RECORDS = 150  # three batches of a JSONL file: lines 1-64, 65-128, 129-150


class Recorded(LocalBackend):
    """The local backend, noting the documents it is given in each phase."""

    collected: ClassVar[list[list[str]]] = []
    examined: ClassVar[list[list[str]]] = []

    def collect(self, batches: Iterable[list[Item]]) -> Iterator[Stats | RuleFailure]:
        return super().collect(self._note(batches, Recorded.collected))

    def examine(
        self, batches: Iterable[list[Item]], stats: Stats, task: Task
    ) -> Iterator[list[Outcome | InputProblem]]:
        return super().examine(self._note(batches, Recorded.examined), stats, task)

    @staticmethod
    def _note(batches: Iterable[list[Item]], into: list[list[str]]) -> Iterator[list[Item]]:
        for batch in batches:
            if batch:  # not the empty batches that only pass the turn
                into.append([_label(item) for item in batch])
            yield batch


def _label(item: Item) -> str:
    return item.label if isinstance(item, Document) else str(item)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> type[Recorded]:
    monkeypatch.setattr(textmend.cli, "LocalBackend", Recorded)
    Recorded.collected, Recorded.examined = [], []
    return Recorded


@pytest.fixture
def caches(monkeypatch: pytest.MonkeyPatch) -> list[CachedBackend]:
    """The cached backends of the runs, to read their counts."""
    made: list[CachedBackend] = []

    class Noted(CachedBackend):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            made.append(self)

    monkeypatch.setattr(textmend.cli, "CachedBackend", Noted)
    return made


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Generated news with defects of several families, some documents with findings
    of the corpus rules (a name spelled two ways, exact copies), the seeds, and a JSONL
    file of three batches."""
    monkeypatch.syspath_prepend(str(SEEDS.parent / "bench"))
    from newsgen import KINDS, document, inject

    rng = random.Random(5)
    folder = tmp_path / "corpus"
    folder.mkdir()
    texts = [inject(document(rng), rng, rng.sample(KINDS, 2))[0] for _ in range(40 + RECORDS)]
    texts[3] = texts[3].replace("Zelensky", "Zelenskyy")  # a variant for N101
    texts[30] = texts[10]  # an exact copy for D103
    for i, text in enumerate(texts[:40]):
        (folder / f"n{i:02d}.txt").write_text(text, encoding="utf-8")
    write_jsonl(folder / "records.jsonl", texts[40:])
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    return folder


def write_jsonl(path: Path, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for i, text in enumerate(texts):
            handle.write(json.dumps({"id": f"r{i}", "text": text}) + "\n")


def check(run: Run, corpus: Path, *more: str) -> Result:
    return run("check", str(corpus), "--format", "json", "--jobs", "1", *more)


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.parent != folder)


def test_a_warm_run_reports_what_a_cold_run_and_no_cache_report(
    run: Run, corpus: Path, tmp_path: Path, recorded: type[Recorded], caches: list[CachedBackend]
) -> None:
    cold = check(run, corpus)
    assert len(recorded.collected) == len(recorded.examined) == 40 + 3 + 5
    recorded.collected.clear()
    recorded.examined.clear()
    warm = check(run, corpus)
    # the warm run read everything from the cache: the backend had nothing to do
    assert recorded.collected == recorded.examined == []
    assert caches[1].counts == {
        "stats hit": 48,
        "stats segment": 1,
        "check hit": 48,
        "check segment": 1,
    }
    plain = check(run, corpus, "--no-cache")
    assert cold.status == warm.status == plain.status == 1
    assert cold.out == warm.out == plain.out
    assert cold.err == warm.err == plain.err == ""
    codes = {finding["code"] for finding in cold.json()}
    assert {"N101", "D103", "D101", "P101"} <= codes  # corpus and document rules
    folder = tmp_path / ".textmend_cache"
    assert (folder / ".gitignore").read_text() == "*\n"
    assert (
        (folder / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )


def test_a_changed_file_is_read_again_and_the_others_come_from_the_cache(
    run: Run, corpus: Path, recorded: type[Recorded], caches: list[CachedBackend]
) -> None:
    check(run, corpus)
    recorded.collected.clear()
    recorded.examined.clear()
    # n00 becomes a copy of n05: n05 does not change, but is now reported by D103
    (corpus / "n00.txt").write_text((corpus / "n05.txt").read_text("utf-8"), "utf-8")
    warm = check(run, corpus)
    changed = [str(corpus / "n00.txt")]
    assert recorded.collected == recorded.examined == [changed]
    plain = check(run, corpus, "--no-cache")
    assert (warm.status, warm.out, warm.err) == (plain.status, plain.out, plain.err)
    copies = [f for f in warm.json() if f["code"] == "D103"]
    assert str(corpus / "n05.txt") in {f["filename"] for f in copies}
    # D103's statistics changed: it ran again on every other batch, here
    assert caches[1].counts == {
        "stats hit": 47,
        "stats miss": 1,
        "check partial": 47,
        "check miss": 1,
    }


def test_a_changed_record_reads_only_its_batch_again(
    run: Run, corpus: Path, recorded: type[Recorded]
) -> None:
    path = corpus / "records.jsonl"
    check(run, corpus)
    recorded.collected.clear()
    recorded.examined.clear()
    lines = path.read_text("utf-8").splitlines(keepends=True)
    record = json.loads(lines[99])
    record["text"] += " The talks went on in Kyiv and in Brussels."
    lines[99] = json.dumps(record) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    warm = check(run, corpus)
    second = [f"{path}[{line}:r{line - 1}]" for line in range(65, 129)]
    assert recorded.collected == recorded.examined == [second]
    plain = check(run, corpus, "--no-cache")
    assert (warm.status, warm.out) == (plain.status, plain.out)


def read_pack(path: Path) -> list[tuple[str, bytes]]:
    """The entries of a pack, by name, in order."""
    data = path.read_bytes()
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
        index, _ = textmend.cache._pack_index(m)
    return [(name, data[start : start + size]) for name, (start, size) in index.items()]


def write_pack(path: Path, records: list[tuple[str, bytes]]) -> None:
    path.write_bytes(
        b"".join(
            textmend.cache._RECORD.pack(len(name.encode()), len(data)) + name.encode() + data
            for name, data in records
        )
    )


def mangle(i: int, data: bytes, others: list[bytes]) -> bytes:
    """Torn, not a pickle, or a whole entry of another batch, in turn."""
    if i % 3 == 0:
        return data[: len(data) // 2]
    if i % 3 == 1:
        return b"not a pickle"
    return others[(i + 1) % len(others)]


def test_entries_that_cannot_be_used_are_computed_again(
    run: Run, corpus: Path, tmp_path: Path, recorded: type[Recorded]
) -> None:
    cold = check(run, corpus)
    folder = tmp_path / ".textmend_cache"
    files = entries(folder)
    (pack,) = [path for path in files if path.suffix == ".pack"]
    records = read_pack(pack)
    # a statistics entry and a findings entry a batch, and the same of the one segment
    assert len(records) == 2 * 48 + 2
    others = [data for _, data in records]
    write_pack(pack, [(name, mangle(i, data, others)) for i, (name, data) in enumerate(records)])
    files.remove(pack)
    assert files  # the findings of the rules without `dependency`, a file each
    contents = [path.read_bytes() for path in files]
    for i, path in enumerate(files):
        path.write_bytes(mangle(i, contents[i], contents))
    recorded.collected.clear()
    warm = check(run, corpus)
    assert (warm.status, warm.out, warm.err) == (cold.status, cold.out, cold.err)
    assert len(recorded.collected) == 48  # nothing came from the cache
    recorded.collected.clear()
    assert check(run, corpus).out == cold.out
    assert recorded.collected == []  # the entries were written again


def test_entries_signed_with_another_key_are_never_used(
    run: Run,
    corpus: Path,
    tmp_path: Path,
    recorded: type[Recorded],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A cache written by another user (or committed to the repository) is read as no
    cache: its entries are not unpickled, whatever they hold."""
    cold = check(run, corpus)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    textmend.cache._user_key.cache_clear()
    try:
        recorded.collected.clear()
        warm = check(run, corpus)
        assert (warm.status, warm.out, warm.err) == (cold.status, cold.out, cold.err)
        assert len(recorded.collected) == 48  # nothing came from the other key's entries
        assert (tmp_path / "another-user" / "textmend" / "cache-key").stat().st_mode & 0o077 == 0
    finally:
        monkeypatch.undo()
        textmend.cache._user_key.cache_clear()


class _Forged:
    ran: ClassVar[list[str]] = []

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Forged.ran.append, ("unpickled",))


def test_a_forged_entry_is_neither_unpickled_nor_believed(tmp_path: Path) -> None:
    """An entry with the right name and a payload of the forger's choosing (no findings,
    or code that runs when unpickled), but without this user's signature."""

    store = Store(tmp_path / "cache")
    path = os.path.join(store.root, "corpus", "B108", "03.findings")
    store.save(path, {"B108": [1, 2]})
    genuine = Path(path).read_bytes()
    signature = genuine[: textmend.cache.SIGNATURE]
    for payload in (
        pickle.dumps((store._name(path), {})),  # the findings hidden
        pickle.dumps((store._name(path), _Forged())),  # code run when unpickled
    ):
        for forged in (payload, b"\0" * textmend.cache.SIGNATURE + payload, signature + payload):
            Path(path).write_bytes(forged)
            assert store.load(path) is None
    assert _Forged.ran == []
    Path(path).write_bytes(genuine)
    assert store.load(path) == {"B108": [1, 2]}


def test_no_cache_writes_nothing(run: Run, corpus: Path, tmp_path: Path) -> None:
    check(run, corpus, "--no-cache")
    run("fix", str(corpus), "--no-cache", "--cache-dir", str(tmp_path / "elsewhere"))
    assert not (tmp_path / ".textmend_cache").exists()
    assert not (tmp_path / "elsewhere").exists()


def test_cache_dir_puts_the_cache_elsewhere(
    run: Run, corpus: Path, tmp_path: Path, recorded: type[Recorded]
) -> None:
    cold = check(run, corpus, "--cache-dir", "elsewhere/cache")
    assert not (tmp_path / ".textmend_cache").exists()
    assert entries(tmp_path / "elsewhere" / "cache")
    assert (tmp_path / "elsewhere" / "cache" / ".gitignore").read_text() == "*\n"
    recorded.collected.clear()
    assert check(run, corpus, "--cache-dir", "elsewhere/cache").out == cold.out
    assert recorded.collected == []


def test_standard_input_is_never_cached(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Stdin:
        buffer = io.BytesIO(b"Zelensky met the the ministers.\n")

    monkeypatch.setattr(sys, "stdin", Stdin)
    result = run("check", "-", "--format", "json")
    assert [f["code"] for f in result.json()] == ["D101"]
    assert not (tmp_path / ".textmend_cache").exists()


def test_settings_and_versions_make_other_entries(
    run: Run, corpus: Path, recorded: type[Recorded], monkeypatch: pytest.MonkeyPatch
) -> None:
    check(run, corpus)
    recorded.collected.clear()
    ignoring = check(run, corpus, "--ignore", "D103")
    assert ignoring.out == check(run, corpus, "--ignore", "D103", "--no-cache").out
    assert len(recorded.collected) == 48 * 2  # other settings: nothing cached yet
    recorded.collected.clear()
    monkeypatch.setattr(textmend.cache, "__version__", "99.0")
    check(run, corpus)
    assert len(recorded.collected) == 48  # another version


def fix_both(run: Run, corpus: Path, copy: Path, *options: str) -> tuple[Result, Result]:
    """`fix` on the corpus with its cache, and on its copy without."""
    cached = run("fix", str(corpus), "--format", "json", "--jobs", "1", *options)
    plain = run("fix", str(copy), "--format", "json", "--jobs", "1", "--no-cache", *options)
    return cached, plain


def same_files(first: Path, second: Path) -> None:
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.parametrize("options", [(), ("--unsafe-fixes",), ("--diff",)])
def test_fix_on_a_warm_cache_does_what_fix_does_without_it(
    run: Run,
    corpus: Path,
    tmp_path: Path,
    caches: list[CachedBackend],
    options: tuple[str, ...],
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    before = {path.name: path.read_bytes() for path in corpus.iterdir()}
    check(run, corpus)  # the cache is warm
    for again in (False, True):  # then again: the fixed files new, the others cached
        cached, plain = fix_both(run, corpus, copy, *options)
        if not again:  # the batches with something to fix fixed, the others cached
            assert {"check fix", "check hit"} <= caches[-1].counts.keys()
        assert cached.status == plain.status
        assert cached.out.replace(str(corpus), "X") == plain.out.replace(str(copy), "X")
        assert cached.err.replace(str(corpus), "X") == plain.err.replace(str(copy), "X")
        same_files(corpus, copy)
    after = {path.name: path.read_bytes() for path in corpus.iterdir()}
    assert (after == before) == ("--diff" in options)


def test_a_fix_run_skips_what_has_nothing_to_fix(
    run: Run, corpus: Path, tmp_path: Path, recorded: type[Recorded], caches: list[CachedBackend]
) -> None:
    for _ in range(2):  # the safe fixes applied; the fixed files cached the second time
        run("fix", str(corpus), "--jobs", "1")
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    recorded.examined.clear()
    cached = run("fix", str(corpus), "--format", "json", "--jobs", "1")
    # what is left has no safe fix: nothing to examine again
    assert caches[-1].counts == {
        "stats hit": 48,
        "stats segment": 1,
        "check hit": 48,
        "check segment": 1,
    }
    assert recorded.examined == []
    plain = run("fix", str(copy), "--format", "json", "--jobs", "1", "--no-cache")
    assert cached.out.replace(str(corpus), "X") == plain.out.replace(str(copy), "X")
    assert cached.status == plain.status == 1
    same_files(corpus, copy)


def test_a_rule_that_says_what_it_depends_on_runs_again_only_where_that_changed(
    run: Run,
    corpus: Path,
    monkeypatch: pytest.MonkeyPatch,
    caches: list[CachedBackend],
) -> None:
    def dependency(self: DuplicateDocument, shard: Any, stats: Any) -> Any:
        return sorted((digest, stats.texts[digest]) for digest in shard.texts)

    monkeypatch.setattr(DuplicateDocument, "dependency", dependency)
    assert CorpusRule.dependency is not DuplicateDocument.dependency
    only = ("--select", "D101,D103")  # D103 the only corpus rule
    check(run, corpus, *only)
    (corpus / "n00.txt").write_text((corpus / "n05.txt").read_text("utf-8"), "utf-8")
    warm = check(run, corpus, *only)
    plain = check(run, corpus, *only, "--no-cache")
    assert (warm.status, warm.out) == (plain.status, plain.out)
    assert str(corpus / "n05.txt") in {f["filename"] for f in warm.json() if f["code"] == "D103"}
    # D103 ran again on n05 only, whose copy n00 is now
    assert caches[1].counts == {
        "stats hit": 47,
        "stats miss": 1,
        "check hit": 46,
        "check partial": 1,
        "check miss": 1,
    }
    assert check(run, corpus, *only).out == plain.out
    assert caches[-1].counts == {
        "stats hit": 48,
        "stats segment": 1,
        "check hit": 48,
        "check segment": 1,
    }


def test_the_store_ignores_what_it_did_not_write(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache")
    first, second = (os.path.join(store.root, "corpus", "B108", f"{i}.findings") for i in (1, 2))
    store.save(first, {"B108": [1, 2]})
    assert store.load(first) == {"B108": [1, 2]}
    assert store.load(second) is None
    os.makedirs(os.path.dirname(second), exist_ok=True)
    shutil.copy(first, second)  # an entry under another name is not that entry
    assert store.load(second) is None
    leftovers = [p for p in (tmp_path / "cache").rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_two_runs_at_once_share_the_cache(corpus: Path, tmp_path: Path) -> None:
    """Entries are written whole (a temporary file, renamed): runs at the same time
    read each other's entries, or none, never half of one."""
    command = [sys.executable, "-m", "textmend", "check", str(corpus), "--format", "json"]
    command += ["--cache-dir", str(tmp_path / "shared"), "--jobs", "1"]
    for _ in range(2):
        runs = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        outputs = [process.communicate() for process in runs]
        plain = subprocess.run([*command, "--no-cache"], capture_output=True, check=False)
        assert [out for out, _ in outputs] == [plain.stdout, plain.stdout]
        assert [err for _, err in outputs] == [b"", b""]
    assert not [p for p in (tmp_path / "shared").rglob("*") if p.name.endswith(".tmp")]


# --- the pack of a run --------------------------------------------------------


def packs(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / ".textmend_cache").rglob("*.pack"))


def test_a_run_reads_one_pack_and_appends_the_entries_it_makes(
    run: Run, corpus: Path, tmp_path: Path, recorded: type[Recorded]
) -> None:
    check(run, corpus)
    (pack,) = packs(tmp_path)
    assert len(read_pack(pack)) == 2 * 48 + 2
    others = [p for p in (tmp_path / ".textmend_cache").rglob("*") if p.is_file()]
    assert not [p for p in others if p.suffix in (".stats", ".check", ".tmp")]
    before = pack.read_bytes()
    inode = pack.stat().st_ino
    changed = corpus / "n00.txt"
    changed.write_text(changed.read_text("utf-8") + " The talks went on.", "utf-8")
    recorded.collected.clear()
    warm = check(run, corpus)
    assert recorded.collected == [[str(changed)]]
    assert packs(tmp_path) == [pack]
    # the two entries of the changed file and of its segment appended to the same
    # file, the others left in place
    after = pack.stat()
    assert after.st_ino == inode and pack.read_bytes()[: len(before)] == before
    assert len(read_pack(pack)) == 2 * 48 + 2 + 4
    # the next run finds every entry and has nothing to add
    recorded.collected.clear()
    assert check(run, corpus).out == warm.out
    assert recorded.collected == []
    assert pack.stat().st_size == after.st_size


def test_a_pack_mostly_of_entries_no_longer_used_is_compacted(tmp_path: Path) -> None:
    def run(read: list[str], make: dict[str, bytes]) -> Path:
        store = Store(tmp_path / "cache")
        store.open(b"\x07" * 20)
        for name in read:
            assert store.get(name) == name.encode() * 1000
        for name, value in make.items():
            store.put(name, value)
        store.close()
        (pack,) = (tmp_path / "cache").rglob("*.pack")
        return pack

    pack = run([], {name: name.encode() * 1000 for name in ("a", "b", "c")})
    first = pack.stat()
    # `a` read and `d` made: half the pack or more still used, `d` appended
    pack = run(["a"], {"d": b"d" * 1000, "e": b"e" * 1000})
    assert pack.stat().st_ino == first.st_ino
    assert [name for name, _ in read_pack(pack)] == ["a", "b", "c", "d", "e"]
    # `e` alone read: a fifth of the pack used, which is written anew with it only
    pack = run(["e"], {})
    assert pack.stat().st_ino != first.st_ino
    assert [name for name, _ in read_pack(pack)] == ["e"]
    assert run(["e"], {}) == pack


def test_other_inputs_have_their_own_pack(
    run: Run, corpus: Path, tmp_path: Path, recorded: type[Recorded]
) -> None:
    one = str(corpus / "n00.txt")
    check(run, corpus)
    recorded.collected.clear()
    check(run, one)
    # new inputs read the pack written last: a file of the last run is not read again
    assert recorded.collected == []
    assert len(packs(tmp_path)) == 2
    recorded.collected.clear()
    check(run, corpus)
    check(run, one)
    assert recorded.collected == []


def test_a_torn_pack_gives_the_entries_before_the_tear(
    run: Run, corpus: Path, tmp_path: Path, recorded: type[Recorded], caches: list[CachedBackend]
) -> None:
    cold = check(run, corpus)
    (pack,) = packs(tmp_path)
    records = read_pack(pack)
    data = pack.read_bytes()
    cut = data.index(records[40][1]) + 10  # inside the 41st entry
    pack.write_bytes(data[:cut])
    recorded.collected.clear()
    warm = check(run, corpus)
    assert (warm.status, warm.out, warm.err) == (cold.status, cold.out, cold.err)
    kinds = [name.rsplit(".", 1)[1] for name, _ in records[:40]]
    hits = caches[-1].counts
    assert (hits["stats hit"], hits["check hit"]) == (kinds.count("stats"), kinds.count("check"))
    assert len(recorded.collected) == 48 - kinds.count("stats")
    # the torn pack was written anew, whole: the next run finds every entry
    recorded.collected.clear()
    assert check(run, corpus).out == cold.out
    assert recorded.collected == []


def test_a_forged_entry_in_a_pack_is_neither_unpickled_nor_believed(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache")
    store.open(b"\x07" * 20)
    store.put("01.stats", {"B108": [1, 2]})
    store.close()
    (pack,) = (tmp_path / "cache").rglob("*.pack")
    genuine = read_pack(pack)
    signature = genuine[0][1][: textmend.cache.SIGNATURE]
    for payload in (
        pickle.dumps(("01.stats", {})),  # the findings hidden
        pickle.dumps(("01.stats", _Forged())),  # code run when unpickled
    ):
        for forged in (payload, b"\0" * textmend.cache.SIGNATURE + payload, signature + payload):
            write_pack(pack, [("01.stats", forged)])
            store.open(b"\x07" * 20)
            assert store.get("01.stats") is None
            store.close()
    assert _Forged.ran == []
    write_pack(pack, genuine)
    store.open(b"\x07" * 20)
    assert store.get("01.stats") == {"B108": [1, 2]}
    assert store.get("02.stats") is None
    store.close()


# --- the corpus read once for both phases -------------------------------------------


def test_a_small_corpus_is_read_once_for_both_phases(
    run: Run, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    documents = TextSource.documents

    def counted(self: TextSource) -> Iterator[Document | InputProblem]:
        reads.append(self.path)
        return documents(self)

    monkeypatch.setattr(TextSource, "documents", counted)
    once = check(run, corpus, "--no-cache")
    assert sorted(reads) == sorted(str(p) for p in corpus.glob("*.txt"))
    reads.clear()
    monkeypatch.setattr(textmend.cli, "KEEP_CHARACTERS", 1000)  # too much to keep
    twice = check(run, corpus, "--no-cache")
    assert sorted(reads) == sorted(2 * [str(p) for p in corpus.glob("*.txt")])
    assert (once.status, once.out, once.err) == (twice.status, twice.out, twice.err)


def test_lower_cased_names_are_checked_again_only_when_a_verdict_changed(
    run: Run, corpus: Path, caches: list[CachedBackend]
) -> None:
    # N102 depends on the words it capitalises, not on the counts behind them: an edit
    # that changes no verdict reuses every other file's findings, one that changes a
    # verdict checks every file again; both report what a run without the cache reports
    only = ("--select", "N102")
    (corpus / "n01.txt").write_text("Zorblatt met Zorblatt. Zorblatt and Zorblatt.", "utf-8")
    (corpus / "n02.txt").write_text("The office of zorblatt said nothing.", "utf-8")
    cold = check(run, corpus, *only)
    assert str(corpus / "n02.txt") in {f["filename"] for f in cold.json()}
    edited = corpus / "n00.txt"
    edited.write_text(edited.read_text("utf-8") + " The talks will continue next week.", "utf-8")
    warm = check(run, corpus, *only)
    assert (warm.status, warm.out) == (cold.status, cold.out)
    assert caches[1].counts == {"stats hit": 47, "stats miss": 1, "check hit": 47, "check miss": 1}
    # written in lower case four times now, against four times capitalised: no name
    (corpus / "n03.txt").write_text("zorblatt, zorblatt and zorblatt went home.", "utf-8")
    warm = check(run, corpus, *only)
    plain = check(run, corpus, *only, "--no-cache")
    assert (warm.status, warm.out) == (plain.status, plain.out)
    assert str(corpus / "n02.txt") not in {f["filename"] for f in warm.json()}
    assert caches[2].counts.get("check hit", 0) == 0


def test_each_text_is_digested_once_a_run(
    run: Run, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the cache knows a batch by its documents' digests; phase two checks fresh copies
    # of what phase one read, which keep the digests phase one took (a text that is
    # read again, too large to keep, is digested again)
    import textmend.document

    digested: list[str] = []
    digest = textmend.document._text_digest

    def counted(doc: Document) -> bytes:
        digested.append(doc.label)
        return digest(doc)

    monkeypatch.setattr(textmend.document, "_text_digest", counted)
    documents = 40 + len(list(SEEDS.glob("*.txt"))) + RECORDS
    cold = check(run, corpus)
    assert len(digested) == len(set(digested)) == documents
    digested.clear()
    warm = check(run, corpus)
    assert len(digested) == len(set(digested)) == documents
    digested.clear()
    monkeypatch.setattr(textmend.cli, "KEEP_CHARACTERS", 1000)  # too much to keep
    again = check(run, corpus)
    assert len(digested) == 2 * len(set(digested)) == 2 * documents
    plain = check(run, corpus, "--no-cache")
    assert cold.out == warm.out == again.out == plain.out and plain.out.count('"code"') > 20


def test_a_fresh_copy_keeps_the_digest_only() -> None:
    doc = Document("One line.\nAnother line.", "a.txt")
    assert doc.lines and doc.digest and doc.fresh().computed("lines") is None
    assert doc.fresh().computed("digest") == doc.digest
    assert Document(doc.text + " ", "a.txt").digest != doc.digest
    assert Document("x", "a.txt").fresh().computed("digest") is None


def test_digests_tell_plain_values_apart_and_are_the_same_in_every_process() -> None:
    # what the corpus rules' checks depend on is known by its digest: values that
    # differ (in kind too) must differ, equal ones agree, in another process as well
    from textmend.cache import digest

    values: list[Any] = [
        [(b"k1", 3), (b"k2", 1)],
        [(b"k1", 3), (b"k2", 2)],
        [(b"k1", 3), (b"k2", True)],
        [(b"k1", 3), (b"k2", 1.0)],
        [[b"k1", 3], (b"k2", 1)],
        ((b"k1", 3), (b"k2", 1)),
        [(b"d", (2, "a.txt"))],
        [(b"d", (2, b"a.txt"))],
        [(b"d", (2, "a.txt", None))],
        [("k1", 3), ("k2", 1)],
        [],
        (),
        [[]],
        [{"b", "a"}],
        [{"b", "c"}],
        ("list", ("set", "a", "b")),  # (plain data that reads as the line above does)
        {"a": [(1, 2)], "b": {"x", "y"}},
        "text",
        b"text",
    ]
    digests = [digest(value) for value in values]
    assert None not in digests and len(set(digests)) == len(values)
    assert [digest(eval(repr(value))) for value in values] == digests  # equal values
    script = (
        "import sys\nfrom textmend.cache import digest\n"
        f"print(repr([digest(value) for value in {values!r}]))\n"
    )
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.stdout.strip() == repr(digests), done.stderr
    assert digest([(1, object())]) is None


def test_a_warm_run_with_one_change_starts_no_workers(
    run: Run, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the one batch to examine again is examined in this process (the first batch
    # always is), with the cache passing the turn often: no pool of workers starts
    pools: list[int] = []
    start = LocalBackend._pool

    def counted(self: LocalBackend, stats: Stats) -> Any:
        pools.append(self.jobs)
        return start(self, stats)

    monkeypatch.setattr(LocalBackend, "_pool", counted)
    monkeypatch.setattr(textmend.cache, "IDLE_AFTER", 4)  # many turns passed
    cold = run("check", str(corpus), "--format", "json", "--jobs", "2")
    assert pools == [2, 2]  # one pool a phase
    pools.clear()
    changed = corpus / "n05.txt"
    text = changed.read_text(encoding="utf-8") + "\nThe talks talks went on.\n"  # D101
    changed.write_text(text, encoding="utf-8")
    warm = run("check", str(corpus), "--format", "json", "--jobs", "2")
    assert pools == []
    plain = run("check", str(corpus), "--format", "json", "--jobs", "1", "--no-cache")
    assert warm.out == plain.out and warm.out != cold.out


# --- segments ---------------------------------------------------------------------


@pytest.fixture
def segments_of_eight(monkeypatch: pytest.MonkeyPatch) -> None:
    """Segments of eight batches: the 48 batches of `corpus` make six."""
    monkeypatch.setattr(textmend.cache, "SEGMENT_BATCHES", 8)


@pytest.mark.usefixtures("segments_of_eight")
def test_a_changed_file_reads_its_segment_batch_by_batch_and_the_others_whole(
    run: Run, corpus: Path, recorded: type[Recorded], caches: list[CachedBackend]
) -> None:
    cold = check(run, corpus)
    unchanged = check(run, corpus)
    assert unchanged.out == cold.out
    assert caches[1].counts == {
        "stats hit": 48,
        "stats segment": 6,
        "check hit": 48,
        "check segment": 6,
    }
    edited = corpus / "n00.txt"
    edited.write_text(edited.read_text("utf-8") + " The talks will continue next week.", "utf-8")
    recorded.collected.clear()
    warm = check(run, corpus)
    assert recorded.collected == [[str(edited)]]
    plain = check(run, corpus, "--no-cache")
    assert (warm.status, warm.out, warm.err) == (plain.status, plain.out, plain.err)
    # the five other segments whole; the edited file's batch by batch
    assert caches[2].counts == {
        "stats hit": 47,
        "stats segment": 5,
        "stats miss": 1,
        "check hit": 47,
        "check segment": 5,
        "check miss": 1,
    }


@pytest.mark.usefixtures("segments_of_eight")
def test_a_segment_whose_documents_read_other_statistics_is_checked_batch_by_batch(
    run: Run, corpus: Path, caches: list[CachedBackend]
) -> None:
    # n00 becomes a copy of n05, in another segment: that segment's documents are the
    # same, but D103's findings in it are not
    only = ("--select", "D103")
    check(run, corpus, *only)
    (corpus / "n00.txt").write_text((corpus / "n05.txt").read_text("utf-8"), "utf-8")
    warm = check(run, corpus, *only)
    plain = check(run, corpus, *only, "--no-cache")
    assert (warm.status, warm.out) == (plain.status, plain.out)
    assert str(corpus / "n05.txt") in {f["filename"] for f in warm.json()}
    # the first segment (the seeds, n00 to n02) holds the changed file, the second (n03
    # to n10) n05: the four others whole, those two batch by batch
    assert caches[1].counts == {
        "stats hit": 47,
        "stats segment": 5,
        "stats miss": 1,
        "check hit": 46,
        "check segment": 4,
        "check partial": 1,
        "check miss": 1,
    }


@pytest.mark.usefixtures("segments_of_eight")
def test_the_batches_of_a_segment_taken_whole_stay_in_the_cache(
    run: Run,
    corpus: Path,
    tmp_path: Path,
    recorded: type[Recorded],
    caches: list[CachedBackend],
) -> None:
    # a run over other inputs writes a pack of its own with the entries it used: those
    # of the batches of the segments it took whole too, so that a later change to one
    # file reads only that file again
    check(run, corpus)
    files = [str(path) for path in sorted(corpus.iterdir())]
    by_file = ("check", *files, "--format", "json", "--jobs", "1")
    run(*by_file)  # the same files, named one by one: other inputs
    assert caches[1].counts["stats segment"] == 6
    assert len(packs(tmp_path)) == 2
    edited = corpus / "n00.txt"
    edited.write_text(edited.read_text("utf-8") + " The talks will continue next week.", "utf-8")
    recorded.collected.clear()
    run(*by_file)
    assert recorded.collected == [[str(edited)]]
    assert caches[2].counts["stats hit"] == 47


def test_a_segment_ends_at_its_size_in_batches_or_characters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(textmend.cache, "SEGMENT_CHARACTERS", 10)
    batches: list[list[Item]] = [
        [Document("1234", "a")],
        [Document("123456", "b")],  # ten characters in all: the segment ends
        [],
        [Document("12", "c")],
        [Document("1", "d")],
    ]
    keyed = list(textmend.cache.segments(batches, lambda batch: bytes(len(batch))))
    assert [[[d.path for d in batch] for batch, _ in s] for s in keyed] == [
        [["a"], ["b"]],
        [[], ["c"], ["d"]],
    ]
    assert [key for s in keyed for _, key in s] == [b"\0", b"\0", b"", b"\0", b"\0"]
    monkeypatch.setattr(textmend.cache, "SEGMENT_BATCHES", 2)
    keyed = list(textmend.cache.segments(batches, lambda batch: None))
    assert [len(s) for s in keyed] == [2, 2, 1]
