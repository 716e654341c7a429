"""U: unicode and whitespace defects (mojibake, control characters, odd spaces, text
not in NFC, replacement, private-use and bidirectional control characters)."""

from __future__ import annotations

import bisect
import difflib
import itertools
import operator
import re
import unicodedata
from collections.abc import Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

import regex

from textmend.document import Document, Line
from textmend.rule import DocumentRule, Edit, Finding, Fix, FixAvailability, register

if TYPE_CHECKING:
    import ftfy


@cache
def ftfy_config() -> ftfy.TextFixerConfig:
    """ftfy's settings for U101: only the encoding repairs (no quote uncurling, no
    width or ligature folding, no NFC, no HTML unescaping), so that ftfy changes nothing
    that is not broken (datatrove's choice too). ftfy is imported when a line first
    needs it: 35 ms that a run over text without mojibake does not pay."""
    import ftfy

    return ftfy.TextFixerConfig(
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


@cache
def _encoding_config() -> ftfy.TextFixerConfig:
    """What ftfy's `fix_and_explain` hands its encoding fix (its defaults, unexplained)."""
    import ftfy

    return ftfy.TextFixerConfig(explain=False)


def repaired(text: str) -> str:
    """`ftfy.fix_text(text, ftfy_config())` for a line (no line feed; a line longer
    than ftfy's segments goes to `fix_text`, which cuts it): ftfy's own loop of its
    encoding fix and the other fixes, until a round changes nothing, but for the round
    that finds that out once the other fixes have changed nothing after the encoding
    fix, whose result is its own fixed point. That round cost a third of ftfy's time on
    a line of mojibake (a test holds the two equal)."""
    import ftfy

    config = ftfy_config()
    if len(text) > config.max_decode_length:
        return ftfy.fix_text(text, config)
    # the fixes the config leaves on besides the encoding's, in the order ftfy applies them
    others = (ftfy.fixes.fix_c1_controls, ftfy.fixes.fix_surrogates)
    encoding = _encoding_config()
    while True:
        encoded = ftfy.fix_encoding(text, encoding)
        fixed = encoded
        for fix in others:
            fixed = fix(fixed)
        if fixed in (encoded, text):
            return fixed
        text = fixed


# What mojibake leaves: a UTF-8 lead byte read as Latin-1 or Windows-1252 (Â to ô)
# before a continuation byte read the same way, C1 controls, lone surrogates. A cheap
# test: ftfy, which decides, runs only on the lines where it matches.
_MOJIBAKE_FIRST = "[\u00c2-\u00f4\u0080-\u009f\ud800-\udfff]"
MOJIBAKE_HINT = re.compile(
    # one character class first, so that `re` skips to its characters (four times as
    # fast as an alternation of the two cases), then the case by a lookbehind
    _MOJIBAKE_FIRST
    + "(?:(?<=[\u00c2-\u00f4])[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039"
    "\u203a\u20ac\u2122 ]|(?<=[\u0080-\u009f\ud800-\udfff]))"
)
# What a hint starts with, all beyond ASCII: looked for in the document's
# `rare_characters` first, a few in a hundred of its characters (the search of the
# text, in the 45 % of news documents that hold one, and this took 15 ms over 5 MB,
# where a search of every document's text took 22)
MOJIBAKE_FIRST = re.compile(_MOJIBAKE_FIRST)
WORD = re.compile(r"\S+")
TOKEN = re.compile(r"\s+|\S+")


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


LINE_START = operator.attrgetter("start")  # a line's start, read in C


def _hinted_lines(doc: Document) -> Iterator[Line]:
    """The lines that MOJIBAKE_HINT matches in, in order: found by searches of the
    whole text, each from the line after the last hint's, rather than a search of
    every line (a hint never holds a line break, so each lies inside its line)."""
    text = doc.text
    if text.isascii() or not MOJIBAKE_FIRST.search(rare_characters(doc)):
        return
    hint = MOJIBAKE_HINT.search(text)
    if hint is None:
        return
    lines = doc.lines  # (not made for the two in three searched documents without one)
    while hint is not None:
        row = bisect.bisect_right(lines, hint.start(), key=LINE_START) - 1
        yield lines[row]
        if row + 1 == len(lines):
            return
        hint = MOJIBAKE_HINT.search(text, lines[row + 1].start)


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
        for line in _hinted_lines(doc):
            text = line.text
            fixed = repaired(text)
            if fixed != text:
                yield from self._changes(line.start, text, fixed)
                continue
            # ftfy repairs a line as a whole: a line that mixes mojibake with correct
            # non-ASCII text (GdaÅ„sk next to Jean-Noël) is repaired word by word
            for word in WORD.finditer(text):
                if MOJIBAKE_HINT.search(word.group()):
                    fixed = repaired(word.group())
                    if fixed != word.group():
                        yield from self._changes(line.start + word.start(), word.group(), fixed)

    def _changes(self, offset: int, text: str, fixed: str) -> Iterator[Finding]:
        """One finding per damaged word: the runs of words that differ.

        The two texts are compared as runs of words and spaces, not characters, and
        every difference comes out widened to whole words. A repair almost never changes
        the number of runs, and then run i of one is run i of the other: only when it
        does is a (slower) sequence diff needed.
        """
        before_tokens, after_tokens = TOKEN.findall(text), TOKEN.findall(fixed)
        before_at = [0, *itertools.accumulate(map(len, before_tokens))]
        after_at = [0, *itertools.accumulate(map(len, after_tokens))]
        if len(before_tokens) == len(after_tokens):
            differences = [
                (i, i + 1, i, i + 1)
                for i, (before, after) in enumerate(zip(before_tokens, after_tokens, strict=True))
                if before != after
            ]
        else:
            matcher = difflib.SequenceMatcher(None, before_tokens, after_tokens, autojunk=False)
            differences = [op[1:] for op in matcher.get_opcodes() if op[0] != "equal"]
        spans: list[list[int]] = []  # [first, last] token indexes, before and after
        for i1, i2, j1, j2 in differences:
            if spans and spans[-1][1] == i1:  # adjacent differences make one word run
                spans[-1][1], spans[-1][3] = i2, j2
            else:
                spans.append([i1, i2, j1, j2])
        for i1, i2, j1, j2 in spans:
            start, end = before_at[i1], before_at[i2]
            before, after = text[start:end], fixed[after_at[j1] : after_at[j2]]
            yield self.finding(
                offset + start,
                offset + end,
                f"mojibake: {_shorten(before)!r} reads {_shorten(after)!r} when decoded right",
                Fix.safe("Repair the encoding", Edit(offset + start, offset + end, after)),
            )


# C0 controls but tab and line breaks, and DEL
CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
# no-break and typographic spaces, which a plain space replaces
WIDE_SPACES = (
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
)
# invisible characters that only hide inside words: zero-width space, word joiner,
# a BOM in mid-text, soft hyphen (ZWJ and ZWNJ are left alone: scripts and emoji need them)
INVISIBLE = "\u200b\u2060\ufeff\u00ad"
# U+E000 to U+F8FF and planes 15 and 16, but their two noncharacters each (\p{Co})
PRIVATE_USE_CHARACTERS = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
# embeddings and overrides (LRE RLE PDF LRO RLO), isolates (LRI RLI FSI PDI), and the
# marks (LRM RLM ALM), which right-to-left text needs
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
# Every character that U102, U103, U107 and U108 look for, found by one search of the
# document's `rare_characters`: most documents hold none, and each of those rules
# searches only a document that holds one of its own (four searches of the text with
# `regex`, and a dozen `in` tests for the bidirectional controls, took five times as
# long as one search of the text with `re`)
UNUSUAL = re.compile(f"[{CONTROLS}{WIDE_SPACES}{INVISIBLE}{PRIVATE_USE_CHARACTERS}{BIDI_CONTROLS}]")


ASCII = bytes(range(0x80))
# the bytes of printable ASCII, tab and line breaks: what nearly all of a text is, and
# none of what UNUSUAL or P108's symbols look for
COMMON_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"


def other_characters(data: bytes, common: bytes = ASCII) -> str:
    """The characters of UTF-8 `data` but those whose bytes are in `common` (ASCII
    bytes), in order: deleted and decoded in C, a character's bytes going or staying
    together (lone surrogates too)."""
    return data.translate(None, common).decode("utf-8", "surrogatepass")


def rare_characters(doc: Document) -> str:
    """The document's characters but printable ASCII, tab and line breaks, in order:
    its controls and everything beyond ASCII, a few in a hundred of a news text.
    Encoded, cleared of the common bytes and decoded again, all in C (a character's
    bytes go or stay together): a pattern searches the few left rather than the whole
    text, which for a character class costs a call per character."""
    return doc.cached(
        "rare-characters",
        lambda d: other_characters(d.text.encode("utf-8", "surrogatepass"), COMMON_ASCII),
    )


def unusual_characters(doc: Document) -> str:
    """The distinct characters of UNUSUAL that a document holds (shared by the rules)."""
    return doc.cached(
        "unusual-characters", lambda d: "".join(set(UNUSUAL.findall(rare_characters(d))))
    )


def holds(doc: Document, pattern: re.Pattern[str] | regex.Pattern[str]) -> bool:
    """Whether a document holds a character that `pattern` (a rule's, for characters of
    UNUSUAL only) looks for."""
    unusual = unusual_characters(doc)
    return bool(unusual) and pattern.search(unusual) is not None


# what follows the ESC of an ANSI terminal escape sequence (a CSI sequence)
ESCAPE_REST = r"\[[0-?]*[ -/]*[@-~]"
# whole ANSI terminal escape sequences, and the controls
CONTROL = regex.compile(rf"\x1b{ESCAPE_REST}|[{CONTROLS}]")
# a run of them, `(?:CONTROL)+` led by a character class (ESC is a control) so that
# `re` skips from control to control: 6 ms over the 16 % of news documents that hold
# one, where `(?:CONTROL)+` with `regex` took 11
CONTROL_RUN = re.compile(rf"[{CONTROLS}](?:(?<=\x1b){ESCAPE_REST})?(?:{CONTROL.pattern})*")
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
        if not holds(doc, CONTROL):
            return
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


# (with `re`, not `regex`: the search of the 17 % of news documents that hold one took
# 4 ms over 5 MB, not 10)
ODD_SPACE = re.compile(f"[{WIDE_SPACES}{INVISIBLE}]")
# a run of white space that ends a line; the lookbehind makes each run match once
TRAILING = " \t" + WIDE_SPACES


def trailing_runs(doc: Document) -> list[tuple[int, int]]:
    """The spans of white space at line ends, shared by U103 and U104: found from the
    lines' ends (a pattern would try every space of the text)."""
    return doc.cached("trailing-runs", _trailing_runs)


def _trailing_runs(doc: Document) -> list[tuple[int, int]]:
    return [
        (line.start + len(line.text.rstrip(TRAILING)), line.end)
        for line in doc.lines
        if line.text and line.text[-1] in TRAILING
    ]


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
        if not holds(doc, ODD_SPACE):
            return
        text = doc.text
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


# U105: the characters that NFC may change or join to the character before them: those
# with a combining class, and those whose NFC quick check is No or Maybe. Any other
# character starts a stretch that NFC normalises on its own, so a text is NFC when each
# such stretch (a starter and the run of these after it) is.
NFC_UNSTABLE = regex.compile(r"[\p{NFC_QC=N}\p{NFC_QC=M}\P{ccc=0}]+")


def _code_points(text: str, limit: int = 6) -> str:
    points = " ".join(f"U+{ord(char):04X}" for char in text[:limit])
    return points + " …" if len(text) > limit else points


@register
class NonNfc(DocumentRule):
    """## What it flags
    Text that is not in Unicode normalisation form C (NFC): a letter followed by a
    combining accent that NFC writes as one character (`e` and U+0301 for `é`),
    combining marks out of canonical order, and characters that NFC replaces by their
    canonical equivalent (the angstrom sign U+212B for `Å`, CJK compatibility
    ideographs). The finding covers each run that NFC changes.

    ## Why it matters
    The two spellings look the same but are different strings: search, deduplication,
    vocabularies and tokenisers treat `café` written both ways as two words, and a
    model sees the decomposed one as rarer pieces. Most text on the web is NFC; the
    decomposed form comes from macOS file names, some PDF extraction and some keyboards.

    ## Example
    ```
    cafe\\u0301 in Ha\\u0300 No\\u0323\\u0302i
    ```
    Fix (safe): each run becomes its NFC form, `café in Hà Nội`.
    """

    code = "U105"
    name = "non-nfc"
    summary = "Text not in Unicode normalisation form C (e + U+0301 for é)"
    fix_availability = FixAvailability.SAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        text = doc.text
        if text.isascii() or unicodedata.is_normalized("NFC", text):
            return
        runs: list[tuple[int, int, str]] = []
        for match in NFC_UNSTABLE.finditer(text):
            start, end = match.span()
            normal = unicodedata.normalize("NFC", text[start:end])
            if start:
                # the starter before the run, which the run may join (e and U+0301) or
                # whose marks it holds, belongs to it unless it stands apart, unchanged
                joined = unicodedata.normalize("NFC", text[start - 1 : end])
                if unicodedata.combining(text[start]) or joined != text[start - 1] + normal:
                    start, normal = start - 1, joined
            if normal == text[start:end]:
                continue
            if runs and runs[-1][1] == start:
                # stretches that touch make one run (a fully decomposed word)
                first, _, before = runs[-1]
                runs[-1] = (first, end, before + normal)
            else:
                runs.append((start, end, normal))
        for start, end, normal in runs:
            before = text[start:end]
            yield self.finding(
                start,
                end,
                f"not in NFC: {_shorten(before)!r} ({_code_points(before)}) is "
                f"{_shorten(normal)!r} ({_code_points(normal)}) in NFC",
                Fix.safe("Normalise it to NFC", Edit(start, end, normal)),
            )


REPLACEMENT = regex.compile("[\ufffd]+")


@register
class ReplacementCharacter(DocumentRule):
    """## What it flags
    The replacement character U+FFFD (`�`), alone or in a run: what a decoder writes
    for bytes it could not decode.

    ## Why it matters
    Each one marks a character lost in an earlier, lossy decoding (often a Windows-1252
    or Latin-1 file read as UTF-8 with errors replaced). The word around it no longer
    matches anything, and a model trained on such text learns to produce `�`. The lost
    character cannot be recovered from the text, so there is no fix: decode the source
    again with the right encoding, or drop the document.

    ## Example
    ```
    Fran\\ufffdois Hollande visited Z\\ufffd\\ufffdrich
    ```
    No fix: `Fran�ois` may have been `François` or `Franéois`.
    """

    code = "U106"
    name = "replacement-character"
    summary = "Replacement characters U+FFFD left by lossy decoding"

    def check(self, doc: Document) -> Iterator[Finding]:
        text = doc.text
        if text.isascii() or "\ufffd" not in text:  # `in` is faster than a search
            return
        for match in REPLACEMENT.finditer(text):
            start, end = match.span()
            count = end - start
            message = (
                "replacement character U+FFFD: a character lost in decoding"
                if count == 1
                else f"{count} replacement characters U+FFFD: characters lost in decoding"
            )
            yield self.finding(start, end, message)


PRIVATE_USE = regex.compile(rf"[{PRIVATE_USE_CHARACTERS}]+")


@register
class PrivateUse(DocumentRule):
    """## What it flags
    Characters of the private-use areas (U+E000 to U+F8FF, planes 15 and 16), one
    finding for each run of them. Emoji, symbols and every assigned character are left
    alone.

    ## Why it matters
    Private-use characters have no agreed meaning: they show as nothing, as a box, or
    as whatever icon one font puts there (icon fonts, the Apple logo U+F8FF, glyphs of
    a PDF with a custom encoding). In a corpus they are noise that no tokeniser or
    reader can interpret. What they stood for cannot be told from the text, so there is
    no fix.

    ## Example
    ```
    Call us \\ue0b0 on 555-0100
    ```
    No fix: the character stands for an icon only its font knows.
    """

    code = "U107"
    name = "private-use"
    summary = "Private-use characters, which show as nothing or as some font's icon"

    def check(self, doc: Document) -> Iterator[Finding]:
        if not holds(doc, PRIVATE_USE):
            return
        for match in PRIVATE_USE.finditer(doc.text):
            start, end = match.span()
            what = match.group()
            message = (
                f"private-use character U+{ord(what):04X}"
                if len(what) == 1
                else f"{len(what)} private-use characters ({_code_points(what)})"
            )
            yield self.finding(start, end, message)


BIDI_CONTROL = regex.compile(f"[{BIDI_CONTROLS}]")
BIDI_MARKS = "\u200e\u200f\u061c"
# letters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, ...)
RTL_LETTER = regex.compile(r"(?V1)[[\p{Bidi_Class=R}\p{Bidi_Class=AL}]&&\p{L}]")


@register
class BidiControl(DocumentRule):
    """## What it flags
    Bidirectional control characters: the embeddings and overrides U+202A to U+202E,
    the isolates U+2066 to U+2069, and the marks LRM (U+200E), RLM (U+200F) and ALM
    (U+061C). The marks are needed in Hebrew and Arabic text, so they are flagged only
    in a paragraph without right-to-left letters.

    ## Why it matters
    They are invisible, yet they reorder the text around them on screen, so that what a
    reader sees is not what the string holds (the "Trojan Source" attack hides text
    this way). In left-to-right text they are leftovers of copying from web pages that
    break search and deduplication.

    ## Example
    ```
    access level: user\\u202e\\u2066 // admin\\u2069\\u2066
    ```
    Fix (unsafe: the text may display differently): each control is removed, giving
    `access level: user // admin`.
    """

    code = "U108"
    name = "bidi-control"
    summary = "Bidirectional control characters that hide or reorder text (Trojan Source)"
    fix_availability = FixAvailability.UNSAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        if not holds(doc, BIDI_CONTROL):
            return
        text = doc.text
        # per paragraph (by its start), whether it holds right-to-left letters
        rtl: dict[int, bool] = {}
        for match in BIDI_CONTROL.finditer(text):
            start = match.start()
            char = match.group()
            if char in BIDI_MARKS and _in_rtl_paragraph(doc, start, rtl):
                continue
            name = unicodedata.name(char).lower()
            message = f"bidirectional control character: {name} (U+{ord(char):04X})"
            if char in BIDI_MARKS:
                message += " in text without right-to-left letters"
            yield self.finding(
                start,
                start + 1,
                message,
                Fix.unsafe("Remove it", Edit(start, start + 1, "")),
            )


def _in_rtl_paragraph(doc: Document, offset: int, seen: dict[int, bool]) -> bool:
    """Whether the paragraph (lines up to a blank line) around an offset holds
    right-to-left letters; `seen` caches the answer by the paragraph's start."""
    paragraphs = doc.cached("paragraph-spans", _paragraphs)
    start, end = paragraphs[bisect.bisect_right(paragraphs, (offset, len(doc.text))) - 1]
    if start not in seen:
        seen[start] = RTL_LETTER.search(doc.text, start, end) is not None
    return seen[start]


def _paragraphs(doc: Document) -> list[tuple[int, int]]:
    """The (start, end) offsets of the runs of lines between blank lines."""
    paragraphs: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    for line in doc.lines:
        if line.text.strip():
            start = line.start if start is None else start
            end = line.end
        elif start is not None:
            paragraphs.append((start, end))
            start = None
    if start is not None:
        paragraphs.append((start, end))
    return paragraphs or [(0, len(doc.text))]
