"""The default format: each finding as `path:row:col: CODE message`, then the excerpt of
its line with a marker under the span and the fix it offers (like ruff's full output),
then a summary. `concise` keeps the first line of each finding only (ruff's concise).

Colours only when the output is a terminal (`NO_COLOR` turns them off, `FORCE_COLOR`
on). The excerpt shows what a terminal would hide or misplace: control, format and
private-use characters (a zero-width space, a bidirectional control, an escape) as
`<U+200B>`, and it counts wide and combining characters in the marker's place.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator, Sequence
from typing import TextIO

from textmend.report import Context, Diagnostic, Summary, statistics
from textmend.rule import Applicability

# ANSI styles, as ruff uses them: the path bold, the code red, the marker red, help cyan
BOLD, RED, CYAN, DIM, RESET = "\x1b[1m", "\x1b[31;1m", "\x1b[36m", "\x1b[2m", "\x1b[0m"
HIDDEN = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})


def use_color(stream: TextIO) -> bool:
    """Colour for a terminal, unless `NO_COLOR` is set; always with `FORCE_COLOR`."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, style: str, text: str) -> str:
        return f"{style}{text}{RESET}" if self.color and text else text


def _first_line(d: Diagnostic, style: _Style) -> str:
    marker = " " + style(CYAN, "[*]") if d.fix_applicability is Applicability.SAFE else ""
    name = d.filename if d.record is None else f"{d.filename}[{d.record.label()}]"
    place = f"{style(BOLD, name)}:{d.location[0]}:{d.location[1]}:"
    return f"{place} {style(RED, d.code)}{marker} {d.message}"


# the blocks under a finding's first line kept while a report is written: the same
# line flagged the same way recurs (page furniture in every document of a site, copies),
# and a block is made from the finding's context and place alone, not its file
RECENT_BLOCKS = 1 << 12


def render(diagnostics: Sequence[Diagnostic], summary: Summary) -> Iterator[str]:
    style = _Style(summary.color)
    blocks: dict[tuple[object, ...], str] = {}
    # each finding a block of lines, a blank line after it, as ruff prints them
    for d in diagnostics:
        key = (
            d.context,
            d.location[0],
            d.end_location[0],
            d.code,
            d.fix_applicability,
            d.fix_message,
        )
        block = blocks.get(key)
        if block is None:
            if len(blocks) >= RECENT_BLOCKS:
                blocks.clear()
            block = blocks[key] = _context(d, style)
        yield f"{_first_line(d, style)}\n{block}\n"
    if not summary.quiet:
        yield "".join(line + "\n" for line in _summary(diagnostics, summary))


def render_concise(diagnostics: Sequence[Diagnostic], summary: Summary) -> list[str]:
    style = _Style(summary.color)
    lines = [_first_line(d, style) for d in diagnostics]
    if not summary.quiet:
        lines.extend(_summary(diagnostics, summary))
    return [line + "\n" for line in lines]


def _context(d: Diagnostic, style: _Style) -> str:
    """The lines under a finding's first line: its line's excerpt, the marker, the fix.
    (Built as one string: a corpus's report has ten thousand of them.)"""
    lines = ""
    if d.context is not None:
        row = str(d.location[0])
        bar = style(CYAN, " " * len(row) + " |")
        shown, offset, width = excerpt(d.context)
        carets = "^" * max(1, width)
        if d.context.more_rows:
            carets += f" (to line {d.end_location[0]})"
        marker = style(RED, f"{carets} {d.code}")
        lines = f"{bar}\n{style(CYAN, row + ' |')} {shown}\n{bar} {' ' * offset}{marker}\n{bar}\n"
    if d.fix_applicability is not None and d.fix_message:
        unsafe = " (unsafe fix)" if d.fix_applicability is Applicability.UNSAFE else ""
        indent = " " * (len(str(d.location[0])) + 1)
        lines += f"{indent}{style(CYAN, '= help:')} {d.fix_message}{unsafe}\n"
    return lines


def excerpt(context: Context) -> tuple[str, int, int]:
    """The excerpt as a terminal should show it, the column where the span starts in
    it, and the span's width in columns."""
    before, span, after = (
        context.excerpt[: context.start],
        context.excerpt[context.start : context.end],
        context.excerpt[context.end :],
    )
    shown_before = ("…" if context.cut_left else "") + visible(before)
    shown_span = visible(span)
    shown = shown_before + shown_span + visible(after) + ("…" if context.cut_right else "")
    return shown, width(shown_before), width(shown_span)


def visible(text: str) -> str:
    """The text with what a terminal would hide shown as `<U+XXXX>`, tabs as a space."""
    if text.isprintable():
        return text
    out = []
    for character in text:
        if character == "\t":
            out.append(" ")
        elif unicodedata.category(character) in HIDDEN:
            out.append(f"<U+{ord(character):04X}>")
        else:
            out.append(character)
    return "".join(out)


def width(text: str) -> int:
    """The columns a terminal gives the text: wide characters two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(map(_COLUMNS.__getitem__, text))


class _Columns(dict[str, int]):
    """The columns of each character, looked up once: a report of a corpus shows the
    same few hundred characters in ten thousand excerpts."""

    def __missing__(self, character: str) -> int:
        if unicodedata.combining(character):
            columns = 0
        else:
            columns = 2 if unicodedata.east_asian_width(character) in "WF" else 1
        self[character] = columns
        return columns


_COLUMNS = _Columns()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _summary(diagnostics: Sequence[Diagnostic], summary: Summary) -> list[str]:
    lines = []
    if summary.mode == "fix":
        lines.append(
            f"Fixed {_plural(summary.fixed, 'finding')} in "
            f"{_plural(summary.fixed_documents, 'document')}; {len(diagnostics)} remaining."
        )
    elif diagnostics:
        lines.append(f"Found {_plural(len(diagnostics), 'finding')}.")
    else:
        lines.append("All checks passed!")
    safe = sum(d.fix_applicability is Applicability.SAFE for d in diagnostics)
    unsafe = sum(d.fix_applicability is Applicability.UNSAFE for d in diagnostics)
    if safe:
        lines.append(f"[*] {safe} fixable with `textmend fix`.")
    if unsafe:
        lines.append(f"({unsafe} more fixable with `textmend fix --unsafe-fixes`.)")
    return lines


def render_statistics(diagnostics: Sequence[Diagnostic]) -> str:
    rows = statistics(diagnostics)
    out = [
        f"{row['count']:>6}  {row['code']}  {'[*]' if row['fixable'] else '   '} {row['name']}"
        for row in rows
    ]
    out.append(f"Found {_plural(len(diagnostics), 'finding')}.")
    return "\n".join(out) + "\n"
