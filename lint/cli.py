"""The command line: `textmend check|fix|rule|rules`, its options and exit statuses.

Exit status: 0 no findings left, 1 findings left, 2 a usage, configuration or input
error (reported on stderr with the file and the reason; every other file is still
processed, and a file with a problem is never written).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import difflib
import json
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from textmend import __version__
from textmend.baseline import Step as BaselineStep
from textmend.cache import FOLDER, CachedBackend, Store, cache_folder
from textmend.config import ConfigError, Settings, load_settings
from textmend.document import Document
from textmend.engine import Linter, RuleFailure, fewer_collections
from textmend.progress import Progress, batch_size
from textmend.report import FORMATS, Diagnostic, Summary, renderer, statistics
from textmend.report.options import add_report_arguments, positive
from textmend.report.text import render_statistics, use_color
from textmend.rule import all_rules
from textmend.runner import (
    Backend,
    Item,
    LocalBackend,
    Outcome,
    Task,
    default_jobs,
    size,
)
from textmend.sources import (
    InputProblem,
    Source,
    SourceChanged,
    StdinSource,
    discover,
    read_stdin,
    source_for,
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="textmend", description="Find and mend defects in text corpora."
    )
    parser.add_argument("--version", action="version", version=f"textmend {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    inputs = argparse.ArgumentParser(add_help=False)
    inputs.add_argument("paths", nargs="*", metavar="PATH", help="files, folders, or - for stdin")
    inputs.add_argument("--config", metavar="FILE", type=Path, help="configuration file")
    inputs.add_argument("--lang", metavar="LANG", help="expected language (default en)")
    inputs.add_argument(
        "--exclude",
        metavar="GLOB",
        action="append",
        default=[],
        help="leave out matching files and folders (repeatable)",
    )
    inputs.add_argument("--text-field", metavar="NAME", help="JSONL/Parquet text field")
    inputs.add_argument("--id-field", metavar="NAME", help="JSONL/Parquet id field")

    # what a run over documents takes: check, fix and report
    running = argparse.ArgumentParser(add_help=False, parents=[inputs])
    running.add_argument("--select", metavar="CODES", help="codes or prefixes: W, W1, W101, ALL")
    running.add_argument("--ignore", metavar="CODES", help="codes or prefixes to leave out")
    running.add_argument(
        "--quiet", "-q", action="store_true", help="no summary, notes or progress bar"
    )
    running.add_argument(
        "--jobs",
        "-j",
        metavar="N",
        type=positive,
        help="worker processes (default: all cores)",
    )
    running.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="where documents are checked: here (default), or on a Ray cluster",
    )
    running.add_argument(
        "--address", metavar="ADDR", help="the Ray cluster to use with --engine ray"
    )
    running.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    running.add_argument(
        "--cache-dir",
        metavar="DIR",
        type=Path,
        help=f"where the cache is (default: {FOLDER} in the working folder)",
    )

    common = argparse.ArgumentParser(add_help=False, parents=[running])
    common.add_argument("--format", choices=FORMATS, default="text", help="output format")
    common.add_argument("--statistics", action="store_true", help="counts per rule")
    baseline = common.add_mutually_exclusive_group()
    baseline.add_argument(
        "--baseline", metavar="FILE", help="report only the findings that FILE does not list"
    )
    baseline.add_argument(
        "--baseline-write", metavar="FILE", help="record the findings in FILE, report none"
    )
    common.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when findings remain (errors still exit 2)",
    )

    commands.add_parser("check", parents=[common], help="report findings; writes nothing")
    fix = commands.add_parser("fix", parents=[common], help="apply fixes, report what is left")
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
    fix.add_argument("--diff", action="store_true", help="print a diff; write nothing")
    fix.add_argument("--output", metavar="DIR", type=Path, help="write fixed copies under DIR")

    report = commands.add_parser(
        "report", parents=[running], help="write an HTML report of the corpus and its findings"
    )
    add_report_arguments(report)

    rule = commands.add_parser("rule", help="explain one rule")
    rule.add_argument("code", metavar="CODE")
    rule.add_argument("--format", choices=("text", "json"), default="text")
    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    names = commands.add_parser(
        "names", parents=[inputs], help="list the names the corpus spells several ways"
    )
    names.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "rule":
            return _explain(args.code.upper(), args.format)
        if args.command == "rules":
            return _list_rules(args.format)
        settings = _settings(args)
        if args.command == "names":
            return _names(args, settings)
        if args.command == "report":
            from textmend.report.html import report

            return report(args, settings)
        with fewer_collections():
            return Run(args, settings).execute()
    except ConfigError as error:
        _error(str(error))
        return EXIT_ERROR
    except BrokenPipeError:  # e.g. `textmend check | head`: the reader has gone
        sys.stderr.close()
        return EXIT_ERROR


def command() -> NoReturn:
    """The `textmend` command, and `python -m textmend`: `main`, the exit handlers,
    then the end of the process without freeing its objects one by one. Whatever
    needs finishing (the output, the worker pools, the cache's pack, the files being
    written) has finished within `main`; freeing the lexicons, rules and findings of
    a run took 0.35-0.46 s after a check of 20 MB, with nothing left to do."""
    status = main()
    atexit._run_exitfuncs()  # (those of the libraries too: Ray's ends its cluster)
    try:
        sys.stdout.flush()
    except (OSError, ValueError):  # e.g. `textmend check | head`: the reader has gone
        status = EXIT_ERROR
    with contextlib.suppress(OSError, ValueError):  # (`main` closes it if so)
        sys.stderr.flush()
    os._exit(status)


def _error(message: str) -> None:
    print(f"textmend: error: {message}", file=sys.stderr)


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.config)
    if getattr(args, "select", None) is not None:
        settings.select = [c.strip() for c in args.select.split(",") if c.strip()]
    if getattr(args, "ignore", None) is not None:
        settings.ignore = [c.strip() for c in args.ignore.split(",") if c.strip()]
    settings.lang = args.lang or settings.lang
    settings.text_field = args.text_field or settings.text_field
    settings.id_field = args.id_field or settings.id_field
    settings.exclude = [*settings.exclude, *args.exclude]
    return settings


@dataclass
class Run:
    """One `check` or `fix` over the given paths."""

    args: argparse.Namespace
    settings: Settings
    diagnostics: list[Diagnostic] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)
    changes: int = 0
    progress: Progress = field(default_factory=lambda: Progress(enabled=False))

    @property
    def fixing(self) -> bool:
        return bool(self.args.command == "fix")

    @property
    def diffing(self) -> bool:
        """`fix --diff`: fix, print the diff, write nothing."""
        return self.fixing and bool(self.args.diff)

    @property
    def writing(self) -> bool:
        return self.fixing and not self.args.diff

    def problem(self, message: str) -> None:
        self.summary.errors += 1
        with self.progress.cleared():
            _error(message)

    def sources(self) -> list[Source]:
        return open_sources(self.args.paths, self.settings, self.problem)

    def backend(self) -> Backend:
        if self.args.engine == "ray":
            from textmend.ray_engine import RayBackend

            return RayBackend(self.settings, self.args.address)
        return LocalBackend(self.settings, self.args.jobs or default_jobs())

    def cached(self, backend: Backend, linter: Linter) -> Backend:
        """The backend behind the cache, unless `--no-cache`."""
        if self.args.no_cache:
            return backend
        store = Store(cache_folder(self.args.cache_dir))
        return CachedBackend(backend, store, linter, tuple(self.args.paths))

    def execute(self) -> int:
        baseline = BaselineStep.from_args(self.args)
        sources = self.sources()
        self.summary.mode = self.args.command
        self.summary.unsafe_fixes = getattr(self.args, "unsafe_fixes", False)
        try:
            backend = self.backend()
        except ImportError as error:
            self.problem(str(error))
            return EXIT_ERROR
        linter = Linter.from_settings(self.settings)
        backend = self.cached(backend, linter)
        try:
            return self.run(backend, linter, sources, baseline)
        finally:
            if isinstance(backend, CachedBackend):
                backend.close()

    def run(
        self,
        backend: Backend,
        linter: Linter,
        sources: list[Source],
        baseline: BaselineStep | None,
    ) -> int:
        self.progress = Progress(enabled=not self.args.quiet)
        # workers read the records of a corpus themselves, unless the cache, which
        # knows each document by its text, stands between
        reading = Reading(sources, raw=isinstance(backend, LocalBackend) and backend.jobs > 1)
        if linter.corpus_rules:
            self.progress.phase("corpus statistics")
            read = self.progress.counting(reading.first(), batch_size)
            for stats in backend.collect(batch for _, batch, _ in read):
                if isinstance(stats, RuleFailure):
                    self.problem(str(stats))
                    self.progress.close()
                    return EXIT_ERROR
                linter.merge(stats)
        self.progress.phase("fixing" if self.fixing else "checking", self.progress.done or None)
        task = Task(self.fixing, self.summary.unsafe_fixes)
        owners: deque[tuple[Source, bool]] = deque()

        def feed() -> Iterator[list[Item]]:
            for source, batch, last in reading.again():
                owners.append((source, last))
                yield batch

        results = self.progress.counting(backend.examine(feed(), linter.stats, task))
        for results_of_source in _by_source(results, owners):
            self.finish(*results_of_source)
        self.progress.close()
        if baseline is not None:
            self.diagnostics = baseline.apply(self.diagnostics, [s.path for s in sources])
        self.report()
        if baseline is not None and not self.args.quiet:
            print(f"textmend: {baseline.note}", file=sys.stderr)
        if self.summary.errors:
            return EXIT_ERROR
        if self.diffing:
            return EXIT_FINDINGS if self.changes else EXIT_CLEAN
        if self.diagnostics and not self.args.exit_zero:
            return EXIT_FINDINGS
        return EXIT_CLEAN

    def finish(self, source: Source, results: Iterator[Outcome | InputProblem]) -> None:
        """Report one source and, when fixing, write it, as its results come in: fixed
        texts go straight into the file being written, and only the findings stay."""
        outcomes: list[Outcome] = []
        changes = 0

        def take(item: Outcome | InputProblem) -> bool:
            """Count and keep one result; False for a problem (the source is not written)."""
            nonlocal changes
            if isinstance(item, InputProblem):
                self.problem(str(item))
                return False
            self.summary.documents += 1
            if item.error is not None:
                self.problem(item.error)
                return False
            outcomes.append(item)
            changes += item.fixed is not None
            return True

        def fixed_texts() -> Iterator[tuple[int, str]]:
            for item in results:
                if not take(item):
                    raise _NotWritten
                if isinstance(item, Outcome) and item.fixed is not None:
                    yield item.key, item.fixed

        written = self.writing and self.store(source, fixed_texts())
        for item in results:  # all of them when nothing is written, else what a problem left
            take(item)
        self.changes += changes
        if self.writing and not written and changes:
            self.problem(f"{source.path}: not written, because of the problems above")
        if self.diffing:
            self.print_diff(source, outcomes)
        for outcome in outcomes:
            if written and outcome.applied:
                self.summary.fixed += outcome.applied
                self.summary.fixed_documents += 1
            # what is not written is reported as it stays
            self.diagnostics.extend(outcome.diagnostics if written else outcome.initial)

    def store(self, source: Source, fixed: Iterator[tuple[int, str]]) -> bool:
        """Write the fixed texts into the source, or into its copy under `--output`;
        False when a problem stopped it (nothing is written then)."""
        destination = source.path
        try:
            if self.args.output and not isinstance(source, StdinSource):
                destination = _output_path(self.args.output, source.path)
            source.write(fixed, destination)
        except _NotWritten:
            return False
        except (OSError, SourceChanged) as error:
            self.problem(f"{source.path}: not written: {error}")
            return False
        except Exception as error:  # a bug in textmend: this file is not written, others are
            self.problem(
                f"{source.path}: not written: internal error: {type(error).__name__}: {error}"
            )
            return False
        return True

    def print_diff(self, source: Source, outcomes: list[Outcome]) -> None:
        changed = {o.key: o.fixed for o in outcomes if o.fixed is not None}
        if changed:
            for doc in source.documents():
                if isinstance(doc, Document) and doc.line in changed:
                    sys.stdout.write(_diff(doc, changed[doc.line] or ""))

    def report(self) -> None:
        # `fix -` prints the fixed text on stdout: the report goes to stderr then
        stdin_fix = self.writing and "-" in self.args.paths
        stream = sys.stderr if stdin_fix else sys.stdout
        if self.diffing:
            return
        self.summary.color = use_color(stream)
        self.summary.quiet = self.args.quiet
        if self.args.statistics:
            if self.args.format == "json":
                stream.write(json.dumps(statistics(self.diagnostics), indent=2) + "\n")
            else:
                stream.write(render_statistics(self.diagnostics))
            return
        stream.writelines(renderer(self.args.format)(self.diagnostics, self.summary))


class _NotWritten(Exception):
    """A problem in a source while its fixed copy was being written: drop the copy."""


def _by_source(
    results: Iterator[list[Outcome | InputProblem]], owners: deque[tuple[Source, bool]]
) -> Iterator[tuple[Source, Iterator[Outcome | InputProblem]]]:
    """The results of each source in turn, as one iterator per source that reads the
    backend's batches as far as that source's last one (read each fully in turn)."""
    while True:
        first = next(results, None)
        if first is None:
            return
        source, last = owners.popleft()

        def of_source(
            batch: list[Outcome | InputProblem], last: bool
        ) -> Iterator[Outcome | InputProblem]:
            yield from batch
            while not last:
                batch = next(results)
                _, last = owners.popleft()
                yield from batch

        items = of_source(first, last)
        yield source, items
        for _ in items:  # whatever the consumer left unread
            pass


BATCH_DOCUMENTS = 64  # documents per batch of work, at most
BATCH_CHARACTERS = 1 << 18  # characters per batch, at most (a batch is a few hundred KB)


def batches(
    sources: Iterable[Source], raw: bool = False
) -> Iterator[tuple[Source, list[Item], bool]]:
    """The documents of the sources, read lazily, in batches of one source each, with
    whether the batch is its source's last (a source that yields nothing yields one
    empty batch, so that every source is finished); `raw`: with a corpus's records
    possibly not yet read (`RawRecord`), for the workers to read."""
    for source in sources:
        batch: list[Item] = []
        characters = 0
        for item in source.raw_items() if raw else source.documents():
            batch.append(item)
            characters += size(item)
            if len(batch) >= BATCH_DOCUMENTS or characters >= BATCH_CHARACTERS:
                yield source, batch, False
                batch, characters = [], 0
        yield source, batch, True


# texts of up to this many characters in all are read once for both phases
KEEP_CHARACTERS = 1 << 24


class Reading:
    """The batches of the sources for phase one, and again for phase two: from the texts
    that phase one read, when they are small enough to keep (a warm run over 1,000 small
    files spent 0.06 s reading them a second time), else read again. What is kept is a
    fresh document of each text, without what the rules worked out from it in phase
    one. (A fix is written only if its file is still as phase one read it.) `raw`: as
    `batches` gives them."""

    def __init__(self, sources: list[Source], raw: bool = False) -> None:
        self.sources = sources
        self.raw = raw
        self.kept: list[tuple[Source, list[Item], bool]] | None = None

    def first(self) -> Iterator[tuple[Source, list[Item], bool]]:
        kept: list[tuple[Source, list[Item], bool]] | None = []
        characters = 0
        for source, batch, last in batches(self.sources, self.raw):
            yield source, batch, last
            # (once phase one has taken the batch: the copies keep the digests it took)
            if kept is not None:
                characters += sum(map(size, batch))
                if characters <= KEEP_CHARACTERS:
                    kept.append((source, [_fresh(item) for item in batch], last))
                else:
                    kept = None
        self.kept = kept  # once phase one has read every source

    def again(self) -> Iterator[tuple[Source, list[Item], bool]]:
        return batches(self.sources, self.raw) if self.kept is None else iter(self.kept)


def _fresh(item: Item) -> Item:
    return item.fresh() if isinstance(item, Document) else item


def open_sources(
    paths: list[str], settings: Settings, problem: Callable[[str], None]
) -> list[Source]:
    """The sources that the paths name (default: the working folder), each file once;
    what cannot be found is reported through `problem`."""
    sources: list[Source] = []
    seen: set[str] = set()
    folders: dict[str, str] = {}
    # without exclusions, no path is resolved against the configuration's folder
    excluded = settings.is_excluded if settings.exclude else lambda path: False
    for path in paths or ["."]:
        if path == "-":
            sources.append(read_stdin())
            continue
        for item in discover([path], excluded):
            if isinstance(item, InputProblem):
                problem(str(item))
                continue
            real = _real_path(item, folders)
            if real not in seen:
                seen.add(real)
                sources.append(source_for(item, settings.text_field, settings.id_field))
    return sources


def _real_path(path: str, folders: dict[str, str]) -> str:
    """`os.path.realpath(path)`, each folder resolved once (`folders`, by folder):
    realpath takes a system call per folder of the path, 9.5 ms for 1,000 files. A
    path's real path is its folder's, joined to its name, unless the path is a link."""
    if os.path.islink(path):
        return os.path.realpath(path)
    folder, name = os.path.split(path)
    real = folders.get(folder)
    if real is None:
        real = folders[folder] = os.path.realpath(folder or os.curdir)
    return os.path.join(real, name)


def _names(args: argparse.Namespace, settings: Settings) -> int:
    """`textmend names`: the variant groups of the corpus, for review and configuration."""
    from textmend.rules.lexicon import lexicon
    from textmend.rules.names import NameStats, collect_names, variant_groups

    lex = lexicon(settings.lang)
    if lex is None:
        _error(f"no lexicon for the language {settings.lang!r}: names cannot be compared")
        return EXIT_ERROR
    errors: list[str] = []

    def problem(message: str) -> None:
        errors.append(message)
        _error(message)

    stats = NameStats()
    for source in open_sources(args.paths, settings, problem):
        for item in source.documents():
            if isinstance(item, InputProblem):
                problem(str(item))
            else:
                stats.add(collect_names(item))
    preferred = settings.family_options.get("names", {}).get("canonical", [])
    groups = variant_groups(stats.names(lex), lex, preferred)
    if args.format == "json":
        print(json.dumps([g.to_json() for g in groups], ensure_ascii=False, indent=2))
    else:
        for group in groups:
            ordered = sorted(group.counts.items(), key=lambda i: (i[0] != group.canonical, -i[1]))
            for spelling, count in ordered:
                indent = "" if spelling == group.canonical else "    "
                places = ", ".join(group.places.get(spelling, []))
                print(f"{indent}{spelling} ({count}×)  {places}")
        variants = sum(len(g.counts) - 1 for g in groups)
        print(f"{len(groups)} names spelled several ways; {variants} spellings to review.")
    return EXIT_ERROR if errors else EXIT_CLEAN


def _output_path(folder: Path, path: str) -> str:
    """Where `--output DIR` puts a fixed copy: the path below the working folder, or
    the absolute path without its root; never outside DIR, not even through a link
    that DIR holds (OSError then)."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(Path.cwd())
    except ValueError:
        relative = absolute.relative_to(absolute.anchor)
    inside = os.path.realpath(folder)
    below = folder
    for part in relative.parts[:-1]:  # the folders that exist already: none leads out
        below = below / part
        if not os.path.lexists(below):
            break
        if os.path.commonpath([inside, os.path.realpath(below)]) != inside:
            raise OSError(f"{below} leads outside {folder} (a symbolic link)")
    return str(folder / relative)


def _diff(doc: Document, fixed: str) -> str:
    name = doc.label
    return "".join(
        difflib.unified_diff(
            doc.text.splitlines(keepends=True),
            fixed.splitlines(keepends=True),
            fromfile=f"a/{name}",
            tofile=f"b/{name}",
        )
    )


def _explain(code: str, fmt: str) -> int:
    rules = all_rules()
    if code not in rules:
        _error(f"unknown rule code {code!r}; `textmend rules` lists them")
        return EXIT_ERROR
    rule = rules[code]
    if fmt == "json":
        print(json.dumps(_rule_json(code), indent=2))
        return EXIT_CLEAN
    print(f"# {rule.name} ({code})\n")
    print(
        f"Family: {rule.family_name()} ({rule.family()}); scope: {rule.scope.value}; "
        f"fix: {rule.fix_availability.value}\n"
    )
    print(rule.documentation())
    return EXIT_CLEAN


def _rule_json(code: str) -> dict[str, object]:
    rule = all_rules()[code]
    return {
        "code": code,
        "name": rule.name,
        "family": rule.family(),
        "family_name": rule.family_name(),
        "summary": rule.summary,
        "scope": rule.scope.value,
        "fix": rule.fix_availability.value,
        "options": dict(rule.options),
        "explanation": rule.documentation(),
    }


def _list_rules(fmt: str) -> int:
    rules = all_rules()
    if fmt == "json":
        print(json.dumps([_rule_json(code) for code in rules], indent=2))
        return EXIT_CLEAN
    width = max(len(r.name) for r in rules.values())
    for code, rule in rules.items():
        print(
            f"{code}  {rule.name:<{width}}  {rule.family_name():<16} "
            f"{rule.fix_availability.value:<9} {rule.summary}"
        )
    return EXIT_CLEAN
