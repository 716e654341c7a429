"""The cache of `check` and `fix`: a run on files that have not changed skips them.

The unit is the batch of documents (see `textmend.cli.batches`). An entry's key is a
digest of the batch (each document's path, record and text, and the input problems
among them) and of the run's environment: the textmend version, its code, the versions
of the packages it uses, and the settings. A changed document, configuration or
textmend makes new entries; old ones are no longer read.

Phase one takes a cached batch's corpus statistics from the cache instead of reading
its documents. Phase two takes from the cache the findings of the document rules in
the batch, and those of each corpus rule as long as what that rule's check reads of
the merged statistics is as it was: by default the rule's whole statistics (compared
by a digest; the findings of the run's batches are kept in one file per rule and
digest), or, for a rule that says so with `CorpusRule.dependency`, the part that the
batch's documents depend on (kept with the batch's entry). The corpus rules whose
statistics changed run again on the batch, in this process, and only they: the output
is what a run without the cache gives, in the same order. When fixing, a cached batch
goes to the backend to be fixed only if one of its findings has a fix to apply.

Consecutive batches make segments (`segments`), whose merged statistics, and what the
segment's hooked rules read of the run's, are kept too: phase one takes a segment whose
documents are as they were in one entry, not reading and merging each batch's
statistics, and phase two takes its batches' findings without working out for each what
its hooked rules read, as long as the segment's is the same. A segment with a changed
document, or whose hooked rules read other statistics, is taken batch by batch.

Entries are under `<folder>/<version>/`: a batch's in the pack of the runs over the same
inputs with the same settings (one file, see `Store`), the per-rule findings in files of
their own. Each is written to a temporary file and then renamed, so that runs at the
same time never read half of one (of two runs over the same inputs, the last to finish
leaves its pack). An entry that cannot be read or unpickled, or that holds
another key, is computed again: the cache never makes an error, nor changes what is
reported. The folder gets a `.gitignore` and a `CACHEDIR.TAG`, as ruff's and pytest's
do. Each entry is signed (HMAC-SHA256) with a key of this user's, kept outside the
folder (`$XDG_CACHE_HOME/textmend/cache-key`, made on first use): an entry that another
user, a committed folder or a forger wrote is never unpickled, so it can neither run
code nor hide findings; it is computed again. Of the per-rule files, the last few of
each rule are kept, and the last few packs; delete the folder to make room.

Standard input is never cached.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import functools
import gc
import hashlib
import hmac
import itertools
import mmap
import os
import pickle
import secrets
import struct
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Generic, TypeVar

from textmend import __version__
from textmend.config import Settings
from textmend.document import Document
from textmend.engine import Linter, RuleFailure, merge_into
from textmend.kept import code_digest, package_versions, user_folder
from textmend.report import Diagnostic
from textmend.rule import Applicability, CorpusRule, FixAvailability
from textmend.runner import Backend, Item, Outcome, Stats, Task, examine_part
from textmend.sources import InputProblem, RawRecord

FOLDER = ".textmend_cache"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by textmend.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
# while a backend reads ahead, after this many batches in a row that the cache answers
# it is given an empty batch, so that their results are passed on instead of piling up
IDLE_AFTER = 128
# the digest of a corpus rule that has no statistics (no document reached it)
ABSENT = b"absent"
# consecutive batches make a segment of up to this many batches or characters, whose
# statistics and findings are kept whole too (see `segments`)
SEGMENT_BATCHES = 64
SEGMENT_CHARACTERS = 1 << 18

Findings = tuple[Diagnostic, ...]
# a batch's findings as a check gives them: per item, the document rules' (None for an
# input problem); per corpus rule with a `dependency`, its digest and per item its findings
Entry = tuple[list[Findings | None], dict[str, tuple[bytes | None, list[Findings]]]]

Results = list[Outcome | InputProblem]  # a batch's, from phase two

W = TypeVar("W")
T = TypeVar("T")
R = TypeVar("R")


class Store:
    """Entries under `folder`/<version>/; reading fails quietly, and so does writing (a
    read-only or full disk only stops the run from writing more).

    A batch's entries are in the pack of the run (`open`): one file of signed, named
    records for the runs over the same inputs with the same settings. A run over its
    own pack, whole, appends the entries it makes to it (`put`), one write each: the
    entries it read stay where they are. When the entries the run used fill less than
    half the pack, the pack is compacted at the end (`close`): written anew with those
    entries only, to a temporary file renamed over it. Any other run (a first run, new
    inputs, a pack torn by a crash) writes a new pack the same way, with the entries it
    read as well as those it made. So a run reads one file and, nearly always, appends
    a few records to it: a file a batch cost 0.4 ms of processor time a file written
    (ext4), and writing the whole pack anew copied every entry again. Other entries
    (`load`, `save`) are files of their own."""

    PACKS = 8  # packs kept: runs over other inputs, or with other settings

    def __init__(self, folder: Path) -> None:
        self.folder = str(folder)
        self.root = os.path.join(self.folder, __version__)
        self.writable = True
        self._made: set[str] = set()
        self._pack: str | None = None
        self._old: mmap.mmap | None = None
        self._index: dict[str, tuple[int, int]] = {}  # name: where its data is in _old
        # appending to the run's own pack (its descriptor, once open), or not
        self._appending = False
        self._appended: int | None = None
        self._live: dict[str, int] = {}  # the entries this run used or made: their sizes
        self._new: tuple[str, BinaryIO] | None = None  # a new pack being written

    def load(self, path: str) -> Any:
        """The value stored at `path`, or None."""
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        return self._decode(self._name(path), data)

    def save(self, path: str, value: Any) -> None:
        data = self._encode(self._name(path), value) if self.writable else None
        if data is None:
            return
        try:
            self._make(os.path.dirname(path))
            _write(path, data)
        except OSError:
            self.writable = False

    def open(self, name: bytes) -> None:
        """Read the entries of the pack called `name` (a digest of the run's inputs and
        settings), or, for inputs not seen before, of the pack written last: entries
        are named by their batch's content, so a run over a few of the files of the last
        one (a pre-commit hook's) finds theirs there. This run's go into its own pack."""
        runs = os.path.join(self.root, "runs")
        self._pack = os.path.join(runs, f"{name.hex()}.pack")
        read = self._pack
        try:
            if not os.path.exists(read):
                read = _by_age(runs)[-1]  # (the folder holds packs only)
            with open(read, "rb") as handle:
                self._old = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError, IndexError):  # none, gone meanwhile, or empty
            return
        self._index, end = _pack_index(self._old)
        self._appending = read == self._pack and end == len(self._old)

    def get(self, name: str) -> Any:
        """The value of the entry `name` in the pack, or None."""
        where = self._index.get(name)
        if where is None or self._old is None:
            return None
        data = self._old[where[0] : where[0] + where[1]]
        value = self._decode(name, data)
        if value is not None:
            self._keep(name, data, appended=False)
        return value

    def put(self, name: str, value: Any) -> None:
        data = self._encode(name, value) if self.writable else None
        if data is not None:
            self._keep(name, data, appended=True)

    def retain(self, name: str) -> None:
        """Keep the entry `name` of the pack, unread, as one this run uses: the run
        took its segment's entry instead, and a later run may need it again."""
        where = self._index.get(name)
        if where is not None and self._old is not None:
            self._keep(name, self._old[where[0] : where[0] + where[1]], appended=False)

    def close(self) -> None:
        """End the run's pack: compact it if need be, or put the new pack in place of
        the old one (keeping the last `PACKS`)."""
        pack = self._pack
        if self._appended is not None:
            with contextlib.suppress(OSError):
                os.close(self._appended)
            self._appended = None
        if self._old is not None:
            self._old.close()
            self._old, self._index = None, {}
        if pack is not None and self._appending:
            self._appending = False
            with contextlib.suppress(OSError):
                if 2 * sum(self._live.values()) < os.path.getsize(pack):
                    self._compact(pack)
                else:
                    os.utime(pack)  # (written last: `open` and `prune` go by the time)
        if self._new is not None and pack is not None:
            temporary, handle = self._new
            self._new = None
            try:
                handle.close()
                os.replace(temporary, pack)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                return
        self._live = {}
        if pack is not None:
            self.prune(os.path.dirname(pack), self.PACKS)

    def _keep(self, name: str, data: bytes, appended: bool) -> None:
        """Note an entry the run uses, and write it where it goes: appended to the
        run's own pack if it is new there, else into the new pack."""
        self._live[name] = len(data)
        if not self.writable or self._pack is None or (self._appending and not appended):
            return
        record = _record(name, data)
        try:
            if self._appending:
                if self._appended is None:
                    self._appended = os.open(self._pack, os.O_WRONLY | os.O_APPEND)
                os.write(self._appended, record)  # (one write: runs at once never mix)
                return
            if self._new is None:
                self._new = self._temporary()
            self._new[1].write(record)
        except OSError:
            self.writable = False

    def _compact(self, pack: str) -> None:
        """Write the pack anew with the entries this run used or made only."""
        with (
            open(pack, "rb") as handle,
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as whole,
        ):
            index, _ = _pack_index(whole)
            temporary, out = self._temporary()
            with out:
                for name in self._live.keys() & index.keys():
                    start, size = index[name]
                    out.write(_record(name, whole[start : start + size]))
        os.replace(temporary, pack)

    def _temporary(self) -> tuple[str, BinaryIO]:
        assert self._pack is not None
        self._make(os.path.dirname(self._pack))
        temporary = f"{self._pack}.{os.getpid()}.{next(_numbers)}.tmp"
        return temporary, open(temporary, "xb")  # (closed by the caller)

    def _decode(self, name: str, data: bytes) -> Any:
        """The value of an entry's data if this user signed it and it is the entry
        `name`, else None."""
        collecting = gc.isenabled()
        gc.disable()  # entries hold no cycles: tracing the heap for each would be slow
        signature, payload = data[:SIGNATURE], data[SIGNATURE:]
        if not hmac.compare_digest(signature, _sign(payload)):
            return None  # torn, or not written by this user: never unpickled
        try:
            stored, value = pickle.loads(payload)
        except Exception:  # corrupt or foreign: computed again
            return None
        finally:
            if collecting:
                gc.enable()
        return value if stored == name else None

    @staticmethod
    def _encode(name: str, value: Any) -> bytes | None:
        try:
            payload = pickle.dumps((name, value), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # statistics that do not pickle are not cached
            return None
        return _sign(payload) + payload

    def prune(self, folder: str, keep: int) -> None:
        """Remove all but the `keep` files of `folder` written last."""
        with contextlib.suppress(OSError):
            for path in _by_age(folder)[:-keep]:
                os.unlink(path)

    def _name(self, path: str) -> str:
        """What a file entry holds to say which it is: its path in the version's folder."""
        return path[len(self.root) :]

    def _make(self, folder: str) -> None:
        if folder in self._made:
            return
        if not self._made:
            os.makedirs(self.folder, exist_ok=True)
            for name, text in ((".gitignore", "*\n"), ("CACHEDIR.TAG", CACHEDIR_TAG)):
                if not os.path.exists(os.path.join(self.folder, name)):
                    _write(os.path.join(self.folder, name), text.encode())
        os.makedirs(folder, exist_ok=True)
        self._made.add(folder)


def _by_age(folder: str) -> list[str]:
    """The files of `folder` (not the temporary ones being written), the one written
    last last; OSError if it cannot be read."""
    paths = [os.path.join(folder, name) for name in os.listdir(folder)]
    paths = [path for path in paths if not path.endswith(".tmp")]
    return sorted(paths, key=lambda path: os.stat(path).st_mtime_ns)


# a pack is a sequence of records: the lengths of the name and of the data, then both
_RECORD = struct.Struct(">HI")


def _record(name: str, data: bytes) -> bytes:
    encoded = name.encode()
    return _RECORD.pack(len(encoded), len(data)) + encoded + data


def _pack_index(pack: mmap.mmap) -> tuple[dict[str, tuple[int, int]], int]:
    """Where each entry's data is in a pack (where a name comes twice, the last
    counts), up to the first record that is cut short or unreadable (what follows is
    not read: the entries themselves are checked), and where the records read end."""
    index: dict[str, tuple[int, int]] = {}
    offset, size = 0, len(pack)
    while offset + _RECORD.size <= size:
        length, data = _RECORD.unpack_from(pack, offset)
        start = offset + _RECORD.size + length
        if start + data > size:
            break
        try:
            name = pack[offset + _RECORD.size : start].decode()
        except UnicodeDecodeError:
            break
        index[name] = (start, data)
        offset = start + data
    return index, offset


def _write(path: str, data: bytes) -> None:
    """Write a file whole or not at all: a temporary file beside it, then a rename (no
    fsync: an entry torn by a crash does not unpickle, and is computed again)."""
    temporary = f"{path}.{os.getpid()}.{next(_numbers)}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


_numbers = itertools.count()

SIGNATURE = 32  # bytes of HMAC-SHA256 before each entry


def _sign(payload: bytes) -> bytes:
    return hmac.digest(_user_key(), payload, "sha256")


@functools.cache
def _user_key() -> bytes:
    """This user's key for signing entries, read from (or made in) their own cache
    folder, outside any project. Where it can be neither read nor made, a key for this
    process alone: its entries are then of no use to later runs, but never unsafe."""
    path = os.path.join(user_folder(), "cache-key")
    for _ in range(2):  # made by another process meanwhile: read it again
        with contextlib.suppress(OSError):
            with open(path, "rb") as handle:
                key = handle.read()
            if len(key) == SIGNATURE:
                return key
        key = secrets.token_bytes(SIGNATURE)
        temporary = f"{path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(key)
            os.link(temporary, path)  # fails if another process made one first
            os.unlink(temporary)
            return key
        except FileExistsError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        except OSError:
            return key
    return key


# --- keys ---------------------------------------------------------------------------


def environment(settings: Settings) -> bytes | None:
    """A digest of what a batch's results depend on besides its documents: textmend's
    version and code, the packages it uses, the settings. None when the settings hold
    a value that has no digest (the cache is then not used).

    The configuration's folder counts only with `per-file-ignores`, whose globs match
    paths relative to it (as resolved from the working folder): a checkout moved
    elsewhere keeps its cache."""
    values = {
        f.name: getattr(settings, f.name)
        for f in dataclasses.fields(settings)
        if f.name not in ("root", "source")
    }
    if settings.per_file_ignores:
        values["root"] = str(settings.root.resolve())
        values["cwd"] = os.getcwd()
    try:
        plain = _plain(values)
    except TypeError:
        return None
    return _digest((__version__, sys.version_info[:2], code_digest(), package_versions(), plain))


def _digest(value: Any) -> bytes:
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=20).digest()


def digest(value: Any) -> bytes | None:
    """A digest of a value made of plain data (strings, bytes, numbers, enums, and
    tuples, lists, mappings, sets and dataclasses of them) that is the same in every
    process, or None for other values."""
    try:
        if type(value) in _SEQUENCES and _flat(value):
            return _digest(("flat", value))  # (its repr is the same in every process)
        return _digest(_plain(value))
    except (TypeError, RecursionError):
        return None


_SCALARS = (str, bytes, int, float, bool, type(None))
_SEQUENCES = (list, tuple)


def _flat(values: list[Any] | tuple[Any, ...]) -> bool:
    """Whether a list or tuple holds scalars, and lists and tuples of them only: the
    dependencies of most corpus rules (a batch's lines or texts with their counts),
    which `_plain` would copy whole, a tuple a pair."""
    for value in values:
        kind = type(value)
        if kind not in _SCALARS and (kind not in _SEQUENCES or not _flat(value)):
            return False
    return True


def _plain(value: Any) -> Any:
    """The value as nested tuples whose repr is the same in every process: sets and
    mappings sorted (Python orders sets of strings differently in each process), a
    dataclass as its type and fields. TypeError for anything else."""
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, enum.Enum):
        return (type(value).__qualname__, value.value)
    if isinstance(value, (list, tuple)):
        if all(type(item) in _SCALARS for item in value):
            return (type(value).__name__, *value)
        return (type(value).__name__, *map(_plain, value))
    if isinstance(value, Mapping):
        return ("map", *_sorted((_plain(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return ("set", *_sorted(map(_plain, value)))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (type(value).__qualname__, *(_plain(getattr(value, f.name)) for f in fields))
    raise TypeError(f"no digest for {type(value).__name__}")


def _sorted(values: Iterable[Any]) -> list[Any]:
    items = list(values)
    try:
        return sorted(items)
    except TypeError:  # mixed types
        return sorted(items, key=repr)


# --- in order -----------------------------------------------------------------------


@dataclass
class Plan(Generic[W, T, R]):
    """One batch: its result when it is known already (`work` None), else the work
    for the backend and what to make of the work's result (`finish`)."""

    done: R | None = None
    work: W | None = None
    finish: Callable[[T], R] | None = None


def in_order(
    plans: Iterable[Plan[W, T, R]], run: Callable[[Iterable[W]], Iterator[T]], idle: W
) -> Iterator[R]:
    """The results of the plans, in order: the work of those that have some goes to
    `run` (a backend's method, which reads its work lazily and yields its results in
    order), the others are passed on as they are.

    The plans are read here, as their results are wanted, except while `run` reads
    ahead for its workers: then it reads past the plans without work too, which wait
    in the queue, and every `IDLE_AFTER` of them it is given `idle` (whose result is
    dropped), so that it returns and they do not pile up."""
    source = iter(plans)
    queue: deque[Plan[W, T, R] | None] = deque()  # None for idle work
    waiting: deque[W] = deque()  # work queued here, not yet read by `run`

    def feed() -> Iterator[W]:
        since = 0
        while True:
            if waiting:
                since = 0
                yield waiting.popleft()
                continue
            plan = next(source, None)
            if plan is None:
                return
            queue.append(plan)
            if plan.work is not None:
                since = 0
                yield plan.work
            elif (since := since + 1) >= IDLE_AFTER:
                since = 0
                queue.append(None)
                yield idle

    results = run(feed())
    fetched: deque[T] = deque()
    while True:
        first = queue[0] if queue else None
        if first is not None and first.work is None:
            queue.popleft()
            yield first.done  # type: ignore[misc]  # set when there is no work
        elif queue and fetched:
            queue.popleft()
            result = fetched.popleft()
            if first is not None:
                assert first.finish is not None
                yield first.finish(result)
        elif queue:
            try:
                fetched.append(next(results))
            except StopIteration:
                raise RuntimeError("the backend gave fewer results than work") from None
        else:
            plan = next(source, None)
            if plan is None:
                for _ in results:  # let the backend finish (it has no work left)
                    raise RuntimeError("the backend gave more results than work")
                return
            queue.append(plan)
            if plan.work is not None:
                waiting.append(plan.work)


# --- the backend --------------------------------------------------------------------


class CachedBackend:
    """A `Backend` that gives what the cache has and passes the rest to `backend`.

    `counts` says how many batches the cache answered in phase one (`stats hit`) and
    two (`check hit`), in part (`check partial`: some corpus rules ran again, here), or
    not (`... miss`), and how many it sent to be fixed (`check fix`)."""

    def __init__(
        self, backend: Backend, store: Store, linter: Linter, inputs: tuple[str, ...]
    ) -> None:
        self.backend = backend
        self.store = store
        self.linter = linter
        self.environment = environment(linter.settings)
        if self.environment is not None:
            # the pack of the runs over these inputs (paths as given, and from where)
            store.open(_digest((self.environment, os.getcwd(), inputs)))
        self.rules = {rule.code: rule for rule in linter.corpus_rules}
        # the corpus rules that say what their check depends on (`dependency`), whose
        # findings are kept with each batch's; those of the others, per run
        self.hooked = [
            code
            for code, rule in self.rules.items()
            if type(rule).dependency is not CorpusRule.dependency
        ]
        self.whole = [code for code in self.rules if code not in self.hooked]
        self.fixes = {r.code for r in linter.rules if r.fix_availability != FixAvailability.NONE}
        self.counts: Counter[str] = Counter()
        # per batch (by key) and segment (by name), its statistics for the hooked rules,
        # from phase one to phase two; the rules whose statistics have been merged
        self._shards: dict[bytes | str, Stats] = {}
        self._merged: set[str] = set()
        # per hooked rule, the value its `dependency` gave last and its digest: a rule
        # whose check reads a view of the whole statistics gives the same one each time
        self._last: dict[str, tuple[Any, bytes | None]] = {}

    def key(self, batch: list[Item]) -> bytes | None:
        """The batch's key, or None when it is not cached (standard input, or records
        not yet read, which the cache is never given)."""
        if self.environment is None:
            return None
        digest = hashlib.blake2b(self.environment, digest_size=20)
        for item in batch:
            if isinstance(item, InputProblem):
                head: tuple[Any, ...] = ("problem", item.path, item.reason, item.record)
                digest.update(repr(head).encode("utf-8", "surrogatepass"))
                continue
            if isinstance(item, RawRecord) or item.path == "-":
                return None
            record = item.record and (item.record.line, item.record.id)
            head = ("document", item.path, record, item.revised)
            digest.update(repr(head).encode("utf-8", "surrogatepass"))
            digest.update(item.digest)  # (taken once: phase two checks fresh copies)
        return digest.digest()

    # phase one

    def collect(self, batches: Iterable[list[Item]]) -> Iterator[Stats | RuleFailure]:
        def plans() -> Iterator[Plan[list[Item], Stats | RuleFailure, Stats | RuleFailure]]:
            for segment in segments(batches, self.key):
                name = _segment_name(segment)
                stats = None if name is None else self.store.get(f"{name}.stats")
                if name is not None and isinstance(stats, dict):
                    # the segment's statistics, merged: given with its first batch
                    self.counts["stats hit"] += len(segment)
                    self.counts["stats segment"] += 1
                    self._keep_shards(name, stats)
                    for i, (_, key) in enumerate(segment):
                        assert key is not None  # (a segment has a name only then)
                        self.store.retain(f"{key.hex()}.stats")
                        yield Plan(done=stats if i == 0 else {})
                    continue
                merging = None if name is None else _Merging(self, name, len(segment))
                for batch, key in segment:
                    yield self._collect_plan(batch, key, merging)

        return in_order(plans(), self.backend.collect, [])

    def _collect_plan(
        self, batch: list[Item], key: bytes | None, merging: _Merging | None
    ) -> Plan[list[Item], Stats | RuleFailure, Stats | RuleFailure]:
        stats = None if key is None else self.store.get(f"{key.hex()}.stats")
        if key is not None and isinstance(stats, dict):
            self.counts["stats hit"] += 1
            return Plan(done=self._collected(key, merging, stats, fresh=False))
        self.counts["stats miss"] += 1
        return Plan(work=batch, finish=functools.partial(self._collected, key, merging))

    def _collected(
        self,
        key: bytes | None,
        merging: _Merging | None,
        stats: Stats | RuleFailure,
        fresh: bool = True,
    ) -> Stats | RuleFailure:
        """What the run merges of a batch's statistics: in a segment, nothing until its
        last batch, then the segment's (see `_Merging`); else the batch's."""
        if key is None or isinstance(stats, RuleFailure):
            if merging is not None:
                merging.failed = True
            return stats
        if fresh:
            self.store.put(f"{key.hex()}.stats", stats)
        if merging is None:
            self._keep_shards(key, stats)
            return stats
        # (the run merges the segment's statistics, never into a batch's: no copy)
        self._shards[key] = {code: stats[code] for code in self.hooked if code in stats}
        return merging.add(stats)

    def _keep_shards(self, key: bytes | str, stats: Stats) -> None:
        """Keep the hooked rules' statistics of a batch or segment, for phase two: a
        copy of those that merging will change (the first of each rule, which the others
        are merged into), the others as they are."""
        if not self.hooked:
            return
        mine = {code: stats[code] for code in self.hooked if code in stats}
        first = {code: mine[code] for code in mine if code not in self._merged}
        if first:
            mine.update(_copy(first))
            self._merged.update(first)
        self._shards[key] = mine

    # phase two

    def examine(self, batches: Iterable[list[Item]], stats: Stats, task: Task) -> Iterator[Results]:
        run = _Findings(self.store, self.whole, stats)

        def plans() -> Iterator[Plan[list[Item], Results, Results]]:
            for segment in segments(batches, self.key):
                name = _segment_name(segment)
                shard = None if name is None else self._shards.pop(name, None)
                depends = None if shard is None else self._dependencies(shard, stats)
                if name is not None and depends is not None:
                    answered = self._answer(name, segment, depends, task, run)
                    if answered is not None:
                        yield from answered
                        continue
                entries = None
                if name is not None and depends is not None and None not in depends.values():
                    entries = _Entries(self.store, name, len(segment), depends)
                for batch, key in segment:
                    yield self._plan(batch, key, task, stats, run, entries)

        yield from in_order(plans(), lambda work: self.backend.examine(work, stats, task), [])
        run.save()

    def close(self) -> None:
        """Write the run's pack (see `Store`): once the run is over, whatever ended it."""
        self.store.close()

    def _answer(
        self,
        name: str,
        segment: list[tuple[list[Item], bytes | None]],
        depends: dict[str, bytes | None],
        task: Task,
        run: _Findings,
    ) -> list[Plan[list[Item], Results, Results]] | None:
        """The plans of a segment whose findings the cache has whole: its documents and
        what its hooked rules read of the statistics are as they were (the segment's
        entry), its batches' entries are there and the other corpus rules' findings in
        them are known. None otherwise."""
        before = self.store.get(f"{name}.check")
        if not isinstance(before, dict) or any(
            depends[code] is None or before.get(code) != depends[code] for code in self.hooked
        ):
            return None
        found: list[list[Findings | None]] = []
        for batch, key in segment:
            assert key is not None  # (a segment has a name only then)
            if any(run.known(code, key, len(batch)) is None for code in self.whole):
                return None  # (before its entry is read: the same for every batch, nearly)
            entry = _fitting(self.store.get(f"{key.hex()}.check"), batch)
            if entry is None:
                return None
            known, rules = self._known(key, batch, entry, run, None)
            if rules:
                return None
            found.append(known)
        self.counts["check segment"] += 1
        plans: list[Plan[list[Item], Results, Results]] = []
        unknown = dict.fromkeys(self.hooked)
        for (batch, key), known in zip(segment, found, strict=True):
            assert key is not None
            if task.fixing and self._has_fixes(known, task.unsafe):
                self.counts["check fix"] += 1
                finish = functools.partial(
                    self._finish, key, batch, run, unknown, known, frozenset(), None
                )
                plans.append(Plan(work=batch, finish=finish))
            else:
                self.counts["check hit"] += 1
                plans.append(Plan(done=_outcomes(batch, known)))
        return plans

    def _plan(
        self,
        batch: list[Item],
        key: bytes | None,
        task: Task,
        stats: Stats,
        run: _Findings,
        entries: _Entries | None,
    ) -> Plan[list[Item], Results, Results]:
        if key is None:
            return Plan(work=batch, finish=_as_they_are)
        shard = self._shards.pop(key, None)
        if shard is None:  # its segment's statistics came whole: its own are kept too
            loaded = self.store.get(f"{key.hex()}.stats")
            shard = loaded if isinstance(loaded, dict) else None
        if shard is None:
            depends: dict[str, bytes | None] = dict.fromkeys(self.hooked)
        else:
            depends = self._dependencies(shard, stats)
        entry = _fitting(self.store.get(f"{key.hex()}.check"), batch)
        if entry is None:
            self.counts["check miss"] += 1
            finish = functools.partial(
                self._finish, key, batch, run, depends, None, self.rules, entries
            )
            return Plan(work=batch, finish=finish)
        known, rules = self._known(key, batch, entry, run, depends)
        finish = functools.partial(self._finish, key, batch, run, depends, known, rules, entries)
        if task.fixing and self._has_fixes(known, task.unsafe):
            # something to fix: examined in full, as without the cache
            self.counts["check fix"] += 1
            return Plan(work=batch, finish=finish)
        if not rules:
            self.counts["check hit"] += 1
            if entries is not None:
                entries.done()
            return Plan(done=_outcomes(batch, known))
        # the corpus rules whose statistics changed run again here, where the statistics
        # are: checking a few documents costs less than sending them to a worker
        self.counts["check partial"] += 1
        return Plan(done=finish(examine_part(self.linter, batch, task, rules)))

    def _known(
        self,
        key: bytes,
        batch: list[Item],
        entry: Entry,
        run: _Findings,
        depends: dict[str, bytes | None] | None,
    ) -> tuple[list[Findings | None], frozenset[str]]:
        """From a batch's entry, its known findings per item, and the corpus rules whose
        findings are not known (those of the hooked rules are when `depends` is None, or
        the same as the entry's)."""
        mine, hooked = entry
        found: dict[str, list[Findings] | None] = {
            code: run.known(code, key, len(batch)) for code in self.whole
        }
        for code in self.hooked:
            depend, findings = hooked.get(code, (None, None))
            same = depends is None or (depend is not None and depend == depends[code])
            fits = isinstance(findings, list) and len(findings) == len(batch)
            found[code] = findings if same and fits else None
        known = [
            None if own is None else _check_order(own, *(f[i] for f in found.values() if f))
            for i, own in enumerate(mine)
        ]
        return known, frozenset(code for code, f in found.items() if f is None)

    def _has_fixes(self, known: list[Findings | None], unsafe: bool) -> bool:
        return any(self._fixable(d, unsafe) for findings in known if findings for d in findings)

    def _dependencies(self, shard: Stats, stats: Stats) -> dict[str, bytes | None]:
        """Per hooked rule, a digest of what its check of the documents whose own
        statistics are `shard` (hooked rules' only) reads of the merged statistics
        (None when unknown)."""
        depends: dict[str, bytes | None] = {}
        for code in self.hooked:
            if code not in shard or code not in stats:
                depends[code] = ABSENT  # none of the documents is checked by it
            else:
                try:
                    part = self.rules[code].dependency(shard[code], stats[code])
                except Exception:  # a bug in the rule: it runs again
                    part = NotImplemented
                last = self._last.get(code)
                if last is None or last[0] is not part:
                    last = self._last[code] = (
                        part,
                        None if part is NotImplemented else digest(part),
                    )
                depends[code] = last[1]
        return depends

    def _fixable(self, found: Diagnostic, unsafe: bool) -> bool:
        """Whether a finding may have a fix to apply: a safe one, or with unsafe fixes
        any fix, or an alternative (which its rule's fixes cover)."""
        if found.fix_applicability is Applicability.SAFE:
            return True
        return unsafe and (found.fix_applicability is not None or found.code in self.fixes)

    def _finish(
        self,
        key: bytes,
        batch: list[Item],
        run: _Findings,
        depends: dict[str, bytes | None],
        known: list[Findings | None] | None,
        rules: Iterable[str],
        entries: _Entries | None,
        results: Results,
    ) -> Results:
        """The outcomes of a batch examined with the corpus `rules`, or with every rule
        (`known` None, or a whole outcome), the known findings added to partial ones;
        their findings kept for the cache unless a rule failed."""
        outcomes: Results = []
        found: list[Findings | None] = []
        failed = False
        for i, result in enumerate(results):
            if isinstance(result, InputProblem):
                outcomes.append(result)
                found.append(None)
                continue
            if result.partial:
                assert known is not None
                everything = _check_order(known[i] or (), result.diagnostics)
                result = Outcome(result.key, everything, everything)
            failed = failed or result.error is not None
            outcomes.append(result)
            found.append(result.initial)  # as a check gives them, fixing or not
        if failed or len(results) != len(batch):
            if entries is not None:
                entries.failed = True
            return outcomes
        mine, corpus = _by_rule(found, self.rules)
        rules = set(rules)
        for code in self.whole:
            if code in rules:
                run.fresh(code, key, corpus[code])
        entry: Entry = (mine, {code: (depends[code], corpus[code]) for code in self.hooked})
        if known is None or any(depends[code] is not None for code in rules & set(self.hooked)):
            self.store.put(f"{key.hex()}.check", entry)
        if entries is not None:
            entries.done()
        return outcomes


class _Merging:
    """A segment's statistics, merged as its batches' come in (in order), and stored
    once they all have: the run merges them, not each batch's, so that each batch's are
    merged once (into the segment's). Kept for phase two as a batch's are."""

    def __init__(self, backend: CachedBackend, name: str, size: int) -> None:
        self.backend = backend
        self.name = name
        self.left = size
        self.stats: Stats = {}
        self.failed = False

    def add(self, stats: Stats) -> Stats:
        """Merge a batch's statistics; the segment's once it is whole, else nothing."""
        # merging changes the first statistics of each rule, which phase two keeps as a
        # batch's too for a hooked rule: a copy of those
        hooked = self.backend.hooked
        first = {code: stats[code] for code in hooked if code in stats and code not in self.stats}
        if first:
            stats = {**stats, **_copy(first)}
        merge_into(self.backend.rules.values(), self.stats, stats)
        self.left -= 1
        if self.left:
            return {}
        if not self.failed:
            self.backend.store.put(f"{self.name}.stats", self.stats)
        self.backend._keep_shards(self.name, self.stats)
        return self.stats


class _Entries:
    """The batches of a segment whose entries are being made or read (in order): once
    they all are, without a rule failing, the segment's entry is stored, which says what
    its hooked rules read of the statistics."""

    def __init__(
        self, store: Store, name: str, size: int, depends: dict[str, bytes | None]
    ) -> None:
        self.store = store
        self.name = name
        self.depends = depends
        self.left = size
        self.failed = False

    def done(self) -> None:
        self.left -= 1
        if self.left == 0 and not self.failed:
            self.store.put(f"{self.name}.check", self.depends)


class _Findings:
    """The findings of each corpus rule without `dependency`, per batch, for the
    statistics of this run: the cached ones (one file per rule and digest of its
    statistics), and those found now, saved when the run ends (a few files of other
    statistics kept beside them, for other corpora or parts of one checked in turn)."""

    KEEP = 8  # files per rule

    def __init__(self, store: Store, codes: list[str], stats: Stats) -> None:
        self.store = store
        self.digests = {code: (digest(stats[code]) if code in stats else ABSENT) for code in codes}
        self._known: dict[str, dict[bytes, list[Findings]]] = {}
        # per rule, its findings in the batches of this run so far; the rules with new ones
        self._found: dict[str, dict[bytes, list[Findings]]] = {code: {} for code in codes}
        self._changed: set[str] = set()

    def path(self, code: str, digest: bytes) -> str:
        return os.path.join(self.store.root, "corpus", code, f"{digest.hex()}.findings")

    def known(self, code: str, key: bytes, size: int) -> list[Findings] | None:
        """The cached findings of a corpus rule in a batch of `size` items, or None."""
        if code not in self._known:
            digest = self.digests[code]
            loaded = None if digest is None else self.store.load(self.path(code, digest))
            self._known[code] = loaded if isinstance(loaded, dict) else {}
        found = self._known[code].get(key)
        if not isinstance(found, list) or len(found) != size:
            return None
        self._found[code][key] = found
        return found

    def fresh(self, code: str, key: bytes, found: list[Findings]) -> None:
        self._found[code][key] = found
        self._changed.add(code)

    def save(self) -> None:
        """Store the findings of the batches of this run, for each rule with new ones,
        under the digest of its statistics."""
        for code in sorted(self._changed):
            digest = self.digests[code]
            if digest is not None:
                path = self.path(code, digest)
                self.store.save(path, self._found[code])
                self.store.prune(os.path.dirname(path), self.KEEP)


def segments(
    batches: Iterable[list[Item]], key: Callable[[list[Item]], bytes | None]
) -> Iterator[list[tuple[list[Item], bytes | None]]]:
    """Consecutive batches with their keys (each taken as its batch comes, as phase one
    reads it), in segments of `SEGMENT_BATCHES` batches or as many as hold
    `SEGMENT_CHARACTERS` (the same in both phases). A segment's merged statistics and
    what its hooked rules read are kept too, so that a run over a few changed files
    neither reads nor merges each unchanged batch's statistics, nor works out for each
    what its hooked rules read."""
    segment: list[tuple[list[Item], bytes | None]] = []
    size = 0
    for batch in batches:
        segment.append((batch, key(batch)))
        size += sum(len(item.text) for item in batch if isinstance(item, Document))
        if len(segment) >= SEGMENT_BATCHES or size >= SEGMENT_CHARACTERS:
            yield segment
            segment, size = [], 0
    if segment:
        yield segment


def _segment_name(segment: list[tuple[list[Item], bytes | None]]) -> str | None:
    """The name of a segment's entries: None for a segment of one batch (its entries
    are the batch's), or with a batch that is not cached."""
    if len(segment) < 2:
        return None
    digest = hashlib.blake2b(b"segment", digest_size=20)
    for _, key in segment:
        if key is None:
            return None
        digest.update(key)
    return digest.hexdigest()


def _copy(stats: Stats) -> Stats:
    return pickle.loads(pickle.dumps(stats, pickle.HIGHEST_PROTOCOL))  # type: ignore[no-any-return]


def _fitting(entry: Any, batch: list[Item]) -> Entry | None:
    """A batch's cached findings, if they fit it."""
    try:
        mine, hooked = entry
        if not isinstance(mine, list) or not isinstance(hooked, dict):
            return None
    except (TypeError, ValueError):
        return None
    if len(mine) != len(batch):
        return None
    for findings, item in zip(mine, batch, strict=True):
        if (findings is None) != isinstance(item, InputProblem):
            return None
    return mine, hooked


def _by_rule(
    found: list[Findings | None], corpus: Iterable[str]
) -> tuple[list[Findings | None], dict[str, list[Findings]]]:
    """Per item, the findings of the document rules (None for an input problem), and
    per corpus rule its findings in each item."""
    mine: list[Findings | None] = []
    by_rule: dict[str, list[Findings]] = {code: [] for code in corpus}
    for findings in found:
        if findings is None:
            mine.append(None)
            for lists in by_rule.values():
                lists.append(())
            continue
        groups: dict[str, list[Diagnostic]] = {}
        own: list[Diagnostic] = []
        for d in findings:
            if d.code in by_rule:
                groups.setdefault(d.code, []).append(d)
            else:
                own.append(d)
        mine.append(tuple(own))
        for code, lists in by_rule.items():
            lists.append(tuple(groups.get(code, ())))
    return mine, by_rule


def _as_they_are(results: Results) -> Results:
    return results


def _outcomes(batch: list[Item], known: list[Findings | None]) -> Results:
    outcomes: Results = []
    for item, found in zip(batch, known, strict=True):
        if isinstance(item, InputProblem):
            outcomes.append(item)
        else:
            assert found is not None and isinstance(item, Document)  # (a keyed batch's)
            outcomes.append(Outcome(item.line, found, found))
    return outcomes


def _check_order(*parts: Findings) -> Findings:
    """Findings of several rules in the order `Linter.check` gives them: by span, then
    code. Positions grow with offsets, so sorting by them is sorting by offsets; ties
    are findings of one rule, which keep their order (the sort is stable)."""
    nonempty = [part for part in parts if part]
    if len(nonempty) <= 1:
        return nonempty[0] if nonempty else ()
    return tuple(
        sorted(
            (d for part in nonempty for d in part),
            key=lambda d: (d.location, d.end_location, d.code),
        )
    )


def cache_folder(given: Path | None) -> Path:
    """`--cache-dir`, else `.textmend_cache` in the working folder."""
    return given if given is not None else Path.cwd() / FOLDER
