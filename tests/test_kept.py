"""What textmend keeps between runs in the user's cache folder: a language's lexicon
and the rules' derivations of it, read by the next run instead of worked out again."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

import textmend.kept
from textmend.kept import DERIVATIONS, held, keep
from textmend.rules.lexicon import COMMON, FREQUENCIES, TOP, lexicon

# a new process: what it reads of the kept file, and whether it imported wordfreq
PROBE = """
import sys
from textmend.rules.lexicon import lexicon
from textmend.rules.word_boundaries import _split_rights
lex = lexicon("en")
print(len(lex.frequencies), len(_split_rights("en")), "wordfreq" in sys.modules)
"""


def probe(cache_home: Path) -> list[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.split()


def kept_files(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "textmend" / "kept").glob("en*"))


def test_a_run_reads_what_the_first_run_kept(tmp_path: Path) -> None:
    first = probe(tmp_path)
    assert first[2] == "True"  # nothing kept yet: wordfreq asked
    (path,) = kept_files(tmp_path)
    second = probe(tmp_path)
    assert second[:2] == first[:2]
    assert second[2] == "False"  # all of it read from the file
    assert kept_files(tmp_path) == [path]


def test_every_derivation_kept_is_what_it_works_out() -> None:
    lex = lexicon("en")
    assert lex is not None
    for part, derivations in DERIVATIONS.items():
        file = f"en.{part}" if part else "en"
        keep("en", part)
        written = held_file(Path(textmend.kept._path(file)))  # (as the next run reads it)
        assert set(derivations) <= written.keys()
        for name, function in derivations.items():
            assert written[name] == function("en"), name
    assert len(DERIVATIONS[""]) >= 5 and len(DERIVATIONS["lemmas"]) == 1
    values = held("en")
    # the lexicon's own parts are kept with them
    assert values[FREQUENCIES] is lex.frequencies and values[COMMON] is lex.common
    assert values[TOP][0] == lex.commonest == "the"
    written = held_file(Path(textmend.kept._path("en")))
    assert written[FREQUENCIES] == lex.frequencies and written[COMMON] == lex.common
    assert list(written[FREQUENCIES]) == list(lex.frequencies)  # (in wordfreq's order)


def test_a_kept_file_that_was_altered_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe(tmp_path)
    (path,) = kept_files(tmp_path)
    # a word changed in place: the file still unmarshals, but is not what was kept
    data = path.read_bytes()
    assert data.count(b"government") >= 1
    path.write_bytes(data.replace(b"government", b"govirnment"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(textmend.kept, "_keeping", set())
    textmend.kept._path.cache_clear()
    held.cache_clear()
    try:
        assert held("en") == {}
    finally:
        textmend.kept._path.cache_clear()
        held.cache_clear()
    # the next run works it out again and keeps it anew
    assert probe(tmp_path)[2] == "True"
    assert probe(tmp_path)[2] == "False"


def test_another_textmend_keeps_its_own_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    textmend.kept._path.cache_clear()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    try:
        mine = textmend.kept._path("en")
        textmend.kept._path.cache_clear()
        monkeypatch.setattr(textmend.kept, "__version__", "9.9.9")
        assert textmend.kept._path("en") != mine
        assert Path(mine).parent == tmp_path / "textmend" / "kept"
    finally:
        textmend.kept._path.cache_clear()


def test_keeping_in_a_folder_that_cannot_be_written_fails_quietly(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "textmend").write_text("a file where the folder would be")
    assert probe(home)[2] == "True"
    assert probe(home)[2] == "True"  # nothing kept, nothing broken


def test_the_derivations_are_the_functions_they_wrap() -> None:
    # `@kept` keeps a function's name, documentation and what it wraps (which the
    # tests that work a derivation out from a patched lexicon call)
    from textmend.rules.word_boundaries import _split_rights

    assert _split_rights.__name__ == "_split_rights"
    assert "split can take off the end of a token" in (_split_rights.__doc__ or "")
    assert inspect.unwrap(_split_rights)("en") == _split_rights("en")


LEMMAS = """
import sys
from lemminflect.codecs import LemmaLUCodec
from textmend.rules.lexicon import all_lemmas
if sys.argv[1] == "kept only":
    def refused(*args):
        raise AssertionError("lemminflect read its own table")
    LemmaLUCodec.LemmaLUCodec.load = refused
print(all_lemmas("results") == {"NOUN": ("result",), "VERB": ("result",)})
"""


def test_lemminflect_s_table_is_read_from_what_is_kept(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}

    def lemmas(how: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", LEMMAS, how]
        return subprocess.run(command, capture_output=True, text=True, env=env, check=False)

    assert lemmas("kept only").returncode != 0  # nothing kept yet
    assert lemmas("").stdout.split() == ["True"]
    assert [path.name.split("-")[0] for path in kept_files(tmp_path)] == ["en.lemmas"]
    assert lemmas("kept only").stdout.split() == ["True"]


def test_all_lemmas_from_the_kept_table_are_lemminflect_s(tmp_path: Path) -> None:
    # in a process whose lemmatizer was handed the kept table (marshalled and read back),
    # against lemminflect reading its own here
    from lemminflect import Lemmatizer, getAllLemmas
    from lemminflect.codecs.LemmaLUCodec import LemmaLUCodec

    words = ["results", "armistice", "he", "signed", "'d", "Kyiv", "xqzt", "warundo", "was"]
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    ask = (
        "import sys\n"
        "from textmend.rules.lexicon import all_lemmas\n"
        "print(repr([all_lemmas(w) for w in sys.argv[1:]]))\n"
    )
    command = [sys.executable, "-c", ask, *words]
    subprocess.run(command, capture_output=True, env=env, check=True)  # keeps the table
    kept = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert kept.stdout.strip() == repr([getAllLemmas(w) for w in words])
    own = LemmaLUCodec.load(Lemmatizer().lemma_lu_fn)
    (path,) = (tmp_path / "textmend" / "kept").glob("en.lemmas-*")
    assert held_file(path) == {"textmend.rules.lexicon._lemma_table": own}


def held_file(path: Path) -> dict[str, object]:
    """A kept file's values, read as `held` reads them."""
    import marshal

    data = path.read_bytes()
    values = marshal.loads(data[textmend.kept.DIGEST :])
    assert isinstance(values, dict)
    return values
