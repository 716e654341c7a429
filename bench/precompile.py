"""Compile textmend's modules to bytecode before timing separate `textmend` processes.

An installed textmend has its bytecode (pip compiles it when it installs a package), and
an editable install writes it on its first run, unless Python is told not to write
bytecode (`PYTHONDONTWRITEBYTECODE`, which some machines set, this one among them):
then every process compiles textmend's sources again, 0.3 s of a run that starts from
the cache. `compileall` writes the bytecode whatever that setting (into the source
folders' `__pycache__`, which git ignores), so that the benchmarks time what users run.
"""

from __future__ import annotations

import compileall

import textmend
import textmend.rules


def compile_textmend() -> None:
    for folder in [*textmend.__path__, *textmend.rules.__path__]:
        compileall.compile_dir(folder, quiet=1)
