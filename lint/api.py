"""The Python API for pipelines: `check` a corpus held in memory, `fix_text` one text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from textmend.config import Settings, load_settings
from textmend.document import Document
from textmend.engine import Linter, RuleFailure, fewer_collections
from textmend.fixer import fix_document
from textmend.report import Diagnostic


def _settings(
    select: Iterable[str] | None,
    ignore: Iterable[str] | None,
    lang: str | None,
    config: str | Path | None,
) -> Settings:
    settings = load_settings(Path(config)) if config is not None else Settings()
    if select is not None:
        settings.select = list(select)
    if ignore is not None:
        settings.ignore = list(ignore)
    settings.lang = lang or settings.lang
    return settings


def _documents(corpus: str | Iterable[str] | Mapping[str, str]) -> list[Document]:
    if isinstance(corpus, str):
        return [Document(corpus, "<text>")]
    if isinstance(corpus, Mapping):
        return [Document(text, str(name)) for name, text in corpus.items()]
    return [Document(text, f"<text {i}>") for i, text in enumerate(corpus)]


def check(
    corpus: str | Iterable[str] | Mapping[str, str],
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    lang: str | None = None,
    config: str | Path | None = None,
) -> list[Diagnostic]:
    """Check one text, a sequence of texts, or a mapping of names to texts, as one corpus.

    Returns the findings in corpus order; each has `code`, `message`, `location`,
    `end_location`, and `to_json()` gives the object `--format json` prints. A
    document's `filename` is its name in the mapping, else `<text>` or `<text N>`."""
    linter = Linter.from_settings(_settings(select, ignore, lang, config))
    documents = _documents(corpus)
    with fewer_collections():  # (as the command runs: see `fewer_collections`)
        if linter.corpus_rules:
            linter.collect(documents)
        return [Diagnostic.place(doc, f) for doc in documents for f in linter.check(doc)]


def fix_text(
    text: str,
    *,
    unsafe_fixes: bool = False,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    lang: str | None = None,
    config: str | Path | None = None,
) -> str:
    """The text with every safe fix applied (and the unsafe ones, when asked).

    Raises `RuleFailure` when a rule fails, or when its fixes never settle."""
    linter = Linter.from_settings(_settings(select, ignore, lang, config))
    doc = Document(text, "<text>")
    if linter.corpus_rules:
        linter.collect([doc])
    outcome = fix_document(doc, linter.check, unsafe_fixes)
    if outcome.unsettled:
        raise RuleFailure(",".join(outcome.unsettled), doc, "fixes did not settle")
    return outcome.text
