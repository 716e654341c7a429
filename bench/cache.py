"""The cache of issue 7: a warm re-run with one file changed, against a cold run.

The corpus is seeds/ replicated to 1,000 files (200 copies of each seed, under
distinct names). For each number of jobs, in a fresh Python process: a cold
`textmend check` (empty cache, in-process through `textmend.cli.main`, the report
kept in memory), then one file changed (a sentence added to its longest paragraph),
then the warm re-run; the target is warm < 10 % of cold. The outputs of the warm run
and of a `--no-cache` run on the changed corpus are compared (they must be the same).

`--cli` times the same two runs as separate `textmend` processes instead, as a
pre-commit hook runs them: the warm run then pays for starting Python and loading the
rules as well.

    python bench/cache.py [--jobs 1 2] [--format text] [--cli] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from precompile import compile_textmend

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
COPIES = 200
SENTENCE = " The talks will continue next week."


def build(folder: Path) -> Path:
    corpus = folder / "corpus"
    corpus.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        data = seed.read_bytes()
        for i in range(COPIES):
            (corpus / f"{seed.stem}_{i:03d}.txt").write_bytes(data)
    return corpus


def change(corpus: Path) -> Path:
    """Add a sentence to the longest paragraph of one file."""
    path = sorted(corpus.glob("*.txt"))[len(list(corpus.glob("*.txt"))) // 2]
    lines = path.read_text(encoding="utf-8").split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    lines[longest] += SENTENCE
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def in_process(folder: Path, jobs: int, fmt: str) -> dict[str, float | bool | str]:
    """Cold run, one file changed, warm run, in this process (called in a fresh one)."""
    from textmend.cli import main

    corpus = folder / "corpus"
    cache = folder / "cache"
    args = ["check", str(corpus), "--jobs", str(jobs), "--format", fmt, "--cache-dir", str(cache)]

    def run(*more: str) -> tuple[float, float, int, str]:
        start, cpu = time.perf_counter(), _cpu()
        with contextlib.redirect_stdout(io.StringIO()) as out:
            status = main([*args, *more])
        return time.perf_counter() - start, _cpu() - cpu, status, out.getvalue()

    cold, cold_cpu, cold_status, _ = run()
    changed = change(corpus)
    warm, warm_cpu, warm_status, warm_out = run()
    _, _, plain_status, plain_out = run("--no-cache")
    return {
        "cold": cold,
        "warm": warm,
        "cold cpu": cold_cpu,
        "warm cpu": warm_cpu,
        "changed": changed.name,
        "same": warm_out == plain_out and warm_status == plain_status == cold_status,
    }


def _cpu() -> float:
    """Processor time of this process and of its workers that have ended."""
    own, workers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def command_line(folder: Path, jobs: int, fmt: str) -> dict[str, float | bool | str]:
    """Cold run, one file changed, warm run, each a `textmend` process."""
    corpus = folder / "corpus"
    cache = folder / "cache"
    args = [sys.executable, "-m", "textmend", "check", str(corpus), "--jobs", str(jobs)]
    args += ["--format", fmt, "--cache-dir", str(cache)]

    def run() -> float:
        start = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, check=False)
        return time.perf_counter() - start

    cold = run()
    changed = change(corpus)
    return {"cold": cold, "warm": run(), "changed": changed.name, "same": True}


def measure(jobs: int, fmt: str, cli: bool) -> dict[str, float | bool | str]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        build(folder)
        if cli:
            return command_line(folder, jobs, fmt)
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(folder),
                "--jobs",
                str(jobs),
                "--format",
                fmt,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        result: dict[str, float | bool | str] = json.loads(child.stdout.splitlines()[-1])
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--format", default="text")
    parser.add_argument("--cli", action="store_true", help="separate textmend processes")
    parser.add_argument(
        "--repeat", type=int, default=1, help="report the fastest of N (the machine is shared)"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(in_process(args.child, args.jobs[0], args.format)))
        return
    how = "separate processes" if args.cli else "in-process"
    if args.cli:
        compile_textmend()
    print(f"seeds/ x {COPIES} = 1,000 files, one changed; check --format {args.format}, {how}")
    for jobs in args.jobs:
        runs = [measure(jobs, args.format, args.cli) for _ in range(args.repeat)]
        # the minimum: other jobs on the machine only ever add time
        cold = min(float(r["cold"]) for r in runs)
        warm = min(float(r["warm"]) for r in runs)
        same = all(r["same"] for r in runs)
        print(
            f"--jobs {jobs}: cold {cold:6.2f} s  warm {warm:5.2f} s  warm/cold {warm / cold:6.1%}"
            + ("" if args.cli else f"  output as without the cache: {'yes' if same else 'NO'}")
        )
        if not args.cli:
            cold_cpu = min(float(r["cold cpu"]) for r in runs)
            warm_cpu = min(float(r["warm cpu"]) for r in runs)
            print(
                f"  processor time: cold {cold_cpu:6.2f} s  warm {warm_cpu:5.2f} s  "
                f"warm/cold {warm_cpu / cold_cpu:6.1%}"
            )


if __name__ == "__main__":
    main()
