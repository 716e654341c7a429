"""The rules, one module per family; importing this package registers them all."""

from textmend.rules import (
    boilerplate,
    duplication,
    language,
    names,
    punctuation,
    translation,
    unicode,
    word_boundaries,
)

__all__ = [
    "boilerplate",
    "duplication",
    "language",
    "names",
    "punctuation",
    "translation",
    "unicode",
    "word_boundaries",
]
