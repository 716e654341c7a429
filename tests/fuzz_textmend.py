"""A coverage-guided fuzz target over the Python API: `textmend.check` and `textmend.fix_text`.

    .venv/bin/pip install -e '.[fuzz]'                # atheris
    .venv/bin/python tests/fuzz_textmend.py --minutes 10

Each input becomes a text in one of three ways (its first byte says which): its bytes
decoded as UTF-8 (bad bytes replaced), atheris's unicode (lone surrogates included: a
JSONL record can hold them), or a sequence of fragments (seed lines, defects of every
family, odd characters, line endings) that the bytes choose. Then, for every text:

- `check` does not raise, and every finding lies inside the text (row and column);
- `fix_text`, safe and unsafe, does not raise (a fix that fails textmend's own check
  before writing, or that never settles, raises `RuleFailure`: a crash here);
- fixing with the document rules is idempotent: a second run changes nothing;
- safe fixes keep every letter and digit (case-folded, NFC), unless the text has
  mojibake, which the fixer checks itself against ftfy's explanation of the bytes;
- nothing takes more than `--hang` seconds (default 20).

A crash does not stop the run: its input, text and traceback go to `--crashes` (one
file per distinct place of failure) and the fuzzer goes on. The figures (executions,
seconds, crashes by place) are written to `--report` every 30 s and at the end, and
printed. Run as a plain script without atheris, `--replay FILE...` runs saved inputs
through the same checks (a crash then raises).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import signal
import sys
import time
import traceback
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
SEED_LINES = [
    line
    for path in sorted((ROOT / "seeds").glob("*.txt"))
    for line in path.read_text(encoding="utf-8").splitlines()
    if line.strip()
]
FRAGMENTS = [
    "NATO called it a “serious threat“for Europe.",
    "In view of the the winter.",
    "Koreawhich",
    "Lloyd Austinhe said",
    "govern-\nment",
    "inter national",
    "Zelenskyy",
    "Zelensky",
    "kyiv’s",
    "SErgei",
    "nor Von der Leyen say",
    "Skip to content",
    "Share it on Facebook",
    "Comments0",
    "300",
    "[Latest] Popular Now",
    "• a related story",
    "CP-2023-0359@fastviewkorea.com",
    "Photo: Reuters",
    "#Alarm #West #threat",
    "— Ursula von der Leyen (@vonderleyen) October 28, 2024",
    "FranÃ§ois",
    "donâ€™t",
    "\x93quoted\x94",
    "\x00",
    "\x0c",
    "\x1b[31m",
    "\u00a0",
    "\u200b",
    "\u00ad",
    "  ",
    "e\u0301",
    "\u0301",
    "\ufffd",
    "\ue000",
    "\u202e",
    "\u200f",
    "👍🏽",
    "🇺🇦",
    "the war.The talks",
    "Kyiv,Kharkiv",
    "Brussels , and",
    "elections They could",
    '"straight" and “curly”',
    "@President_KR ⭣",
    "He November 5 the results",
    "mediated by Taste",
    "U.S. 8.5 http://example.com/a.b",
    "Der Bundestag hat am Dienstag über den Haushalt abgestimmt und die Opposition kritisiert.",
    "ça",
    "שלום עולם",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    " ",
    ".",
    "“",
    "”",
    "'",
    '"',
    "-",
    "von ",
    "the ",
]


def letters(text: str) -> list[str]:
    """Letters and digits, case-folded and NFC, less terminal escape codes (U102 deletes
    them whole)."""
    plain = ANSI.sub("", unicodedata.normalize("NFC", text))
    return [c for c in plain.casefold() if c.isalnum()]


def text_of(data: bytes) -> str:
    """The text an input stands for (its first byte says how it is read)."""
    if not data:
        return ""
    mode, body = data[0] % 3, data[1:]
    if mode == 0:
        return body.decode("utf-8", "replace")
    if mode == 1:
        try:
            import atheris

            return str(atheris.FuzzedDataProvider(body).ConsumeUnicode(len(body)))
        except ImportError:  # replaying without atheris: the bytes as code points
            return body.decode("latin-1")
    pieces = []
    for byte in body:
        if byte < 192:
            pieces.append(FRAGMENTS[byte % len(FRAGMENTS)])
        else:
            pieces.append(SEED_LINES[byte % len(SEED_LINES)] + "\n")
    return "".join(pieces)


class Broken(AssertionError):
    """An invariant that does not hold."""


def examine(text: str) -> None:
    """Run the API on one text and check the invariants; raises on a crash."""
    import textmend
    from textmend.document import Document
    from textmend.rule import Scope, all_rules

    # the corpus rules see another corpus in a second run: the document rules only
    document_rules = [c for c, r in all_rules().items() if r.scope is Scope.DOCUMENT]

    doc = Document(text, "<text>")
    lines = doc.lines
    for finding in textmend.check(text):
        for row, column in (finding.location, finding.end_location):
            if not (1 <= row <= len(lines) and 1 <= column <= len(lines[row - 1].text) + 1):
                raise Broken(f"{finding.code} at {row}:{column}, outside the text")
    textmend.fix_text(text, unsafe_fixes=True)
    safe = textmend.fix_text(text)
    if letters(safe) != letters(text) and not any(
        f.code == "U101" for f in textmend.check(text, select=["U101"])
    ):
        raise Broken("a safe fix changed the letters and digits")
    for unsafe in (False, True):
        once = textmend.fix_text(text, unsafe_fixes=unsafe, select=document_rules)
        again = textmend.fix_text(once, unsafe_fixes=unsafe, select=document_rules)
        if again != once:
            raise Broken(f"fixing twice (unsafe={unsafe}) changed the text again")


class Hang(Exception):
    """One input took longer than the hang limit."""


class Fuzzer:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.crashes_folder = Path(args.crashes)
        self.report_path = Path(args.report)
        self.started = time.monotonic()
        self.deadline = self.started + args.minutes * 60
        self.executions = 0
        self.crashes: dict[str, dict[str, Any]] = {}
        self.last_report = self.started
        self.slowest = 0.0

    def one_input(self, data: bytes) -> None:
        text = text_of(data)
        began = time.monotonic()
        signal.alarm(self.args.hang)
        try:
            examine(text)
        except Exception as error:
            self.record(data, text, error)
        finally:
            signal.alarm(0)
        self.slowest = max(self.slowest, time.monotonic() - began)
        self.executions += 1
        now = time.monotonic()
        if now - self.last_report >= 30:
            self.write_report()
            self.last_report = now
        if now >= self.deadline:
            self.write_report()
            print(json.dumps(self.figures(), indent=2), flush=True)
            os._exit(1 if self.crashes else 0)

    def record(self, data: bytes, text: str, error: Exception) -> None:
        frames = traceback.extract_tb(error.__traceback__)
        ours = [f for f in frames if "textmend" in f.filename or "/lint/" in f.filename]
        place = ours[-1] if ours else frames[-1]
        key = f"{type(error).__name__} at {Path(place.filename).name}:{place.lineno}"
        entry = self.crashes.setdefault(key, {"count": 0, "example": None})
        entry["count"] += 1
        if entry["example"] is None:
            digest = hashlib.sha1(data).hexdigest()[:16]
            self.crashes_folder.mkdir(parents=True, exist_ok=True)
            (self.crashes_folder / f"crash-{digest}.bin").write_bytes(data)
            (self.crashes_folder / f"crash-{digest}.txt").write_text(
                f"{key}\n{text!r}\n\n" + "".join(traceback.format_exception(error)),
                encoding="utf-8",
            )
            entry["example"] = f"crash-{digest}.bin"
            entry["message"] = f"{type(error).__name__}: {error}"[:300]
            print(f"\n*** crash: {key}: {entry['message']}", file=sys.stderr, flush=True)

    def figures(self) -> dict[str, Any]:
        return {
            "executions": self.executions,
            "seconds": round(time.monotonic() - self.started, 1),
            "slowest_input_seconds": round(self.slowest, 3),
            "distinct_crashes": len(self.crashes),
            "crashes": self.crashes,
        }

    def write_report(self) -> None:
        self.report_path.parent.mkdir(parents=True, exist_ok=True)
        self.report_path.write_text(json.dumps(self.figures(), indent=2) + "\n", encoding="utf-8")


def seed_corpus(folder: Path) -> None:
    """Starting inputs: each seed file in pieces, and a few fragment sequences."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        data = path.read_bytes()
        for i in range(0, len(data), 2048):
            (folder / f"{path.stem}-{i}").write_bytes(b"\x00" + data[i : i + 2048])
    (folder / "fragments").write_bytes(b"\x02" + bytes(range(256)))


def expired(signum: int, frame: object) -> None:
    raise Hang("the input took longer than the hang limit")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to fuzz")
    parser.add_argument("--hang", type=int, default=20, help="seconds one input may take")
    parser.add_argument("--corpus", default=str(ROOT / "tests/artifacts/fuzz/corpus"))
    parser.add_argument("--crashes", default=str(ROOT / "tests/artifacts/fuzz/crashes"))
    parser.add_argument("--report", default=str(ROOT / "tests/artifacts/fuzz/report.json"))
    parser.add_argument("--replay", nargs="+", metavar="FILE", help="run saved inputs only")
    args, rest = parser.parse_known_args()
    signal.signal(signal.SIGALRM, expired)
    if args.replay:
        for name in args.replay:
            examine(text_of(Path(name).read_bytes()))
            print(f"{name}: ok")
        return 0
    import atheris

    with atheris.instrument_imports(include=["textmend"]):
        import textmend
        import textmend.rules

    textmend.check("warm up the lexicons")  # loaded once, before the clock starts
    corpus = Path(args.corpus)
    if not corpus.exists():
        seed_corpus(corpus)
    fuzzer = Fuzzer(args)
    libfuzzer = [
        sys.argv[0],
        *rest,
        "-max_len=4096",
        "-rss_limit_mb=4096",
        "-timeout=0",
        str(corpus),
    ]
    atheris.Setup(libfuzzer, fuzzer.one_input)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main())
