"""The default format: `path:row:col: CODE message`, then a summary (like ruff's concise)."""

from __future__ import annotations

from collections.abc import Sequence

from textmend.report import Diagnostic, Summary, statistics
from textmend.rule import Applicability


def render(diagnostics: Sequence[Diagnostic], summary: Summary) -> str:
    lines = []
    for d in diagnostics:
        marker = " [*]" if d.fix_applicability is Applicability.SAFE else ""
        lines.append(f"{d.where}: {d.code}{marker} {d.message}")
    lines.extend(_summary(diagnostics, summary))
    return "\n".join(lines) + "\n"


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
