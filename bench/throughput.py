"""Throughput of textmend on generated news-like text, against baselines measured in
the same process over the same documents.

    python bench/throughput.py [--mb 100] [--family-mb 20] [--seed 7] [--families WP]
                               [--rare-names 0.2] [--corpus PATH] [--skip-runs]
                               [--pairs 3]

1. Generates a corpus of `--mb` MB of news-like documents with realistic defects
   (`bench/newsgen.py`) as one JSONL file (or reads `--corpus`).
2. Baselines over the same documents: `re.findall(r"\\w+")` (all of them),
   `ftfy.fix_text` (a tenth of them), a naive pipeline that runs ftfy and
   langdetect on every document (a fiftieth), and proselint's default checks (a
   fiftieth; when proselint is installed: `pip install 'textmend[bench]'`).
3. MB/s on one core for each rule family and for the whole default rule set, checked
   in this process over the first `--family-mb` MB (corpus pass and check pass), and
   the share of paragraphs the language rules settled without langdetect. In-process
   times are processor times; each family's ratio to `re.findall` is to a findall run
   just after it, since this machine's speed drifts over minutes.
4. The command line over the whole JSONL file, streamed: `check` and `fix --output`,
   with `--jobs 1` and `--jobs 2`, each in a fresh process with the cache off: wall
   time, MB/s, the speed-up from one job to two, and peak memory (the largest resident
   set of the main process plus that of its largest worker). With `--pairs N`, the
   runs with one job and with two alternate N times, and the speed-up is the median
   of the pairs' (the machine's speed drifts between runs).

MB are UTF-8 bytes of document text (10^6 bytes).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import ftfy
from newsgen import KINDS, corpus, inject, timed
from precompile import compile_textmend

from textmend.config import Settings
from textmend.document import Document
from textmend.engine import Linter, fewer_collections
from textmend.rule import FAMILIES, all_rules
from textmend.rules.language import COUNTS

WORD = re.compile(r"\w+")
# runs textmend's command line and reports its peak memory on stderr's last line
# (VmHWM, the peak of this process's own memory since it started: ru_maxrss would also
# count the benchmark process it was forked from; the workers' ru_maxrss counts the
# pages they share with the main process, so main + worker is an upper bound)
MEASURED = """
import re, resource, sys
from textmend.cli import main
status = main(sys.argv[1:])
own = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
print(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(status)
"""


def write_corpus(path: Path, megabytes: float, seed: int, rare_names: float) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for i, text in enumerate(corpus(int(megabytes * 1_000_000), seed, rare_names)):
            text = inject(text, rng, rng.sample(KINDS, rng.randint(0, 2)))[0]
            handle.write(json.dumps({"id": f"doc-{i}", "text": text}, ensure_ascii=False) + "\n")


def read_texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle]


def size_of(texts: list[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1_000_000


def proselint_checker() -> Callable[[str], object] | None:
    """proselint's default checks of one text, as its command runs them (None when
    proselint 0.16 or later, whose API this is, is not installed)."""
    try:
        from proselint.checks import __register__
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile
    except ImportError:
        return None
    CheckRegistry().register_many(__register__)
    return lambda text: LintFile("<corpus>", text).lint()


def naive_pipeline(text: str) -> object:
    """What users run today: ftfy and language detection on every document."""
    from langdetect import detect

    fixed = ftfy.fix_text(text)
    return detect(fixed) if fixed.strip() else None


def in_process(texts: list[str], families: str, baseline: float, others: dict[str, float]) -> None:
    """MB/s of each family and of the whole set, with its ratio to `re.findall` (run
    again beside it) and to the other baselines (`others`, by name)."""
    size = size_of(texts)
    print(f"\nin this process, one core, {len(texts)} documents, {size:.1f} MB:")
    names = "".join(f"{'× ' + name:>12}" for name in others)
    print(f"{'rules':28}{'MB/s':>8}{'findings':>10}{'× findall':>11}{names}")

    def warm_up() -> None:
        # loads the lexicons and whatever else rules load lazily, some only for words
        # that one document may not have (lemminflect's tables: 0.7 s)
        linter = Linter.from_settings(Settings())
        sample = [Document(t, f"warm-up{i}") for i, t in enumerate(texts[:50])]
        linter.collect(sample)
        for doc in sample:
            linter.check(doc)

    print(f"{'loading rules and lexicons':28}{timed(warm_up):8.2f} s (once per process)")
    present = sorted({code[0] for code in all_rules()}, key="WNBPULDT".index)
    for selection in [*(families or present), *([] if families else ["ALL"])]:
        linter = Linter.from_settings(Settings(select=[selection]))
        count = 0

        def check_all(linter: Linter = linter) -> None:
            # fresh documents for each pass, as a run reads its files again; the
            # collector's thresholds as the command sets them for the whole run (the
            # check pass too: in it, each corpus rule works out what it compares with)
            nonlocal count
            with fewer_collections():
                if linter.corpus_rules:
                    linter.collect(Document(t, f"doc{i}") for i, t in enumerate(texts))
                documents = (Document(t, f"doc{i}") for i, t in enumerate(texts))
                count = sum(len(linter.check(doc)) for doc in documents)

        COUNTS.reset()
        rate = size / timed(check_all)
        # the baseline again, next to this run: the machine's speed drifts over minutes
        baseline = size / timed(lambda: [WORD.findall(t) for t in texts])
        label = (
            "all default rules" if selection == "ALL" else f"{selection} ({FAMILIES[selection]})"
        )
        ratios = "".join(f"{rate / other:>12.2f}" for other in others.values())
        print(f"{label:28}{rate:8.2f}{count:>10}{rate / baseline:>11.3f}{ratios}")
        if selection in ("ALL", "L") and COUNTS.paragraphs:
            print(
                f"{'':28}{COUNTS.paragraphs:,} paragraphs judged: "
                f"{COUNTS.settled / COUNTS.paragraphs:.1%} settled by the common-word test, "
                f"{COUNTS.detector_calls / COUNTS.paragraphs:.2%} sent to langdetect"
            )


def command_line(path: Path, size: float, out: Path, pairs: int) -> None:
    """Each command with `--jobs 1` then `--jobs 2`, `pairs` times over: this machine's
    speed drifts over minutes, so a speed-up is taken within a pair (runs side by side),
    and the median pair is the figure."""
    compile_textmend()
    print(f"\nthe command line, streaming {path.name} ({size:.1f} MB), cache off:")
    print(f"{'run':28}{'wall s':>8}{'MB/s':>8}{'peak MB':>9}{'status':>8}")
    speedups: dict[str, list[float]] = {"check": [], "fix": []}
    for _ in range(pairs):
        for command in ("check", "fix"):
            walls = [run_command(path, size, out, command, jobs) for jobs in (1, 2)]
            speedups[command].append(walls[0] / walls[1])
    for command, found in speedups.items():
        each = ", ".join(f"{s:.2f}" for s in found)
        print(
            f"speed-up of {command} from 1 to 2 jobs: {statistics.median(found):.2f}"
            + (f" (median of {pairs} pairs: {each})" if pairs > 1 else "")
        )


def run_command(path: Path, size: float, out: Path, command: str, jobs: int) -> float:
    """Run the command line in a fresh process, print its line, return its wall time."""
    args = [command, str(path), "--jobs", str(jobs), "--no-cache", "--format", "json"]
    if command == "fix":
        args += ["--output", str(out / f"jobs{jobs}")]
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", MEASURED, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wall = time.perf_counter() - start
    main_kb, worker_kb = map(int, result.stderr.strip().splitlines()[-1].split())
    peak = (main_kb + (worker_kb if jobs > 1 else 0)) / 1024
    label = f"{command} --jobs {jobs}"
    print(f"{label:28}{wall:8.1f}{size / wall:8.2f}{peak:9.0f}{result.returncode:>8}")
    if result.returncode == 2:
        print(result.stderr, file=sys.stderr)
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0, help="size of the generated corpus")
    parser.add_argument("--family-mb", type=float, default=20.0, help="MB checked in-process")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--families", default="", help="family letters to time (default: all)")
    parser.add_argument(
        "--rare-names",
        type=float,
        default=0.2,
        help="share of surnames from the long tail of invented names (0: names recur)",
    )
    parser.add_argument("--corpus", type=Path, help="a JSONL corpus to read instead")
    parser.add_argument("--skip-runs", action="store_true", help="no command-line runs")
    parser.add_argument(
        "--pairs", type=int, default=1, help="command-line runs with 1 and 2 jobs, alternated"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.corpus or Path(folder) / "corpus.jsonl"
        if args.corpus is None:
            write_corpus(path, args.mb, args.seed, args.rare_names)
        texts = read_texts(path)
        size = size_of(texts)
        print(f"corpus: {len(texts)} documents, {size:.1f} MB ({path.name})")

        baseline = size / timed(lambda: [WORD.findall(t) for t in texts])
        findall = 're.findall(r"\\w+")'
        print(f"{findall:28}{baseline:8.1f} MB/s")
        sample = texts[::10]
        ftfy_rate = size_of(sample) / timed(lambda: [ftfy.fix_text(t) for t in sample])
        print(f"{'ftfy.fix_text (1/10 sample)':28}{ftfy_rate:8.2f} MB/s")
        few = texts[::50]
        naive_pipeline(texts[0])  # langdetect loads its profiles on the first call
        naive = size_of(few) / timed(lambda: [naive_pipeline(t) for t in few])
        print(f"{'ftfy + langdetect (1/50)':28}{naive:8.2f} MB/s")
        others = {"ftfy": ftfy_rate, "naive": naive}
        proselint = proselint_checker()
        if proselint is None:
            print(f"{'proselint':28}{'not installed':>13}")
        else:
            proselint(texts[0])  # its checks compile their patterns on the first call
            others["proselint"] = size_of(few) / timed(lambda: [proselint(t) for t in few])
            print(f"{'proselint (1/50)':28}{others['proselint']:8.2f} MB/s")

        share = texts
        while size_of(share) > args.family_mb * 1.02 and len(share) > 1:
            share = share[: int(len(share) * args.family_mb / size_of(share)) or 1]
        in_process(share, args.families, baseline, others)
        if not args.skip_runs:
            command_line(path, size, Path(folder), args.pairs)


if __name__ == "__main__":
    main()
