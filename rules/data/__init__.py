"""Phrase and word lists, one entry a line, named `<list>.<lang>.txt`."""
