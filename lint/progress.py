"""A progress bar on standard error, for runs that take more than a few seconds.

Shown only when standard error is a terminal and `--quiet` is not given, and only once
the run has lasted `DELAY` seconds: a short run prints nothing more than it did. It
counts documents: those read for the corpus statistics, then those checked (of the
count that the first phase found, when there is one). Each phase's bar is erased when it
ends, and cleared while an error message is printed. tqdm draws it (imported only when
a bar is shown).
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator, Sized
from typing import Any, TextIO, TypeVar

T = TypeVar("T")

DELAY = 2.0  # seconds before a bar is shown


class Progress:
    """The progress of one run, over its phases."""

    def __init__(self, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.stream = stream if stream is not None else sys.stderr
        try:
            terminal = self.stream.isatty()
        except (AttributeError, ValueError):
            terminal = False
        self.enabled = enabled and terminal
        self.started = time.monotonic()
        self.bar: Any = None
        self.description = ""
        self.total: int | None = None
        self.done = 0

    def phase(self, description: str, total: int | None = None) -> None:
        """Start a phase: a bar of its own, shown at once if the run is already long."""
        self.close()
        self.description, self.total, self.done = description, total, 0

    def advance(self, count: int) -> None:
        self.done += count
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.update(count)
        elif time.monotonic() - self.started >= DELAY:
            from tqdm import tqdm

            self.bar = tqdm(
                desc=self.description,
                total=self.total,
                initial=self.done,  # what the phase did before the bar appeared
                unit=" docs",
                file=self.stream,
                leave=False,
                dynamic_ncols=True,
            )

    def counting(self, items: Iterator[T], size: Any = len) -> Iterator[T]:
        """The items, passed on as they are, each advancing the bar by its size."""
        for item in items:
            yield item
            self.advance(size(item))

    @contextlib.contextmanager
    def cleared(self) -> Iterator[None]:
        """The bar taken off the screen while something else is written to it."""
        if self.bar is None:
            yield
            return
        self.bar.clear()
        try:
            yield
        finally:
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def batch_size(batch: tuple[Any, Sized, bool]) -> int:
    """The documents of a batch of work as `cli.batches` gives it."""
    return len(batch[1])
