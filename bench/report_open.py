"""The HTML report with many findings: how big it is, how long it takes to write, and how
long headless Chromium takes to open it.

A corpus of generated news documents (`bench/newsgen.py`) with defects injected, as
JSONL, sized to about `--findings` findings (default 10,000); then:

- `textmend report` on it (all documents shown), its wall time and the page's size;
- headless Chromium (a fresh profile each time) opening the page: the time from
  navigation to the end of the page's script (`data-ready-ms`: the whole page parsed
  and its script run) and to the load event (`data-load-ms`), read from the DOM that
  `--dump-dom` prints; the same with `#f-N` in the address (the first click: the
  findings' data parsed and a finding shown in the panel); the wall time of
  `--dump-dom` and of `--screenshot` of the first screen, against the same for the
  seeds' report (Chromium's own start-up, which the difference leaves out).

    python bench/report_open.py [--findings 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import newsgen  # noqa: E402
from headless import browse, find_chromium  # noqa: E402

TEXTMEND = [sys.executable, "-m", "textmend"]


def build(folder: Path, findings: int) -> Path:
    """JSONL documents with injected defects: about six findings a document."""
    rng = random.Random(11)
    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(findings // 6 + 1):
            text, _ = newsgen.inject(newsgen.document(rng), rng, newsgen.KINDS)
            handle.write(json.dumps({"id": f"doc-{i}", "text": text}) + "\n")
    return path


def chromium(folder: Path, *args: str) -> tuple[float, str]:
    browser = find_chromium()
    if browser is None:
        sys.exit("no Chromium: apt-get install chromium")
    profile = Path(tempfile.mkdtemp(dir=folder))
    start = time.perf_counter()
    done = browse(browser, profile, *args, timeout=300, check=True)
    took = time.perf_counter() - start
    shutil.rmtree(profile, ignore_errors=True)
    return took, done.stdout


def timings(dom: str) -> dict[str, float]:
    body = re.search(r"<body([^>]*)>", dom)
    assert body is not None
    found = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body.group(1)))
    assert found.get("ready") == "1", "the page's script did not run"
    return {key: float(value) for key, value in found.items() if key.endswith("-ms")}


def opening(folder: Path, page: Path, repeat: int, chosen: int) -> dict[str, float]:
    url = page.as_uri()
    rows: dict[str, list[float]] = {}
    for _ in range(repeat):
        wall, dom = chromium(folder, "--dump-dom", url)
        inside = timings(dom)
        clicked_wall, clicked_dom = chromium(folder, "--dump-dom", f"{url}#f-{chosen}")
        clicked = timings(clicked_dom)
        assert f'data-findings="{chosen}' in clicked_dom, "the finding was not opened"
        shot_wall, _ = chromium(
            folder, "--window-size=1400,1000", f"--screenshot={folder / 'shot.png'}", url
        )
        for key, value in (
            ("script done (ms)", inside["ready-ms"]),
            ("load event (ms)", inside["load-ms"]),
            ("with #f-N: script done (ms)", clicked["ready-ms"]),
            ("dump-dom wall (s)", wall),
            ("dump-dom #f-N wall (s)", clicked_wall),
            ("screenshot wall (s)", shot_wall),
        ):
            rows.setdefault(key, []).append(value)
    return {key: statistics.median(values) for key, values in rows.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        corpus = build(folder, args.findings)
        checked = subprocess.run(
            [*TEXTMEND, "check", "--no-cache", "--format", "json", str(corpus)],
            capture_output=True,
            text=True,
            check=False,
        )
        findings = json.loads(checked.stdout)
        page = folder / "report.html"
        start = time.perf_counter()
        every = ["--max-documents", "1000000"]
        subprocess.run(
            [*TEXTMEND, "report", "--no-cache", "-q", *every, str(corpus), "-o", str(page)],
            check=True,
        )
        written = time.perf_counter() - start
        seeds_page = folder / "seeds.html"
        subprocess.run(
            [*TEXTMEND, "report", "--no-cache", "-q", str(ROOT / "seeds"), "-o", str(seeds_page)],
            check=True,
        )
        documents = sum(1 for _ in corpus.open(encoding="utf-8"))
        print(f"corpus: {documents:,} documents, {corpus.stat().st_size / 1e6:.1f} MB of JSONL")
        print(f"findings: {len(findings):,}")
        print(f"report written in {written:.1f} s; page {page.stat().st_size / 1e6:.1f} MB")
        print(f"seeds' page {seeds_page.stat().st_size / 1e3:.0f} KB")
        big = opening(folder, page, args.repeat, len(findings) // 2)
        small = opening(folder, seeds_page, args.repeat, 10)
        print(f"\nheadless Chromium, median of {args.repeat}:")
        print(f"{'':34} {'10k page':>10} {'seeds':>10}")
        for key in big:
            print(f"{key:34} {big[key]:10.2f} {small[key]:10.2f}")


if __name__ == "__main__":
    main()
