"""The rules, one module per family; importing this package registers them all."""

from textmend.rules import duplication, punctuation, translation, unicode, word_boundaries

__all__ = ["duplication", "punctuation", "translation", "unicode", "word_boundaries"]
