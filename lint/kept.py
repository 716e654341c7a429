"""What every run works out the same way from textmend's data and the packages it uses
(a language's lexicon, and the word sets the rules derive from it), kept between runs
in this user's cache folder, so that a run reads it instead of working it out again.

A rule's per-language derivation says so with `@kept()`. The first run that needs one
works out every registered derivation of the language (they are few, and a later run
may need the others) and keeps them, with the lexicon's own parts (see
`textmend.rules.lexicon`), in one file: `$XDG_CACHE_HOME/textmend/kept/<lang>-<key>`,
whose key is a digest of textmend's code, the versions of its packages and of Python.
A large value that few runs need is kept in a file of its own (`@kept("part")`, in
`<lang>.<part>-<key>`), read only by the runs that ask for it.
The file is marshalled (plain data only: strings, bytes, numbers, lists, dicts and
frozensets of them), under a digest of its content: a file that does not match is not
read, and its values are worked out again. Writing fails quietly.

Loading the English lexicon and its derivations this way takes 0.12 s; working them
out took 0.31 s, and importing wordfreq, which is then needed only when a run meets
another language, 0.07 s more.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from textmend import __version__

FORMAT = 1  # the layout of a kept file: a new one leaves the old files unread
KEEP = 2  # files kept per language (for another textmend or package version)
DIGEST = 20  # bytes of BLAKE2b before the content

T = TypeVar("T")

# the derivations that `@kept` registered, by the file they are kept in (see `_file`)
# and name
DERIVATIONS: dict[str, dict[str, Callable[[str], Any]]] = {}
_keeping: set[str] = set()  # the files whose derivations are being worked out


def user_folder() -> str:
    """textmend's folder in this user's cache folder (`$XDG_CACHE_HOME`, else
    `~/.cache`), outside any project."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(home, "textmend")


def kept(part: str = "") -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """A rule's derivation of a language's lexicon (a function of the language alone,
    whose value is plain data), worked out once per process and kept between runs: with
    the language's lexicon, or in a file of its own for a `part`."""

    def keeping(function: Callable[[str], T]) -> Callable[[str], T]:
        name = f"{function.__module__}.{function.__qualname__}"
        DERIVATIONS.setdefault(part, {})[name] = function

        @functools.cache
        @functools.wraps(function)
        def value(lang: str) -> T:
            file = _file(lang, part)
            values = held(file)
            if name not in values:
                if file in _keeping:  # (another derivation's work asks for this one)
                    values[name] = function(lang)
                else:
                    keep(lang, part)
            return values[name]  # type: ignore[no-any-return]

        return value

    return keeping


def _file(lang: str, part: str) -> str:
    return f"{lang}.{part}" if part else lang


@functools.cache
def held(file: str) -> dict[str, Any]:
    """What is kept in a file (a language's, `_file`): its values by name, read once
    per process (empty when nothing is kept, or what is there was written for another
    textmend). The lexicon adds its parts when it works them out, and `keep` the
    derivations."""
    try:
        with open(_path(file), "rb") as handle:
            data = handle.read()
    except OSError:
        return {}
    digest, content = data[:DIGEST], data[DIGEST:]
    if hashlib.blake2b(content, digest_size=DIGEST).digest() != digest:
        return {}  # torn or altered: worked out again
    try:
        values = marshal.loads(content)
    except (EOFError, ValueError, TypeError):
        return {}
    return values if isinstance(values, dict) else {}


def keep(lang: str, part: str = "") -> None:
    """Work out every registered derivation of a language (of a part) not held yet, and
    keep them with what else is held (the lexicon's parts)."""
    file = _file(lang, part)
    values = held(file)
    _keeping.add(file)
    try:
        for name, function in DERIVATIONS.get(part, {}).items():
            if name not in values:
                values[name] = function(lang)
    finally:
        _keeping.discard(file)
    try:
        content = marshal.dumps(values)
    except ValueError:  # a value that is not plain data: not kept
        return
    path = _path(file)
    temporary = f"{path}.{os.getpid()}.tmp"
    with contextlib.suppress(OSError):
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(hashlib.blake2b(content, digest_size=DIGEST).digest() + content)
        os.replace(temporary, path)
        _prune(os.path.dirname(path), file)
    with contextlib.suppress(OSError):
        os.unlink(temporary)  # (left only when writing failed)


@functools.cache
def _path(file: str) -> str:
    key = repr((FORMAT, __version__, code_digest(), package_versions(), sys.version_info[:2], file))
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=DIGEST)
    return os.path.join(user_folder(), "kept", f"{file}-{digest.hexdigest()}")


def _prune(folder: str, file: str) -> None:
    """Remove all but the `KEEP` versions of a file written last."""
    paths = [
        os.path.join(folder, name)
        for name in os.listdir(folder)
        if name.startswith(f"{file}-") and not name.endswith(".tmp")
    ]
    for path in sorted(paths, key=lambda path: os.stat(path).st_mtime_ns)[:-KEEP]:
        os.unlink(path)


@functools.cache
def code_digest() -> bytes:
    """A digest of textmend's files, in the keys of what is kept and of the cache's
    entries (a development install changes without a new version number)."""
    import textmend
    import textmend.rules

    digest = hashlib.blake2b(digest_size=20)
    folders: list[Path] = []
    for module in (textmend, textmend.rules):
        if module.__file__ is not None:
            folder = Path(module.__file__).resolve().parent
            if not any(folder == f or f in folder.parents for f in folders):
                folders.append(folder)
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if "__pycache__" in path.parts or path.suffix == ".pyc" or not path.is_file():
                continue
            data = path.read_bytes()
            name = path.relative_to(folder).as_posix()
            digest.update(f"{name}\0{len(data)}\0".encode("utf-8", "surrogatepass") + data)
    return digest.digest()


@functools.cache
def package_versions() -> tuple[tuple[str, str | None], ...]:
    """The versions of the packages textmend requires (word lists, detectors, ...)."""
    from importlib import metadata

    try:
        required = metadata.requires("textmend") or []
    except metadata.PackageNotFoundError:
        return ()
    names = sorted({m.group() for r in required if (m := re.match(r"[A-Za-z0-9._-]+", r))})
    versions: list[tuple[str, str | None]] = []
    for name in names:
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            versions.append((name, None))
    return tuple(versions)
