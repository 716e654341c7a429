"""`textmend report PATH... -o report.html`: the corpus at a glance, in one HTML file.

The page is self-contained (inline CSS, JS and SVG; a Content-Security-Policy that
forbids any request), so it opens offline and can be kept as a CI artefact. It shows:

- a summary: documents, findings per family and per rule as bar charts, the documents
  with the most findings, the names the corpus spells several ways (as `textmend
  names` groups them) and the short lines that several documents share (boilerplate,
  compared as B108 compares them);
- each document with findings (the first `--max-documents`), its text with every
  finding highlighted in place, coloured by family; hovering a highlight shows its
  rule, message and fix, clicking it pins them in a side panel;
- under each document, the lines that `textmend fix` (with `--unsafe-fixes`, if given)
  would change, before and after, the changed words marked.

What the page shows is also in it as data, for tools and tests: the findings, exactly
as `check --format json` gives them, in `<script id="textmend-data">`, and each
highlight is a `<mark>` with `data-i` (the finding's index there), `data-rule`,
`data-start` and `data-end` (offsets in code points into the document's text). A
highlight that crosses another is split in pieces that carry the same data.

The report runs as `textmend fix --diff` does: the fixes are worked out, nothing is
written. It holds the texts of the documents it shows, and the names and short lines
of the corpus (as the N and B rules' statistics do).
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from textmend import __version__
from textmend.cli import Run
from textmend.config import Settings
from textmend.document import Document
from textmend.report import write_file
from textmend.rule import FAMILIES, Applicability, all_rules
from textmend.runner import Outcome
from textmend.sources import InputProblem, Source

TOP = 20  # rows of the tables of the summary
# colours by family (Okabe and Ito's palette, which colour-blind readers can tell apart)
COLOURS = {
    "W": "#E69F00",
    "N": "#0072B2",
    "B": "#CC79A7",
    "P": "#D55E00",
    "U": "#56B4E9",
    "L": "#009E73",
    "D": "#B8A300",
    "T": "#7F5539",
}
# what a page would not show, or would show wrongly: controls (a raw CR would become a
# line break), format characters (zero-width, bidirectional), line and paragraph
# separators; each is kept in the text, wrapped to be shown as <U+XXXX>
HIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
# words with the white space before them: fewer and more distinct tokens than words and
# spaces apart, which keeps the word diff of a long paragraph quick
TOKEN = re.compile(r"\s*(?:\w+|[^\w\s])|\s+")


def report(args: argparse.Namespace, settings: Settings) -> int:
    """Run the report: 0 when it is written, 2 when a file could not be read (the
    report is written all the same, with the problems listed)."""
    return ReportRun(args, settings).execute()


# --- what the page shows --------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    index: int  # in the page's findings
    code: str
    family: str


@dataclass(frozen=True)
class Piece:
    """A piece of a document's text as the page writes it: text, or a highlight's
    opening (`span`, `cont` when it goes on after a crossing), or a closing."""

    kind: str  # "text", "open", "close"
    text: str = ""
    span: Span | None = None
    cont: bool = False
    wide: bool = False


def pieces(text: str, spans: Sequence[Span]) -> list[Piece]:
    """The text with its spans as properly nested highlights: a span that crosses
    another is closed where the other closes and opened again after it."""
    starting: dict[int, list[Span]] = {}
    for span in sorted(spans, key=lambda s: (s.start, -s.end, s.index)):
        starting.setdefault(span.start, []).append(span)
    boundaries = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[Piece] = []
    stack: list[Span] = []
    at = 0

    def opening(span: Span, cont: bool = False) -> Piece:
        wide = span.end - span.start > 300 or "\n" in text[span.start : span.end]
        return Piece("open", span=span, cont=cont, wide=wide)

    for boundary in boundaries:
        if boundary > at:
            out.append(Piece("text", text[at:boundary]))
            at = boundary
        ended = [i for i, span in enumerate(stack) if span.end <= boundary]
        if ended:
            closing = stack[ended[0] :]
            del stack[ended[0] :]
            out.extend(Piece("close") for _ in closing)
            for span in closing:
                if span.end > boundary:
                    out.append(opening(span, cont=True))
                    stack.append(span)
        for span in starting.get(boundary, ()):
            out.append(opening(span))
            if span.end > span.start:
                stack.append(span)
            else:
                out.append(Piece("close"))
    return out


def visible(text: str) -> str:
    """HTML for a piece of text: escaped, and the characters that a page would hide
    wrapped so that the page shows them as <U+XXXX> (the character stays in the text;
    a NUL, which no page can hold, is left out)."""
    if not HIDDEN.search(text):
        return html.escape(text, quote=False)
    out = []
    at = 0
    for match in HIDDEN.finditer(text):
        out.append(html.escape(text[at : match.start()], quote=False))
        point = ord(match.group())
        # kept as it is: a page keeps a raw control, but a reference to one from
        # U+0080 to U+009F gives a Windows-1252 character; a raw CR, though, would be
        # read as a line break, and a NUL cannot be in a page at all
        kept = "&#13;" if point == 13 else "" if point == 0 else match.group()
        out.append(f'<span class="inv" data-cp="{point:04X}">{kept}</span>')
        at = match.end()
    out.append(html.escape(text[at:], quote=False))
    return "".join(out)


@dataclass
class DiffRow:
    """A row of the before/after view: the line's number before and after (None where
    it is deleted or inserted) and its words, each "" (as it was), "del" or "ins"; or
    a gap between changes (no numbers)."""

    old: int | None = None
    new: int | None = None
    words: list[tuple[str, str]] = field(default_factory=list)

    @property
    def gap(self) -> bool:
        return self.old is None and self.new is None


def diff_rows(before: str, after: str, context: int = 1) -> list[DiffRow]:
    """The changed lines, with `context` lines around them, each shown once with its
    words deleted and inserted (as a word processor tracks changes)."""
    old, new = before.splitlines(), after.splitlines()
    rows: list[DiffRow] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if rows:
            rows.append(DiffRow())
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(
                    DiffRow(i + 1, j + 1, [("", old[i])])
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                )
                continue
            for k in range(max(i2 - i1, j2 - j1)):
                i, j = i1 + k, j1 + k
                if i < i2 and j < j2:
                    rows.append(DiffRow(i + 1, j + 1, _word_diff(old[i], new[j])))
                elif i < i2:
                    rows.append(DiffRow(old=i + 1, words=[("del", old[i])]))
                else:
                    rows.append(DiffRow(new=j + 1, words=[("ins", new[j])]))
    return rows


def _word_diff(left: str, right: str) -> list[tuple[str, str]]:
    a, b = TOKEN.findall(left), TOKEN.findall(right)
    # the common start and end aside, the matcher compares only what lies between
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    words: list[tuple[str, str]] = [("", "".join(a[:head]))] if head else []
    middle_a, middle_b = a[head : len(a) - tail], b[head : len(b) - tail]
    matcher = SequenceMatcher(None, middle_a, middle_b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            words.append(("", "".join(middle_a[i1:i2])))
            continue
        if i2 > i1:
            words.append(("del", "".join(middle_a[i1:i2])))
        if j2 > j1:
            words.append(("ins", "".join(middle_b[j1:j2])))
    if tail:
        words.append(("", "".join(a[len(a) - tail :])))
    return words


@dataclass
class Shown:
    """A document shown in full."""

    number: int
    label: str
    pieces: list[Piece]
    families: list[tuple[str, int]]
    findings: int
    diff: list[DiffRow] | None
    applied: int


@dataclass
class Bar:
    label: str
    note: str
    count: int
    family: str
    share: float  # of the longest bar
    href: str = ""
    parts: list[tuple[str, float]] = field(default_factory=list)  # (family, share)


@dataclass
class Corpus:
    """What the summary says of the whole corpus beyond the findings: its names
    spelled several ways and its short lines shared by several documents."""

    settings: Settings
    names: Any = None  # NameStats, when the language has a lexicon
    lines: Counter[bytes] = field(default_factory=Counter)
    samples: dict[bytes, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from textmend.rules.lexicon import lexicon
        from textmend.rules.names import NameStats

        self.lexicon = lexicon(self.settings.lang)
        if self.lexicon is not None:
            self.names = NameStats()

    def add(self, doc: Document) -> None:
        from textmend.rules.boilerplate import line_key
        from textmend.rules.names import collect_names

        if self.names is not None:
            self.names.add(collect_names(doc))
        keys: dict[bytes, str] = {}
        for line in doc.lines:
            key = line_key(line.text)
            if key is not None:
                keys.setdefault(key, line.text.strip())
        for key, text in keys.items():
            self.lines[key] += 1
            if self.lines[key] == 2:  # a sample kept only for the lines that recur
                self.samples[key] = text

    def name_groups(self) -> list[dict[str, Any]]:
        from textmend.rules.names import variant_groups

        if self.names is None or self.lexicon is None:
            return []
        preferred = self.settings.family_options.get("names", {}).get("canonical", [])
        groups = variant_groups(self.names.names(self.lexicon), self.lexicon, preferred)
        shown = []
        for group in groups[:TOP]:
            data = group.to_json()
            # the canonical spelling first, then the others, most written first
            data["variants"].sort(key=lambda v: (v["spelling"] != group.canonical, -v["count"]))
            shown.append(data)
        return shown

    def shared_lines(self) -> tuple[list[tuple[str, int]], int]:
        """The short lines that two or more documents share, most shared first, and how
        many documents B108 wants (`boilerplate.min-documents`)."""
        from textmend.rules.boilerplate import RepeatedAcrossDocuments

        least = self.settings.family_options.get("boilerplate", {}).get(
            "min-documents", RepeatedAcrossDocuments.options["min-documents"]
        )
        shared = sorted(
            ((self.samples[key], count) for key, count in self.lines.items() if count >= 2),
            key=lambda item: (-item[1], item[0]),
        )
        return shared[:TOP], int(least)


# --- the run --------------------------------------------------------------------------


class ReportRun(Run):
    """A `check` that also works out the fixes (writing nothing) and keeps what the
    page shows."""

    def __init__(self, args: argparse.Namespace, settings: Settings) -> None:
        super().__init__(args, settings)
        self.shown: list[Shown] = []
        self.data: list[dict[str, Any]] = []  # the findings of the documents shown
        self.where: list[int] = []  # the document of each, in `shown`
        self.offsets: list[tuple[int, int]] = []
        self.problems: list[str] = []
        self.with_findings = 0
        self.corpus = Corpus(self.settings)

    @property
    def fixing(self) -> bool:
        return True

    @property
    def diffing(self) -> bool:
        return False

    @property
    def writing(self) -> bool:
        return False

    def problem(self, message: str) -> None:
        super().problem(message)
        self.problems.append(message)

    def finish(self, source: Source, results: Iterator[Outcome | InputProblem]) -> None:
        outcomes: dict[int, Outcome] = {}
        for item in results:
            if isinstance(item, InputProblem):
                self.problem(str(item))
                continue
            self.summary.documents += 1
            if item.error is not None:
                self.problem(item.error)
                continue
            self.diagnostics.extend(item.initial)
            if item.initial:
                self.with_findings += 1
                # only the outcomes (and fixed texts) of the documents to be shown are kept
                if len(self.shown) + len(outcomes) < self.args.max_documents:
                    outcomes[item.key] = item
        # the texts, read again (as `fix --diff` does): of the documents to show, and
        # for the names and lines of the corpus
        for doc in source.documents():
            if isinstance(doc, InputProblem):
                continue
            self.corpus.add(doc)
            outcome = outcomes.get(doc.line)
            if outcome is not None:
                self.show(doc, outcome)

    def show(self, doc: Document, outcome: Outcome) -> None:
        number = len(self.shown)
        starts = doc.line_starts
        spans = []
        for d in outcome.initial:
            start = starts[d.location[0] - 1] + d.location[1] - 1
            end = starts[d.end_location[0] - 1] + d.end_location[1] - 1
            spans.append(Span(start, end, len(self.data), d.code, d.family))
            self.data.append(d.to_json())
            self.where.append(number)
            self.offsets.append((start, end))
        families = Counter(d.family for d in outcome.initial)
        fixed = outcome.fixed
        self.shown.append(
            Shown(
                number=number,
                label=doc.label,
                pieces=pieces(doc.text, spans),
                families=sorted(families.items(), key=lambda item: _family_order(item[0])),
                findings=len(outcome.initial),
                diff=diff_rows(doc.text, fixed) if fixed is not None else None,
                applied=outcome.applied,
            )
        )

    def report(self) -> None:
        page = render_page(self)
        output = self.args.output
        if output == "-":
            sys.stdout.write(page)
        else:
            write_file(output, page.encode("utf-8"))
            if not self.args.quiet:
                print(
                    f"Wrote {output}: {len(self.diagnostics):,} findings in "
                    f"{self.with_findings:,} of {self.summary.documents:,} documents."
                )


def _family_order(letter: str) -> int:
    return list(FAMILIES).index(letter) if letter in FAMILIES else len(FAMILIES)


# --- the page -------------------------------------------------------------------------


def _bars(counts: Counter[str], label: Any, note: Any) -> list[Bar]:
    if not counts:
        return []
    most = max(counts.values())
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Bar(label(key), note(key), count, key[0], count / most) for key, count in rows]


def summary(run: ReportRun) -> dict[str, Any]:
    diagnostics = run.diagnostics
    rules = all_rules()
    by_family = Counter(d.family for d in diagnostics)
    by_rule = Counter(d.code for d in diagnostics)
    families = _bars(by_family, lambda f: f, lambda f: FAMILIES.get(f, ""))
    per_rule = _bars(by_rule, lambda c: c, lambda c: rules[c].name if c in rules else "")
    # the documents with the most findings, with their families
    per_document: dict[str, Counter[str]] = {}
    for d in diagnostics:
        label = d.filename if d.record is None else f"{d.filename}[{d.record.label()}]"
        per_document.setdefault(label, Counter())[d.family] += 1
    anchors = {shown.label: f"#doc-{shown.number}" for shown in run.shown}
    top = sorted(per_document.items(), key=lambda item: -sum(item[1].values()))[:TOP]
    most = max((sum(c.values()) for _, c in top), default=1)
    documents = []
    for label, counts in top:
        total = sum(counts.values())
        bar = Bar(label, "", total, "", total / most, anchors.get(label, ""))
        bar.parts = [
            (family, count / most)
            for family, count in sorted(counts.items(), key=lambda i: _family_order(i[0]))
        ]
        documents.append(bar)
    lines, least = run.corpus.shared_lines()
    return {
        "documents": run.summary.documents,
        "with_findings": run.with_findings,
        "findings": len(diagnostics),
        "safe": sum(d.fix_applicability is Applicability.SAFE for d in diagnostics),
        "unsafe": sum(d.fix_applicability is Applicability.UNSAFE for d in diagnostics),
        "families": families,
        "rules": per_rule,
        "top": documents,
        "names": run.corpus.name_groups(),
        "lines": lines,
        "least": least,
    }


def render_page(run: ReportRun) -> str:
    import jinja2
    import markupsafe

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("textmend.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["visible"] = lambda text: markupsafe.Markup(visible(text))

    def static(name: str) -> Any:
        source, _, _ = environment.loader.get_source(environment, name)  # type: ignore[union-attr]
        return markupsafe.Markup(source)

    rules = all_rules()
    codes = sorted({d["code"] for d in run.data})
    data = {
        "version": __version__,
        "findings": run.data,
        "document": run.where,
        "offsets": run.offsets,
        "documents": [shown.label for shown in run.shown],
        "rules": {
            code: {"name": rules[code].name, "summary": rules[code].summary}
            for code in codes
            if code in rules
        },
        "families": FAMILIES,
    }
    template = environment.get_template("report.html.j2")
    return template.render(
        title=_title(run.args.paths),
        version=__version__,
        command=_command(run.args),
        unsafe=run.summary.unsafe_fixes,
        summary=summary(run),
        shown=run.shown,
        hidden=run.with_findings - len(run.shown),
        problems=run.problems,
        colours=COLOURS,
        tints={letter: _rgba(colour, 0.22) for letter, colour in COLOURS.items()},
        faints={letter: _rgba(colour, 0.07) for letter, colour in COLOURS.items()},
        family_names=FAMILIES,
        css=static("report.css"),
        js=static("report.js"),
        data=data,
    )


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def _title(paths: list[str]) -> str:
    shown = ", ".join(paths[:3]) or "."
    return shown + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


def _command(args: argparse.Namespace) -> str:
    fix = "textmend fix --unsafe-fixes" if args.unsafe_fixes else "textmend fix"
    return fix + " " + " ".join(args.paths or ["."])
