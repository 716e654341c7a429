"""The B rules over a corpus, where one fixture text is not enough: news documents with
boilerplate of every kind the rules cover inserted at the top, the bottom and between
paragraphs (recall must be 0.95 or more, and no content line may be flagged or lost to
a fix); and the seed corpus checked and fixed. The single-text cases are in
fixtures/B101.toml to B107.toml; B108 alone is in test_boilerplate_corpus.py."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SEEDS

import textmend
from textmend.cli import main
from textmend.document import Document
from textmend.report import Diagnostic
from textmend.rules import boilerplate

# ---------------------------------------------------------------- a test corpus

# Boilerplate templates, by kind; each non-blank line of one is a boilerplate line.
TEMPLATES = {
    # navigation (B101)
    "nav-skip": "Skip to main content",
    "nav-access": "Quick access to main page (top) Direct access to main contents",
    "nav-top": "Back to top",
    "nav-toggle": "Toggle navigation",
    "nav-menu": "Main menu",
    "nav-jump": "Jump to navigation | Search this site",
    # widgets and counters (B102)
    "share-article": "Share this article",
    "share-on": "Share on Facebook | Share on X",
    "share-it": "Share it on...",
    "follow": "Follow us on Telegram",
    "subscribe": "Subscribe to our newsletter",
    "sign-up": "Sign up for our daily briefing",
    "comment-box": "Comments0\n\n300",
    "comments-brackets": "Comments (12)",
    "comments-count": "12 Comments",
    "shares-count": "Shares: 120",
    "leave-comment": "Leave a comment",
    "leave-reply": "Leave a Reply",
    "cookies": "We use cookies\nAccept all\nCookie settings",
    "print": "Print this article",
    "read-more": "Read more: Seoul weighs arms for Ukraine",
    # related-stories lists (B103)
    "popular-now": (
        "[Latest] Popular Now\n\n"
        "  • Top Troops Compete: Army's Best Squads Battle for Glory\n"
        "  • KAI and Boeing Seal $8.5 billion Deal for B737MAX Aircraft Parts\n"
        "  • U.S. and South Korea Team Up for Vital Chemical Defense Drills"
    ),
    "related-articles": (
        "Related articles:\n- Rutte meets Yoon in Seoul\n- EU agrees new sanctions on Pyongyang"
    ),
    "also-like": (
        "You may also like\n\n"
        "1. Farmers block roads in Warsaw\n"
        "2. Kyiv counts the cost of the winter\n"
        "3. Seoul eyes new air defence"
    ),
    "most-read": (
        "Most read\n1) Kim Jong Un visits missile plant\n2) Grain prices fall for a third month"
    ),
    "editors-picks": "Editor’s picks\n▪ Farmers protest in Brussels\n▪ Kyiv prepares for winter",
    "read-also": "Read also:\n* Pyongyang denies sending troops\n* Moscow summons the Korean envoy",
    # contact lines (B104)
    "mail-only": "CP-2023-0359@fastviewkorea.com",
    "mail-label": "E-mail: newsdesk@example.com",
    "contact-label": "Contact: tips@kyiv-news.example.org",
    # credits, bylines, section labels and breadcrumbs (B105)
    "translation": "Translation by Iurie Tataru",
    "photo": "Photo: Reuters",
    "image-credit": "Image credit: Getty Images",
    "posted-by": "Posted by Jane Smith",
    "byline": "By Jane Smith",
    "byline-two": "By Hwang Min-ji and Oleksandr Petrenko",
    "reuters-credit": "Reporting by Anna Kowalska; Editing by John Doe.",
    "copyright": "Copyright 2024 Example Media. All rights reserved.",
    "copyright-sign": "© 2024 Yonhap News Agency",
    "brand-section": "BEMIL Views",
    "agency": "Yonhap News",
    "breadcrumb": "- News",
    "trail": "Home > World > Europe",
    "source": "Source: Ukrinform",
    # hashtag lines (B106)
    "tags": "#Alarm #West #threat #North #Koreas #entry #Ukrainian #war",
    "tags-short": "#Ukraine #NATO #NorthKorea",
    # embed attributions (B107)
    "embed-nato": "— NATO (@NATO) November 4, 2024",
    "embed-eu": "— Ursula von der Leyen (@vonderleyen) October 28, 2024",
    "embed-blinken": "– Antony Blinken (@SecBlinken) Oct. 31, 2024",
}

# Content: paragraphs, headings, an embedded post's lines, a quotation two articles
# share, a bullet list that is part of an article.
YOON = (
    "South Korean President Yoon Suk Yeol convened the National Security Council on"
    " Tuesday after the intelligence service said that some 1,500 North Korean special"
    " forces troops had been sent to Russia."
)
KIM = (
    "Defence Minister Kim Yong-hyun told lawmakers that the troops were being trained near"
    " Vladivostok and could reach the front in Kursk within weeks."
)
RUTTE = (
    "NATO Secretary General Mark Rutte said in Brussels on Monday that the deployment marked"
    " a significant escalation and a dangerous expansion of the war."
)
SYBIHA = (
    "Ukrainian Foreign Minister Andrii Sybiha called on partners to respond with more air"
    " defence systems and long-range weapons, not only with statements."
)
COMMENTS = (
    "Comments from the minister were harsh: he accused Pyongyang of selling its soldiers"
    " as cannon fodder."
)
PHOTOS = (
    "Photos of the damage were shared widely on Telegram, showing a block of flats in"
    " Kharkiv with its upper floors torn open."
)
SANCTIONS = (
    "The European Union has prepared a new package of sanctions that would target 300"
    " companies and 54 individuals linked to the transfer of arms."
)
PRESS = (
    "Journalists who wish to attend the briefing can write to press@nato.int before noon"
    " on Thursday."
)
TAGS = (
    "On social media, the tags #StandWithUkraine and #NoWar trended across Europe within"
    " hours of the report."
)
FARMERS = (
    "Farmers in Poland and Romania will receive compensation from a reserve fund of 400"
    " million euros, the European Commission said on Wednesday."
)
GRAIN = (
    "The grain corridor through the Black Sea has carried more than 60 million tonnes since"
    " it opened, according to the ministry in Kyiv."
)
WASHINGTON = (
    "In Washington, officials said privately that the deployment would test the resolve of"
    " the alliance weeks before the presidential election."
)
ZELENSKY = (
    "Zelensky’s problem is that the West also does not trust his ability to win, or even to"
    " come with good cards to eventual negotiations."
)
ESCALATION = (
    "Such a step would push the escalation of tension between the West and Russia to the"
    " limit, and could trigger a direct confrontation with Moscow."
)
COPYRIGHT = (
    "Copyright law was the other dispute of the day: publishers want the new rules delayed"
    " by a year."
)
WRITTEN = "Written by a former diplomat, the report was sent to the ministers on Friday."
QUOTE = "“This is a dangerous expansion of Russia’s war,” Rutte told reporters."
POST = (
    "The security of Europe and East-Asia are interlinked.\n"
    "North Korean soldiers are deployed to support Russia’s war of aggression.\n"
    "We will respond together with our like-minded partners, I told @President_KR ⭣"
)
STEPS = (
    "The ministers agreed on three steps:\n"
    "• more air defence systems for Ukraine\n"
    "• new sanctions on Pyongyang\n"
    "• a joint cell to monitor the transfers"
)
COMPLAINTS = "Zelensky’s complaints"
THREAT = "Threat to global peace"
NERVOUSNESS = "Nervousness in Washington"
GOOD_NEWS = "Good News for Farmers"

# Each document: its pieces (template names or content) and how it separates them.
LAYOUTS: dict[str, tuple[list[str], str]] = {
    "seoul.txt": (
        [
            "nav-access",
            "North Korean troops in Russia alarm Seoul",
            "brand-section",
            "agency",
            YOON,
            KIM,
            "share-article",
            QUOTE,
            SANCTIONS,
            "mail-only",
            "comment-box",
            "popular-now",
            "share-it",
        ],
        "\n\n",
    ),
    "brussels.txt": (
        [
            "nav-skip",
            "nav-menu",
            "NATO warns of a dangerous expansion of the war",
            "byline",
            RUTTE,
            QUOTE,
            "embed-nato",
            THREAT,
            ESCALATION,
            "related-articles",
            PRESS,
            "tags-short",
            "leave-reply",
            "copyright",
        ],
        "\n",
    ),
    "kyiv.txt": (
        [
            "nav-toggle",
            "Ukraine asks for air defence, not statements",
            "byline-two",
            "photo",
            SYBIHA,
            PHOTOS,
            "follow",
            "subscribe",
            COMPLAINTS,
            ZELENSKY,
            "comments-count",
            "leave-comment",
            "translation",
        ],
        "\n\n",
    ),
    "farmers.txt": (
        [
            "cookies",
            "trail",
            "Farmers to get compensation for grain imports",
            "source",
            GOOD_NEWS,
            FARMERS,
            "read-more",
            GRAIN,
            "editors-picks",
            COPYRIGHT,
            "print",
            "nav-top",
        ],
        "\r\n",
    ),
    "embed.txt": (
        [
            "nav-jump",
            "Global leaders respond to North Korean military escalation",
            "posted-by",
            "sign-up",
            POST,
            "embed-eu",
            COMMENTS,
            TAGS,
            "embed-blinken",
            "share-on",
            "shares-count",
            "tags",
            "breadcrumb",
        ],
        "\n\n",
    ),
    "washington.txt": (
        [
            "nav-skip",
            "Allies weigh a response to North Korea",
            "agency",
            NERVOUSNESS,
            WASHINGTON,
            "also-like",
            STEPS,
            THREAT,
            WRITTEN,
            "comments-brackets",
            "mail-label",
            "copyright-sign",
        ],
        "\n",
    ),
    "truce.txt": (
        [
            "nav-skip",
            "Zelensky’s truce offer meets silence",
            "reuters-credit",
            COMPLAINTS,
            ZELENSKY,
            "most-read",
            ESCALATION,
            "share-article",
            "comment-box",
            "contact-label",
            "read-also",
        ],
        "\n\n",
    ),
    "grain.txt": (
        [
            "Grain corridor passes 60 million tonnes",
            "agency",
            GRAIN,
            "image-credit",
            "popular-now",
            NERVOUSNESS,
            SANCTIONS,
            "share-article",
            "comment-box",
            "tags",
        ],
        "\n",
    ),
}


@dataclass
class Built:
    """A document of the corpus: its text, and its lines as content or boilerplate."""

    text: str
    lines: list[tuple[str, bool | None]]  # (line, is boilerplate), None for a blank line

    def rows(self, boilerplate: bool) -> list[int]:
        return [row for row, (_, kind) in enumerate(self.lines, 1) if kind is boilerplate]

    def content(self) -> list[str]:
        return [line for line, kind in self.lines if kind is False]


def build(pieces: list[str], separator: str) -> Built:
    newline = "\r\n" if separator == "\r\n" else "\n"
    lines: list[tuple[str, bool | None]] = []
    for n, piece in enumerate(pieces):
        if n and separator == "\n\n":
            lines.append(("", None))
        boilerplate = piece in TEMPLATES
        for line in TEMPLATES.get(piece, piece).split("\n"):
            lines.append((line, boilerplate if line.strip() else None))
    text = newline.join(line for line, _ in lines)
    # some documents end with a line break, some do not
    return Built(text + newline if len(pieces) % 2 else text, lines)


CORPUS = {name: build(*layout) for name, layout in LAYOUTS.items()}
B_RULES = ["B101", "B102", "B103", "B104", "B105", "B106", "B107"]


def covered(diagnostics: Iterable[Diagnostic]) -> dict[str, set[int]]:
    """The rows each document has under a finding."""
    rows: dict[str, set[int]] = {name: set() for name in CORPUS}
    for d in diagnostics:
        rows[d.filename].update(range(d.location[0], d.end_location[0] + 1))
    return rows


def recall(select: list[str]) -> tuple[float, list[tuple[str, int, str]]]:
    """The share of boilerplate lines under a finding, and the (document, row, line)
    of those that are not."""
    found = covered(textmend.check({n: b.text for n, b in CORPUS.items()}, select=select))
    total = 0
    missed = []
    for name, built in CORPUS.items():
        for row in built.rows(boilerplate=True):
            total += 1
            if row not in found[name]:
                missed.append((name, row, built.lines[row - 1][0]))
    return (total - len(missed)) / total, missed


def test_the_corpus_is_as_described() -> None:
    used = Counter(p for pieces, _ in LAYOUTS.values() for p in pieces if p in TEMPLATES)
    assert set(used) == set(TEMPLATES), "every template is inserted"
    assert len(TEMPLATES) >= 30
    assert sum(1 for count in used.values() if count > 1) >= 5, "some are shared"
    content = {line for b in CORPUS.values() for line in b.content()}
    boilerplate = {line for b in CORPUS.values() for line, kind in b.lines if kind}
    assert not content & boilerplate
    assert len({p for pieces, _ in LAYOUTS.values() for p in pieces} - set(TEMPLATES)) >= 25


def test_boilerplate_recall_is_at_least_95_percent() -> None:
    for select in (["B"], B_RULES):
        share, missed = recall(select)
        total = sum(len(b.rows(boilerplate=True)) for b in CORPUS.values())
        print(f"\nB recall ({','.join(select)}): {share:.3f} of {total} lines; missed {missed}")
        assert share >= 0.95, missed


def test_no_content_line_is_flagged() -> None:
    found = covered(textmend.check({n: b.text for n, b in CORPUS.items()}, select=["B"]))
    flagged = [
        f"{name}:{row} {built.lines[row - 1][0]}"
        for name, built in CORPUS.items()
        for row in built.rows(boilerplate=False)
        if row in found[name]
    ]
    assert flagged == []


def test_fixing_the_corpus_deletes_boilerplate_and_keeps_every_content_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, built in CORPUS.items():
        (folder / name).write_bytes(built.text.encode("utf-8"))
    monkeypatch.chdir(tmp_path)
    main(["fix", "--unsafe-fixes", "--select", "B", str(folder)])
    _, missed = recall(["B"])
    for name, built in CORPUS.items():
        fixed = [line for line in (folder / name).read_bytes().decode().splitlines() if line]
        boilerplate = {line for line, kind in built.lines if kind}
        # every content line, unchanged and in order; no other line but missed boilerplate
        assert [line for line in fixed if line not in boilerplate] == built.content(), name
        left = Counter(line for line in fixed if line in boilerplate)
        assert not left - Counter(line for n, _, line in missed if n == name), name
    # the headings and the quotation two articles share stay in both
    for names, line in [
        (("brussels.txt", "washington.txt"), THREAT),
        (("kyiv.txt", "truce.txt"), COMPLAINTS),
        (("washington.txt", "grain.txt"), NERVOUSNESS),
        (("seoul.txt", "brussels.txt"), QUOTE),
    ]:
        for name in names:
            assert line in (folder / name).read_text(encoding="utf-8").splitlines(), name


# ---------------------------------------------------------------- the seed corpus

EXPECTED = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))
B_DEFECTS = [
    d for d in EXPECTED["defects"] if d["family"] == "B" and d["level"] in ("must", "should")
]
SEED_TEXTS = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
POST_LINES = [
    "The security of Europe and East-Asia are interlinked.",
    "North Korean soldiers are deployed to support Russia’s war of aggression.",
    "It's a grave escalation in this war and a threat to global peace.",
    "We will respond together with our like-minded partners, I told @President_KR ⭣",
]
BULLET = re.compile(r"^\s*•\s")


def test_seed_defects_are_all_found() -> None:
    diagnostics = textmend.check(SEED_TEXTS, select=["B"])
    for defect in B_DEFECTS:
        doc = Document(SEED_TEXTS[defect["file"]], defect["file"])
        places = [
            (doc.position(line.start), doc.position(line.end))
            for line in doc.lines
            if line.text.strip() == defect["text"]
        ]
        assert len(places) == defect["occurrences"], defect["text"]
        for start, end in places:
            assert any(
                d.filename == defect["file"] and d.location < end and start < d.end_location
                for d in diagnostics
            ), f"{defect['file']}: {defect['text']} not found"


def related_bullets(text: str) -> set[str]:
    """The bullet lines under the `[Latest] ...` headers of a seed document."""
    bullets = set()
    under_header = False
    for line in text.splitlines():
        if line.startswith("[Latest]"):
            under_header = True
        elif BULLET.match(line) and under_header:
            bullets.add(line.strip())
        elif line.strip():
            under_header = False
    return bullets


def test_fixing_the_seeds_deletes_their_boilerplate_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    monkeypatch.chdir(tmp_path)
    main(["fix", "--unsafe-fixes", "--select", "B", str(folder)])
    for name, text in SEED_TEXTS.items():
        before = Counter(line for line in text.splitlines() if line.strip())
        after_text = (folder / name).read_text(encoding="utf-8")
        after = Counter(line for line in after_text.splitlines() if line.strip())
        defects = {d["text"] for d in B_DEFECTS if d["file"] == name}
        allowed = defects | related_bullets(text)
        assert not after - before, f"{name}: lines changed"
        removed = before - after
        assert [line for line in removed if line.strip() not in allowed] == [], name
        assert not [line for line in after if line.strip() in defects], name
    kept = (folder / "000_13e5ef5e76ae84ed.txt").read_text(encoding="utf-8").splitlines()
    assert all(line in kept for line in POST_LINES)


LABELS = [
    "BEMIL Views",
    "- News",
    "- World Politics Opinion",  # four words with the leading mark: three without
    "Yonhap News",
    "Home > World > Europe",
    "Home > North Korea > Defence > Politics",  # many words, in parts of three at most
    "Asia Pacific | Korea | News",
    "Sports / Live",
]


@pytest.mark.parametrize("line", LABELS)
def test_a_label_passes_the_quick_test_and_is_found(line: str) -> None:
    assert boilerplate._section_label(line, "en"), line
    assert boilerplate._may_be_label(line, len(line.split())), line
    text = f"Officials said on Monday that talks would resume next week.\n{line}\n"
    assert [d.code for d in textmend.check(text, select=["B105"])] == ["B105"]


def test_the_quick_test_turns_away_long_lines_without_a_trail_mark() -> None:
    sentence = "The minister said the talks would resume next week in Geneva"
    assert not boilerplate._may_be_label(sentence, len(sentence.split()))
    assert boilerplate._may_be_label(sentence + " / Reuters", len(sentence.split()) + 2)


WHOLE_LINES = [
    ("#Alarm #West #threat", "B106"),
    ("— Ursula von der Leyen (@vonderleyen) October 28, 2024", "B107"),
    ("E-MAIL: CP-2023-0359@fastviewkorea.com", "B104"),  # the flag kept for its pattern
    ("COMMENTS (12)", "B102"),
    ("— Someone (@someone) october 28, 2024", None),  # a month in lower case is not one
]


@pytest.mark.parametrize(("line", "code"), WHOLE_LINES)
def test_the_whole_line_pattern_finds_each_kind_as_its_own_pattern_does(
    line: str, code: str | None
) -> None:
    kind = boilerplate._line_kind(line, "en")
    assert (kind[0] if kind else None) == code
    patterns = boilerplate.WHOLE_LINE_KINDS
    assert [c for c, (pattern, _) in patterns.items() if pattern.match(line)] == [code] * bool(code)


@pytest.mark.parametrize("count", [1, 4, 5, 8, 9, 15, 16, 17, 40])
def test_the_capped_word_count_is_the_count_up_to_16(count: int) -> None:
    for gap in (" ", "  ", "\t", " \u00a0"):
        text = gap.join(["word"] * count)
        for line in (text, f"{gap}{text}{gap}"):
            assert boilerplate._words_up_to_16(line) == min(count, 16), (gap, line)


@pytest.mark.parametrize("mark", boilerplate.TRAIL_MARKS)
def test_the_quick_test_sees_every_trail_mark(mark: str) -> None:
    sentence = "The minister said the talks would resume next week in Geneva"
    assert boilerplate._has_trail_mark(f"{sentence} {mark} Reuters")
    assert not boilerplate._has_trail_mark(sentence)


@pytest.mark.parametrize(
    "text",
    ["Page 1234567890 of 9", "Seoul’s 2024 plan, 3 of 4", "Page ٣ of ５ (7)", "Top stories", ""],
)
def test_digits_are_zero_as_the_pattern_makes_them(text: str) -> None:
    assert boilerplate._digits_as_zero(text) == boilerplate.DIGITS.sub("0", text)
    assert boilerplate.line_key(text) == (
        boilerplate.line_key(boilerplate.DIGITS.sub("0", text)) if text else None
    )


def test_the_line_keys_of_a_document_are_each_line_s_key(monkeypatch: pytest.MonkeyPatch) -> None:
    # B108 keys short lines through a memo shared by the documents of a run (emptied
    # when full) and long ones directly: every line must get what `line_key` gives it,
    # a long line padded with spaces around a short one too

    monkeypatch.setattr(boilerplate._SHORT_LINE_KEYS, "limit", 5)
    boilerplate._SHORT_LINE_KEYS.clear()
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    texts.append(" " * 150 + "Share this article" + "\t" * 10 + "\nShare this article\n\n")
    keyed = 0
    for i, text in enumerate(texts * 2):
        doc = Document(text, f"d{i}")
        keys = boilerplate._line_keys(doc)
        assert keys == [boilerplate.line_key(line.text) for line in doc.lines]
        keyed += sum(key is not None for key in keys)
    padded = boilerplate._line_keys(Document(texts[-1], "p"))
    assert padded[0] is not None and padded[0] == padded[1]
    assert keyed > 50
