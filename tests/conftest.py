"""Shared helpers: run the command line in-process and capture what it prints."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from textmend.cli import main

# what textmend keeps in the user's cache folder (the cache's key, `textmend.kept`'s
# files) goes to a folder of the test run's own, and so for the processes it starts
USER_CACHE = tempfile.mkdtemp(prefix="textmend-tests-")
os.environ["XDG_CACHE_HOME"] = USER_CACHE
atexit.register(shutil.rmtree, USER_CACHE, ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# one defect of each kind the first rules fix: a reversed quote with a dropped space
# (safe), a doubled word (unsafe), trailing white space (safe)
DEFECTIVE = "NATO called it a “serious threat“for Europe.  \nIn view of the the winter.\n"
SAFE_FIXED = "NATO called it a “serious threat” for Europe.\nIn view of the the winter.\n"
ALL_FIXED = "NATO called it a “serious threat” for Europe.\nIn view of the winter.\n"
CLEAN = "The ministers met in Brussels on Tuesday.\n"


@dataclass
class Result:
    status: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[..., Result]:
    """Run `textmend ARGS` in tmp_path (so no project configuration is found)."""
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str) -> Result:
        status = main(list(args))
        captured = capsys.readouterr()
        return Result(status, captured.out, captured.err)

    return invoke
