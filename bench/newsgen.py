"""A generator of varied news-like English text, with defects injected where asked.

Deterministic for a seed. Documents are about 1 KB: a headline and paragraphs built
from templates and word pools with many names (Korean, Ukrainian, Polish, French...,
and a long tail of 50,000 invented surnames),
curly and straight quotes, apostrophes, abbreviations and decimals, so that the
benchmarks see the shapes that trip rules up, not the seeds copied over and over.

`inject(text, rng, kinds)` returns the text with defects added and their labels: the
family letter and the span of each defect in the new text.
"""

from __future__ import annotations

import random
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

FIRST = [
    "Ursula",
    "Mark",
    "Kim",
    "Choe",
    "Volodymyr",
    "Andrii",
    "Jean-Noël",
    "Lloyd",
    "Antony",
    "Yoon",
    "Sabrina",
    "Wladyslaw",
    "Emmanuel",
    "Kamala",
    "Sergei",
    "Jens",
    "Olaf",
    "Giorgia",
    "Pedro",
    "Fumio",
    "Li",
    "Recep",
    "Narendra",
    "Mette",
    "Petr",
]
LAST = [
    "von der Leyen",
    "Rutte",
    "Yong-hyun",
    "Son Hui",
    "Zelensky",
    "Sybiha",
    "Barrot",
    "Austin",
    "Blinken",
    "Suk Yeol",
    "Singh",
    "Kosiniak-Kamysz",
    "Macron",
    "Harris",
    "Lavrov",
    "Stoltenberg",
    "Scholz",
    "Meloni",
    "Sánchez",
    "Kishida",
    "Qiang",
    "Erdoğan",
    "Modi",
    "Frederiksen",
    "Pavel",
    "Naumann",
    "Tataru",
    "Babcock",
    "Hwang",
    "Kuleba",
]
ROLES = [
    "foreign minister",
    "defence minister",
    "secretary general",
    "president",
    "prime minister",
    "spokesperson",
    "ambassador",
    "chief of staff",
    "senior adviser",
]
ORGS = [
    "NATO",
    "the European Commission",
    "the Pentagon",
    "the Kremlin",
    "the U.N.",
    "the National Intelligence Service",
    "the G7",
    "the EU",
    "Yonhap",
    "Politico",
    "the Friedrich Naumann Foundation",
    "the Joint Chiefs of Staff",
    "BRICS",
]
PLACES = [
    "Kyiv",
    "Seoul",
    "Pyongyang",
    "Moscow",
    "Brussels",
    "Washington",
    "Tokyo",
    "Beijing",
    "Kursk",
    "Kazan",
    "Warsaw",
    "Zürich",
    "Yongsan",
    "Kharkiv",
    "Paris",
    "Berlin",
    "Ankara",
    "New Delhi",
    "Vilnius",
    "Gdańsk",
    "Odesa",
    "Busan",
]
COUNTRIES = [
    "Russia",
    "Ukraine",
    "North Korea",
    "South Korea",
    "China",
    "Japan",
    "Poland",
    "France",
    "Germany",
    "the United States",
    "Turkey",
    "India",
    "Iran",
]
NOUNS = [
    "troops",
    "missiles",
    "drones",
    "soldiers",
    "engineers",
    "artillery shells",
    "air-defence systems",
    "fighter jets",
    "special forces",
    "advisers",
    "tanks",
]
VERBS = [
    "said",
    "warned",
    "stated",
    "confirmed",
    "announced",
    "told reporters",
    "argued",
    "insisted",
    "added",
    "noted",
    "emphasised",
    "acknowledged",
]
ACTIONS = [
    "has deployed",
    "is preparing to send",
    "has supplied",
    "plans to move",
    "could transfer",
    "has already delivered",
    "is training",
    "will withdraw",
]
OPINIONS = [
    "a serious escalation",
    "a threat to global peace",
    "a grave mistake",
    "an unprecedented step",
    "a turning point",
    "deeply worrying",
    "the greatest threat to European security",
    "a sign of desperation",
]
TIMES = [
    "on Tuesday",
    "last week",
    "this Wednesday",
    "on Monday evening",
    "in October",
    "earlier this year",
    "at dawn",
    "on 28 October",
    "since February 2022",
]
HEADLINES = [
    "{country} {action} {n} {noun} to {place}",
    "{first} {last} warns of {opinion}",
    "Allies weigh response as {country} escalates",
    "What {org}’s new estimate means for {place}",
    "Inside {place}: the {noun} nobody expected",
]
SENTENCES = [
    "{first} {last}, the {role} of {org}, {verb} {time} that {country} {action} "
    "about {n} {noun} to {place}.",
    "“This is {opinion},” {first} {last} {verb} in {place}.",
    "According to {org}, {country} {action} {n} {noun}, a figure that could rise to "
    "{n2} by the end of the year.",
    "The {role} {verb} that the deployment was “{opinion}” and called for restraint.",
    "In {place}, officials described the move as {opinion}; others were less sure.",
    "{org} estimates the cost at ${d} billion, roughly {p}% of the annual budget.",
    "Asked about {place}, {first} {last} said: “We are watching closely.”",
    "{country}’s {role} met {first} {last} {time}, the first such meeting since 2019.",
    "Analysts at {org} noted that {noun} from {country} had been seen near {place}, "
    "e.g. in satellite images taken at 6.30 a.m. local time.",
    "It was, {first} {last} {verb}, “a question of when, not if.”",
    "The U.S. and {country} have held talks in {place} over the past {n3} weeks.",
    "{first} {last} did not respond to a request for comment.",
]


SYLLABLES = [
    "ka",
    "ri",
    "to",
    "ma",
    "se",
    "lo",
    "vi",
    "an",
    "de",
    "bor",
    "gen",
    "hal",
    "mir",
    "nov",
    "pet",
    "rak",
    "sol",
    "tan",
    "vel",
    "yu",
    "zan",
    "kor",
    "lin",
    "bra",
    "dun",
    "fel",
    "gor",
    "hus",
    "jor",
    "kel",
    "lev",
    "mas",
    "nor",
    "oss",
    "pra",
    "ril",
    "sta",
    "tor",
    "ulm",
    "var",
    "wen",
    "yev",
    "zor",
]


def _synthetic_names(count: int, seed: int = 3) -> list[str]:
    """Invented surnames, so that the corpus has the long tail of names real news has."""
    rng = random.Random(seed)
    names = set()
    while len(names) < count:
        parts = [rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))]
        names.add("".join(parts).capitalize() + rng.choice(["", "", "ov", "enko", "ski", "son"]))
    return sorted(names)


RARE_NAMES = _synthetic_names(50_000)
RARE_SET = frozenset(RARE_NAMES)


RARE_SHARE = 0.2  # the share of surnames drawn from the long tail of invented names


def _fill(template: str, rng: random.Random, rare_share: float = RARE_SHARE) -> str:
    last = rng.choice(RARE_NAMES) if rng.random() < rare_share else rng.choice(LAST)
    # a rare surname belongs to one person, with one first name (the pool of well-known
    # surnames mixes first names freely, to give the rules many combinations to see)
    first = FIRST[zlib.crc32(last.encode()) % len(FIRST)] if last in RARE_SET else None
    return template.format(
        first=first or rng.choice(FIRST),
        last=last,
        role=rng.choice(ROLES),
        org=rng.choice(ORGS),
        place=rng.choice(PLACES),
        country=rng.choice(COUNTRIES),
        noun=rng.choice(NOUNS),
        verb=rng.choice(VERBS),
        action=rng.choice(ACTIONS),
        opinion=rng.choice(OPINIONS),
        time=rng.choice(TIMES),
        n=rng.randint(2, 30) * 500,
        n2=rng.randint(31, 90) * 500,
        n3=rng.randint(2, 12),
        d=f"{rng.uniform(1, 60):.1f}",
        p=rng.randint(2, 40),
    )


def document(rng: random.Random, target_chars: int = 1000, rare_share: float = RARE_SHARE) -> str:
    """One clean news-like document, paragraphs on their own lines; `rare_share` of its
    surnames come from the long tail of invented names."""
    headline = _fill(rng.choice(HEADLINES), rng, rare_share)
    paragraphs = [headline[0].upper() + headline[1:]]
    size = len(headline)
    while size < target_chars:
        paragraph = " ".join(
            _fill(rng.choice(SENTENCES), rng, rare_share) for _ in range(rng.randint(2, 4))
        )
        paragraphs.append(paragraph)
        size += len(paragraph) + 1
    return "\n".join(paragraphs) + "\n"


def corpus(size_bytes: int, seed: int = 7, rare_share: float = RARE_SHARE) -> Iterator[str]:
    """Clean documents until their UTF-8 size reaches `size_bytes`."""
    rng = random.Random(seed)
    total = 0
    while total < size_bytes:
        doc = document(rng, rng.randint(600, 1600), rare_share)
        total += len(doc.encode("utf-8"))
        yield doc


@dataclass(frozen=True)
class Label:
    family: str
    start: int
    end: int
    kind: str


MOJIBAKE = {"é": "Ã©", "ü": "Ã¼", "ë": "Ã«", "ś": "Å›", "ğ": "ÄŸ", "ń": "Å„", "’": "â€™"}


def _replace(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


# every kind of defect that `inject` adds
KINDS = ["doubled-word", "reversed-quote", "mojibake", "control", "odd-space", "trailing-space"]


def timed(work: Callable[[], object]) -> float:
    """The wall time of a call, in seconds."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def inject(text: str, rng: random.Random, kinds: list[str]) -> tuple[str, list[Label]]:
    """Add one defect of each kind (where the text allows it) and return the labels.

    Kinds: doubled-word (D), reversed-quote (P), mojibake, control, odd-space,
    trailing-space (U). Each defect is placed on text no earlier defect touched."""
    labels: list[Label] = []
    for kind in kinds:
        text, label = _inject_one(text, rng, kind, labels)
        if label is not None:
            labels.append(label)
    return text, sorted(labels, key=lambda lb: lb.start)


def _shift(labels: list[Label], at: int, delta: int) -> None:
    for i, lb in enumerate(labels):
        if lb.start >= at:
            labels[i] = Label(lb.family, lb.start + delta, lb.end + delta, lb.kind)


def _free(labels: list[Label], start: int, end: int) -> bool:
    return all(end + 2 <= lb.start or lb.end + 2 <= start for lb in labels)


def _inject_one(
    text: str, rng: random.Random, kind: str, labels: list[Label]
) -> tuple[str, Label | None]:
    candidates: list[tuple[int, int]] = []
    if kind == "doubled-word":
        import re

        candidates = [m.span() for m in re.finditer(r"(?<= )(the|a|of|to|in|and) ", text)]
    elif kind == "reversed-quote":
        candidates = [(i, i + 1) for i, c in enumerate(text) if c == "”"]
    elif kind == "mojibake":
        candidates = [(i, i + 1) for i, c in enumerate(text) if c in MOJIBAKE]
    elif kind in ("control", "odd-space"):
        candidates = [(i, i + 1) for i, c in enumerate(text) if c == " "]
    elif kind == "trailing-space":
        candidates = [(i, i) for i, c in enumerate(text) if c == "\n"]
    candidates = [c for c in candidates if _free(labels, *c)]
    if not candidates:
        return text, None
    start, end = rng.choice(candidates)
    if kind == "doubled-word":
        word = text[start:end]
        new, family, span = word + word, "D", (start, start + 2 * len(word) - 1)
    elif kind == "reversed-quote":
        new, family, span = "“", "P", (start, start + 1)
    elif kind == "mojibake":
        new, family = MOJIBAKE[text[start]], "U"
        span = (start, start + len(new))
    elif kind == "control":
        new, family, span = rng.choice([" \x0c", "\x00 ", " \x1b[1m"]), "U", (start, start + 2)
    elif kind == "odd-space":
        new, family, span = rng.choice(["\u00a0", "\u200b ", "\u202f"]), "U", (start, start + 1)
    else:
        new, family, span = rng.choice(["  ", " ", "\t"]), "U", (start, start + 1)
    _shift(labels, end, len(new) - (end - start))
    return _replace(text, start, end, new), Label(family, span[0], span[1], kind)
