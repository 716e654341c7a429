"""Phrase and word lists, and `|`-separated tables, that rules read from
`rules/data/<name>.<lang>.txt`, loaded once."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def base_lang(lang: str) -> str:
    """The language of a tag without its region or script: `en` for `en-GB` or `EN_us`."""
    return lang.split("-")[0].split("_")[0].lower()


@cache
def word_list(lang: str, name: str) -> frozenset[str]:
    """The entries of `data/<name>.<lang>.txt` (empty when that language has no list)."""
    path = resources.files("textmend.rules.data").joinpath(f"{name}.{lang}.txt")
    if not path.is_file():
        return frozenset()
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


@cache
def table(lang: str, name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of `data/<name>.<lang>.txt`, a list with fields separated by `|` (each
    stripped, trailing empty ones dropped), in file order; empty for no such file."""
    path = resources.files("textmend.rules.data").joinpath(f"{name}.{lang}.txt")
    if not path.is_file():
        return ()
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            fields = [field.strip() for field in line.split("|")]
            while fields and not fields[-1]:
                fields.pop()
            rows.append(tuple(fields))
    return tuple(rows)


@cache
def sources_into(name: str, target: str) -> tuple[str, ...]:
    """The source languages that have a `data/<name>.<source>-<target>.txt` (language
    pairs, as the translation rules read them), sorted."""
    prefix, suffix = f"{name}.", f"-{target}.txt"
    folder = resources.files("textmend.rules.data")
    return tuple(
        sorted(
            entry.name[len(prefix) : -len(suffix)]
            for entry in folder.iterdir()
            if entry.name.startswith(prefix) and entry.name.endswith(suffix)
        )
    )
