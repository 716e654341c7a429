"""The rules, one module per family; importing this package registers them all."""

from textmend.rules import (
    duplication,
    names,
    punctuation,
    translation,
    unicode,
    word_boundaries,
)

__all__ = ["duplication", "names", "punctuation", "translation", "unicode", "word_boundaries"]
