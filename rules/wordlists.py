"""Phrase and word lists that rules read from `rules/data/<name>.<lang>.txt`, loaded once."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def word_list(lang: str, name: str) -> frozenset[str]:
    """The entries of `data/<name>.<lang>.txt` (empty when that language has no list)."""
    path = resources.files("textmend.rules.data").joinpath(f"{name}.{lang}.txt")
    if not path.is_file():
        return frozenset()
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))
