"""Configuration: [tool.textmend] or textmend.toml, checked key by key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DEFECTIVE, Result

from textmend.config import ConfigError, load_settings, matches_any

Run = Callable[..., Result]


def codes(result: Result) -> set[str]:
    return {f["code"] for f in result.json()}


def test_pyproject_table_is_found_from_a_subfolder(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.textmend]\nselect = ["P"]\n', encoding="utf-8"
    )
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "sub")
    assert codes(run("check", "--format", "json", "a.txt")) == {"P101", "P102"}


def test_pyproject_without_table_is_passed_over(run: Run, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    assert "D101" in codes(run("check", "--format", "json", "a.txt"))


def test_textmend_toml_and_command_line_override(run: Run, tmp_path: Path) -> None:
    (tmp_path / "textmend.toml").write_text('ignore = ["D"]\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    assert "D101" not in codes(run("check", "--format", "json", "a.txt"))
    assert codes(run("check", "--ignore", "U", "--format", "json", "a.txt")) == {
        "P101",
        "P102",
        "D101",
    }


def test_per_file_ignores_and_exclude(run: Run, tmp_path: Path) -> None:
    (tmp_path / "textmend.toml").write_text(
        'exclude = ["drafts"]\n[per-file-ignores]\n"legacy/*.txt" = ["P", "U104"]\n',
        encoding="utf-8",
    )
    for folder in ("legacy", "new", "drafts"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    # the same text in two documents is a duplicate (D103, D104): not this test's subject
    findings = run("check", "--ignore", "D103,D104", "--format", "json", ".").json()
    by_file: dict[str, set[str]] = {}
    for f in findings:
        by_file.setdefault(f["filename"], set()).add(f["code"])
    assert by_file == {"legacy/a.txt": {"D101"}, "new/a.txt": {"P101", "P102", "D101", "U104"}}


def test_per_file_ignores_also_stop_fixes(run: Run, tmp_path: Path) -> None:
    (tmp_path / "textmend.toml").write_text(
        '[per-file-ignores]\n"a.txt" = ["P"]\n', encoding="utf-8"
    )
    path = tmp_path / "a.txt"
    path.write_text(DEFECTIVE, encoding="utf-8")
    run("fix", "a.txt")
    assert "“serious threat“for" in path.read_text(encoding="utf-8")


def test_vocabularies(run: Run, tmp_path: Path) -> None:
    (tmp_path / "vocab").mkdir()
    (tmp_path / "vocab" / "accept.txt").write_text("# names\nthe the\n", encoding="utf-8")
    (tmp_path / "vocab" / "reject.txt").write_text("Taste\n\n", encoding="utf-8")
    (tmp_path / "textmend.toml").write_text(
        'accept-vocabulary = "vocab/accept.txt"\nreject-vocabulary = ["vocab/reject.txt"]\n',
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text(
        "In view of the the winter, mediated by Taste.\n", encoding="utf-8"
    )
    findings = run("check", "--format", "json", "a.txt").json()
    assert [(f["code"], f["location"]["column"]) for f in findings] == [("T201", 40)]


def test_family_options_are_passed_to_rules(run: Run, tmp_path: Path) -> None:
    (tmp_path / "textmend.toml").write_text(
        '[unicode]\nallowed-spaces = ["\\u00a0"]\n', encoding="utf-8"
    )
    (tmp_path / "a.txt").write_text("a\u00a0b\u200bc\n", encoding="utf-8")
    findings = run("check", "--format", "json", "a.txt").json()
    assert [f["location"]["column"] for f in findings] == [4]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("selct = []\n", "unknown key 'selct'"),
        ('select = "P"\n', "'select' must be a list of strings, not str"),
        ("select = [1]\n", "'select' must be a list of strings"),
        ('select = ["Q1"]\n', "unknown rule selector 'Q1'"),
        ('lang = "English"\n', "'lang' must be a language code"),
        ("[unicode]\nallowed = 1\n", "unknown option 'unicode.allowed'"),
        ('[unicode]\nallowed-spaces = "x"\n', "'unicode.allowed-spaces' must be list"),
        ("[per-file-ignores]\n'*.md' = 'P'\n", "must be a list of strings"),
        ('accept-vocabulary = "missing.txt"\n', "cannot read the vocabulary"),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_bad_configuration_exits_2(run: Run, tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "textmend.toml").write_text(content, encoding="utf-8")
    (tmp_path / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    result = run("check", "a.txt")
    assert result.status == 2
    assert "textmend.toml" in result.err and message in result.err
    assert result.out == ""


def test_explicit_config_file(run: Run, tmp_path: Path) -> None:
    (tmp_path / "custom.toml").write_text('select = ["D"]\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text(DEFECTIVE, encoding="utf-8")
    assert codes(run("check", "--config", "custom.toml", "--format", "json", "a.txt")) == {"D101"}
    missing = run("check", "--config", "nope.toml", "a.txt")
    assert missing.status == 2 and "nope.toml: no such configuration file" in missing.err


def test_load_settings_defaults_without_any_file(tmp_path: Path) -> None:
    settings = load_settings(start=tmp_path)
    assert settings.source is None and settings.lang == "en" and settings.select == []


def test_glob_matching() -> None:
    assert matches_any("a/b/c.txt", ["b"])  # a folder name anywhere
    assert matches_any("a/b/c.txt", ["*.txt"])
    assert matches_any("a/b/c.txt", ["a/b"])  # a folder by its path
    assert not matches_any("a/b/c.txt", ["c"])
    assert not matches_any("a/bc/d.txt", ["a/b"])


def test_config_error_is_an_exception_with_the_file() -> None:
    with pytest.raises(ConfigError, match=r"nope\.toml"):
        load_settings(Path("nope.toml"))
