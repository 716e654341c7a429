"""U: unicode and whitespace defects (mojibake, control characters, odd spaces)."""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

import ftfy
import regex

from textmend.document import Document
from textmend.rule import DocumentRule, Edit, Finding, Fix, FixAvailability, register

# Only the encoding repairs: no quote uncurling, no width or ligature folding, no NFC,
# no HTML unescaping, so ftfy changes nothing that is not broken (datatrove's choice too).
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)
# What mojibake leaves: a UTF-8 lead byte read as Latin-1 or Windows-1252 (Â to ô)
# before a continuation byte read the same way, C1 controls, lone surrogates. A cheap
# test: ftfy, which decides, runs only on the lines where it matches.
MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
    "\u20ac\u2122 ]|[\u0080-\u009f\ud800-\udfff]"
)
WORD = re.compile(r"\S+")


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@register
class Mojibake(DocumentRule):
    """## What it flags
    Text that was encoded in one character set and decoded in another ("mojibake"),
    such as `FranÃ§ois` for `François` or `donâ€™t` for `don’t`, and C1 control
    characters that stand for Windows-1252 punctuation. The finding covers the word
    that holds the damage.

    ## Why it matters
    Mojibake breaks search, tokenisation and entity matching, and a model trained on it
    learns to produce it. It is repaired by reversing the wrong decoding, which ftfy
    does conservatively; textmend uses only ftfy's encoding repairs, so curly quotes,
    ligatures, widths and normalisation stay as they are.

    ## Example
    ```
    Jean-NoÃ«l Barrot said
    ```
    Fix (safe): `Jean-Noël Barrot said`.
    """

    code = "U101"
    name = "mojibake"
    summary = "Text decoded with the wrong character set (FranÃ§ois for François)"
    fix_availability = FixAvailability.SAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        if doc.text.isascii() or not MOJIBAKE_HINT.search(doc.text):
            return
        for line in doc.lines:
            text = line.text
            if not MOJIBAKE_HINT.search(text):
                continue
            repaired = ftfy.fix_text(text, FTFY_CONFIG)
            if repaired != text:
                yield from self._changes(line.start, text, repaired)
                continue
            # ftfy repairs a line as a whole: a line that mixes mojibake with correct
            # non-ASCII text (GdaÅ„sk next to Jean-Noël) is repaired word by word
            for word in WORD.finditer(text):
                if MOJIBAKE_HINT.search(word.group()):
                    repaired = ftfy.fix_text(word.group(), FTFY_CONFIG)
                    if repaired != word.group():
                        yield from self._changes(line.start + word.start(), word.group(), repaired)

    def _changes(self, offset: int, text: str, repaired: str) -> Iterator[Finding]:
        """One finding per damaged word: the changed regions, widened to whole words."""
        opcodes = difflib.SequenceMatcher(None, text, repaired, autojunk=False).get_opcodes()
        spans: list[list[int]] = []
        for tag, i1, i2, _, _ in opcodes:
            if tag == "equal":
                continue
            head, tail = text[:i1], text[i2:]
            start = i1 - (
                len(head.rsplit(maxsplit=1)[-1]) if head and not head[-1].isspace() else 0
            )
            end = i2 + (len(tail.split(maxsplit=1)[0]) if tail and not tail[0].isspace() else 0)
            if spans and start <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])

        def mapped(position: int) -> int:
            for tag, i1, i2, j1, j2 in opcodes:
                if tag == "equal" and i1 <= position <= i2:
                    return j1 + position - i1
                if position == i1:
                    return j1
                if position == i2:
                    return j2
            return len(repaired)

        for start, end in spans:
            before, after = text[start:end], repaired[mapped(start) : mapped(end)]
            yield self.finding(
                offset + start,
                offset + end,
                f"mojibake: {_shorten(before)!r} reads {_shorten(after)!r} when decoded right",
                Fix.safe("Repair the encoding", Edit(offset + start, offset + end, after)),
            )


# C0 controls but tab and line breaks, DEL, and whole ANSI terminal escape sequences
CONTROL = regex.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_RUN = regex.compile(f"(?:{CONTROL.pattern})+")
# the controls that separate text: vertical tab, form feed, the information separators
SEPARATORS = "\x0b\x0c\x1c\x1d\x1e\x1f"


@register
class ControlCharacter(DocumentRule):
    """## What it flags
    Control characters inside the text: NUL, backspace, form feed, vertical tab, escape,
    DEL and the like (every C0 control but tab and line breaks), and whole terminal
    colour codes such as `ESC[31m`.

    ## Why it matters
    They are invisible in most viewers, break JSON and XML exports, confuse tokenisers,
    and are a common leftover of PDF extraction and terminal logs.

    ## Example
    ```
    end of page\\x0cNext page
    ```
    Fix (safe): the control character is removed; a run of them that holds a separator
    (form feed, vertical tab, the information separators) becomes one space between two
    words, so that the words do not run together: `end of page Next page`. Other
    controls and escape codes take no room (`H\\x00e\\x00l\\x00l\\x00o` is `Hello`).
    """

    code = "U102"
    name = "control-character"
    summary = "Control characters (NUL, form feed, escape codes) inside the text"
    fix_availability = FixAvailability.SAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        text = doc.text
        for run in CONTROL_RUN.finditer(text):
            first, last = run.span()
            # whether the text on either side of the run is already apart
            apart = first == 0 or last == len(text) or text[first - 1].isspace()
            apart = apart or text[last].isspace()
            for match in CONTROL.finditer(text, first, last):
                start, end = match.span()
                what = match.group()
                space = not apart and what in SEPARATORS
                apart = apart or space
                label = (
                    "terminal escape code"
                    if len(what) > 1
                    else f"control character U+{ord(what):04X}"
                )
                yield self.finding(
                    start,
                    end,
                    label,
                    Fix.safe("Remove it", Edit(start, end, " " if space else "")),
                )


# no-break and typographic spaces, which a plain space replaces
WIDE_SPACES = (
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
)
# invisible characters that only hide inside words: zero-width space, word joiner,
# a BOM in mid-text, soft hyphen (ZWJ and ZWNJ are left alone: scripts and emoji need them)
INVISIBLE = "\u200b\u2060\ufeff\u00ad"
ODD_SPACE = regex.compile(f"[{WIDE_SPACES}{INVISIBLE}]")
# a run of white space that ends a line; the lookbehind makes each run match once
TRAILING = regex.compile(f"(?<![ \\t{WIDE_SPACES}])[ \\t{WIDE_SPACES}]++(?=\\r|\\n|\\Z)")


def trailing_runs(doc: Document) -> list[tuple[int, int]]:
    """The spans of white space at line ends, shared by U103 and U104."""
    return doc.cached("trailing-runs", lambda d: [m.span() for m in TRAILING.finditer(d.text)])


@register
class OddSpace(DocumentRule):
    """## What it flags
    No-break and typographic spaces (U+00A0, U+2009, U+202F, ...) where a plain space
    belongs, and invisible characters inside the text: zero-width space, word joiner,
    soft hyphen, a byte-order mark in mid-text. A no-break space between digits
    (`10 000`) or before `: ; ? ! » %` (French typography) is left alone, and so are
    characters named in the `unicode.allowed-spaces` option.

    ## Why it matters
    They look like spaces, or like nothing, but they are not: `Kyiv` with a soft
    hyphen inside does not match `Kyiv`, a no-break space glues words for tokenisers
    that split on ASCII spaces, and deduplication treats the texts as different.

    ## Example
    ```
    North Korea\\u200b's troops crossed\\u00a0the border
    ```
    Fix (safe): `North Korea's troops crossed the border`.
    """

    code = "U103"
    name = "odd-space"
    summary = "No-break, typographic and zero-width spaces, soft hyphens"
    fix_availability = FixAvailability.SAFE
    options: ClassVar[Mapping[str, Any]] = {"allowed-spaces": []}

    def check(self, doc: Document) -> Iterator[Finding]:
        text = doc.text
        if text.isascii():
            return
        allowed = set(self.settings["allowed-spaces"])
        trailing = trailing_runs(doc)
        trailing_starts = [start for start, _ in trailing]
        for match in ODD_SPACE.finditer(text):
            start = match.start()
            char = match.group()
            if char in allowed or (char in WIDE_SPACES and _typographic(text, start)):
                continue
            run = bisect.bisect_right(trailing_starts, start) - 1
            if run >= 0 and start < trailing[run][1]:
                continue  # U104 reports white space at a line end
            name = unicodedata.name(char, "space").lower()
            replacement = " " if char in WIDE_SPACES else ""
            action = "Replace it with a space" if replacement else "Remove it"
            yield self.finding(
                start,
                start + 1,
                f"{name} (U+{ord(char):04X})",
                Fix.safe(action, Edit(start, start + 1, replacement)),
            )


def _typographic(text: str, at: int) -> bool:
    """A no-break space that typography asks for: inside a number, or French spacing."""
    before = text[at - 1] if at else ""
    after = text[at + 1] if at + 1 < len(text) else ""
    return (before.isdigit() and after.isdigit()) or after in ":;?!»%" or before == "«"


@register
class TrailingWhitespace(DocumentRule):
    """## What it flags
    Spaces, tabs and no-break spaces at the end of a line, and lines that hold nothing
    but such white space. In Markdown files, exactly two spaces after text (a hard line
    break) are left alone.

    ## Why it matters
    Trailing white space is invisible noise: it makes identical lines differ, so that
    line deduplication and boilerplate detection miss them, and it shows up in every
    diff.

    ## Example
    ```
    BEMIL Views \\u00a0
    ```
    Fix (safe): `BEMIL Views`.
    """

    code = "U104"
    name = "trailing-whitespace"
    summary = "White space at the end of a line"
    fix_availability = FixAvailability.SAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        text = doc.text
        markdown = doc.path.endswith((".md", ".markdown"))
        for start, end in trailing_runs(doc):
            line_has_text = start > 0 and text[start - 1] not in "\r\n"
            if markdown and text[start:end] == "  " and line_has_text:
                continue
            message = "trailing white space" if line_has_text else "line of only white space"
            yield self.finding(start, end, message, Fix.safe("Remove it", Edit(start, end, "")))
