"""The code is clean: `ruff check`, `ruff format --check` and mypy pass.

ruff and mypy come with the `[test]` extra (pip install -e '.[test]'); without them
these tests skip. A failure prints what the tool said.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
# the folders ruff looks at, those of them that exist (bench/ may not)
FOLDERS = [name for name in ("lint", "rules", "tests", "bench") if (ROOT / name).is_dir()]


def _needs(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install -e '.[test]')")


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    _needs("ruff")
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *FOLDERS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _typecheck() -> ModuleType:
    """tests/typecheck.py, loaded by path (tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location("typecheck", ROOT / "tests" / "typecheck.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _passes(result: subprocess.CompletedProcess[str], what: str) -> None:
    if result.returncode != 0:
        pytest.fail(f"{what} failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")


def test_ruff_check() -> None:
    result = _ruff("check", "--no-fix", "--output-format", "full")
    _passes(result, f"ruff check {' '.join(FOLDERS)}")


def test_ruff_format() -> None:
    result = _ruff("format", "--check", "--diff")
    _passes(result, f"ruff format --check {' '.join(FOLDERS)}")


def test_mypy() -> None:
    _needs("mypy")
    _passes(_typecheck().run_mypy(), "mypy (tests/typecheck.py)")
