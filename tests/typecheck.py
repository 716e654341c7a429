"""Run mypy on the textmend package as it is installed: `lint/` as `textmend` and
`rules/` as `textmend.rules`.

An editable install maps the folders with an import hook that mypy cannot follow, so
this builds the same package as a tree of links in a temporary folder and checks that.
Used by the test suite and by the pre-commit hook: `python tests/typecheck.py`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def link_tree(target: Path) -> Path:
    package = target / "textmend"
    package.mkdir()
    for entry in (ROOT / "lint").iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    (package / "rules").symlink_to(ROOT / "rules")
    return package


def run_mypy() -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as folder:
        link_tree(Path(folder))
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "mypy",
                "--config-file",
                str(ROOT / "pyproject.toml"),
                "-p",
                "textmend",
            ],
            cwd=folder,
            capture_output=True,
            text=True,
            env=None,
        )


if __name__ == "__main__":
    result = run_mypy()
    sys.stdout.write(result.stdout + result.stderr)
    sys.exit(result.returncode)
