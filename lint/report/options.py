"""The options of `textmend report` (kept apart from `textmend.report.html`, which
imports the command line's run and, when it renders, Jinja2)."""

from __future__ import annotations

import argparse

MAX_DOCUMENTS = 1000  # documents shown in full, by default


def positive(value: str) -> int:
    """An option's whole number of 1 or more (`--jobs`, `--max-documents`)."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {value!r}")
    return number


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        default="textmend-report.html",
        help="where to write the page (default textmend-report.html; - for standard output)",
    )
    parser.add_argument(
        "--unsafe-fixes", action="store_true", help="show the unsafe fixes applied too"
    )
    parser.add_argument(
        "--max-documents",
        metavar="N",
        type=positive,
        default=MAX_DOCUMENTS,
        help=f"documents shown in full (default {MAX_DOCUMENTS}; the summary counts all)",
    )
    # a report that is written has done its work: it exits 0 whatever it found (2 for
    # an input problem), as `check --exit-zero` does
    parser.set_defaults(exit_zero=True)
