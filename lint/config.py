"""Configuration: `[tool.textmend]` in the nearest pyproject.toml, or a textmend.toml.

Every key is checked: an unknown key or a value of the wrong type is a `ConfigError`
naming the file and the key, which the command line turns into exit status 2.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textmend.rule import FAMILIES, Rule, RuleContext, all_rules

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_FILES = ("textmend.toml", "pyproject.toml")
LANG_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]+)?$")


class ConfigError(Exception):
    """A configuration that cannot be used; the message says where and why."""


@dataclass
class Settings:
    """Everything a run is configured with, after the command line's overrides."""

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    lang: str = "en"
    text_field: str = "text"
    id_field: str = "id"
    accept: frozenset[str] = frozenset()
    reject: tuple[str, ...] = ()
    family_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    # the folder that relative globs and paths in the configuration start from
    root: Path = field(default_factory=Path.cwd)
    source: Path | None = None

    def context(self) -> RuleContext:
        return RuleContext(
            lang=self.lang, options=self.family_options, accept=self.accept, reject=self.reject
        )

    def relative(self, path: str) -> str:
        """A path as globs in the configuration see it: relative to the config's folder."""
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return Path(path).as_posix()

    def is_excluded(self, path: str) -> bool:
        return matches_any(self.relative(path), self.exclude)

    def ignored_codes(self, path: str) -> set[str]:
        """The rule selectors that `per-file-ignores` turns off for this path."""
        relative = self.relative(path)
        return {
            code
            for pattern, codes in self.per_file_ignores.items()
            if matches_any(relative, [pattern])
            for code in codes
        }


def matches_any(relative: str, patterns: Iterable[str]) -> bool:
    """Glob match: a pattern with '/' against the relative path or one of its folders,
    a pattern without '/' against any single part of it (a file or folder name)."""
    parts = relative.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        candidates = prefixes if "/" in pattern else parts
        if any(fnmatch.fnmatchcase(candidate, pattern) for candidate in candidates):
            return True
    return False


def find_config(start: Path) -> Path | None:
    """The nearest textmend.toml, or pyproject.toml with a [tool.textmend] table."""
    for folder in [start, *start.parents]:
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "textmend.toml" or "textmend" in _read_toml(candidate).get("tool", {}):
                return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the configuration: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error


def load_settings(explicit: Path | None = None, start: Path | None = None) -> Settings:
    """Settings from an explicit file, else the nearest configuration, else defaults."""
    path = explicit if explicit is not None else find_config(start or Path.cwd())
    if path is None:
        return Settings(root=start or Path.cwd())
    if explicit is not None and not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    data = _read_toml(path)
    if "textmend" in data.get("tool", {}):
        data = data["tool"]["textmend"]
    elif path.name == "pyproject.toml":
        data = {}  # a pyproject.toml without a [tool.textmend] table: the defaults
    return parse_settings(data, path)


def _check_type(path: Path, key: str, value: Any, expected: type, what: str) -> None:
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ConfigError(f"{path}: '{key}' must be {what}, not {type(value).__name__}")


def _string_list(path: Path, key: str, value: Any) -> list[str]:
    _check_type(path, key, value, list, "a list of strings")
    if not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{path}: '{key}' must be a list of strings")
    return list(value)


def _family_options(path: Path, family: str, table: Any) -> dict[str, Any]:
    _check_type(path, family, table, dict, "a table")
    known: dict[str, Any] = {}
    for rule in all_rules().values():
        if rule.family_name() == family:
            known.update(rule.options)
    for key, value in table.items():
        if key not in known:
            names = ", ".join(sorted(known)) or "none"
            raise ConfigError(f"{path}: unknown option '{family}.{key}' (known: {names})")
        default = known[key]
        _check_type(path, f"{family}.{key}", value, type(default), type(default).__name__)
    return dict(table)


def _inside(config: Path, key: str, name: str) -> Path:
    """A file that the configuration names, which must be inside its folder (after
    links are followed): a configuration cannot make textmend read anything else."""
    folder = config.parent.resolve()
    target = (config.parent / name).resolve()
    if not target.is_relative_to(folder):
        raise ConfigError(
            f"{name!r} is outside the configuration's folder ({config.parent}): files "
            f"that a configuration names must be inside it"
        )
    return config.parent / name


def read_vocabulary(path: Path) -> list[str]:
    """One entry a line; blank lines and lines starting with '#' are skipped."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the vocabulary: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: the vocabulary is not valid UTF-8") from error
    entries = (line.strip() for line in text.splitlines())
    return [entry for entry in entries if entry and not entry.startswith("#")]


def parse_settings(data: Mapping[str, Any], path: Path) -> Settings:
    settings = Settings(root=path.parent, source=path)
    lists = {"select": "select", "ignore": "ignore", "exclude": "exclude"}
    strings = {"lang": "lang", "text-field": "text_field", "id-field": "id_field"}
    vocabularies = {"accept-vocabulary", "reject-vocabulary"}
    family_names = set(FAMILIES.values())
    for key, value in data.items():
        if key in lists:
            setattr(settings, lists[key], _string_list(path, key, value))
        elif key in strings:
            _check_type(path, key, value, str, "a string")
            setattr(settings, strings[key], value)
        elif key == "per-file-ignores":
            _check_type(path, key, value, dict, "a table of glob = [codes]")
            settings.per_file_ignores = {
                glob: _string_list(path, f"{key}.{glob}", codes) for glob, codes in value.items()
            }
        elif key in vocabularies:
            files = [value] if isinstance(value, str) else _string_list(path, key, value)
            try:
                entries = [e for f in files for e in read_vocabulary(_inside(path, key, f))]
            except ConfigError as error:
                raise ConfigError(f"{path}: '{key}': {error}") from error
            if key == "accept-vocabulary":
                settings.accept = frozenset(entries)
            else:
                settings.reject = tuple(entries)
        elif key in family_names:
            settings.family_options[key] = _family_options(path, key, value)
        else:
            raise ConfigError(f"{path}: unknown key '{key}'")
    if not LANG_CODE.match(settings.lang):
        raise ConfigError(
            f"{path}: 'lang' must be a language code such as 'en', not {settings.lang!r}"
        )
    for selector in [
        *settings.select,
        *settings.ignore,
        *(code for codes in settings.per_file_ignores.values() for code in codes),
    ]:
        check_selector(selector, str(path))
    return settings


def check_selector(selector: str, where: str) -> None:
    if selector != "ALL" and not any(code.startswith(selector) for code in all_rules()):
        raise ConfigError(f"{where}: unknown rule selector {selector!r}")


def select_rules(settings: Settings) -> list[type[Rule]]:
    """The rules the run checks: `select` (default: all) less `ignore`, in code order."""
    for selector in [*settings.select, *settings.ignore]:
        check_selector(selector, "--select/--ignore")
    return [
        rule
        for code, rule in all_rules().items()
        if matches_selector(code, settings.select or ["ALL"])
        and not matches_selector(code, settings.ignore)
    ]


def matches_selector(code: str, selectors: Iterable[str]) -> bool:
    return any(s == "ALL" or code.startswith(s) for s in selectors)
