"""Headless Chromium, as the report's browser test and `bench/report_open.py` run it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

# offline and quiet: without the networking flags Chromium waits on refused connections
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
)


def find_chromium() -> str | None:
    """The Chromium (or Chrome) on the PATH, if any."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def browse(
    browser: str, profile: Path, *args: str, timeout: float = 120, check: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with a fresh profile folder and these arguments."""
    return subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )
