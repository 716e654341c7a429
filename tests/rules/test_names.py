"""The N rules over a corpus, where one fixture text is not enough: a news corpus of
several documents with injected name variants, lower-cased proper nouns and look-alike
names that are distinct; the `names.canonical` option; the seed corpus checked and fixed;
and the quicker ways of rules/names.py (its patterns, the neighbour index, the keys, the
batched lower-case counts) against the plain ones they stand for. The single-text cases
are in fixtures/N101.toml to N104.toml."""

from __future__ import annotations

import inspect
import json
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SEEDS

import textmend
from textmend.cli import main
from textmend.report import Diagnostic
from textmend.rules.names import _P, _WORD

# the name-run pattern written plainly (greedy quantifiers, particles tried after every
# word): what the quicker patterns of rules/names.py must match
_GAP = rf"[ \t]+(?:(?:{_P})[ \t]+){{0,3}}"
NAME_RUN = re.compile(rf"[A-Z](?<![\w'’#@-].)[\w'’-]*(?:{_GAP}{_WORD})*")

# ---------------------------------------------------------------- a test corpus

CORPUS = {
    "seoul.txt": (
        "SEOUL - South Korean President Yoon Suk Yeol convened the National Security Council"
        " on Friday after the National Intelligence Service said that North Korea had sent"
        " some 10,000 soldiers to Russia. Defence Minister Kim Yong-hyun called it a grave"
        " threat, and the lawmaker Park Seon Won, who sits on the intelligence committee,"
        " said the troops were trained near Vladivostok.\n"
        "Kim Jong Un, who succeeded his father Kim Jong Il in 2011, has not commented. His"
        " sister, Kim Yo Jong, called the report a fabrication; Kim Yo-jong said the same of"
        " the drills, and Kim Yo Jong threatened Seoul. Foreign Minister Choe Son Hui flew"
        " to Moscow, where Choe Son Hui met"
        " Sergei Lavrov, and the next day Choe Son-hui praised the alliance.\n"
        "The opposition leader Lee Jae-myung asked for a briefing, and Lee Jae Myung later"
        " said that Lee Jae-myung would back sanctions. The singer and producer Park Jin Young"
        " cancelled a concert; Park Jin Young and Park Seon Won both spoke to Yonhap.\n"
        "Both Koreas have massed troops on the border. Korea’s defence industry, from Hanwha"
        " to the makers of the KF-21 fighter, expects orders; Korean officials visited"
        " pyongyang’s old ally, China, in March, and the talks may resume in May.\n"
    ),
    "kyiv.txt": (
        "KYIV - President Volodymyr Zelensky addressed the Verkhovna Rada on Tuesday. Zelensky"
        " said the North Korean troops would be in Kursk within days, and Prime Minister Denys"
        " Shmyhal presented the budget. Shmyhal asked the Verkhovna Rada for more money for"
        " drones, and Shmyhall promised the Polish and Turkish firms new contracts.\n"
        "Foreign Minister Andrii Sybiha met Jean-Noël Barrot in Kyiv. Sybiha thanked France;"
        " Jean-Noel Barrot promised air defence, and Jean-Noël Barrot flew on to Odesa. The"
        " First Lady, Olena Zelenska, opened a school"
        " in Kharkiv; Zelenska and Zelensky later met the families of prisoners.\n"
        "General Oleksandr Syrskyi said the Russian army was advancing near Pokrovsk. The"
        " intelligence chief Kyrylo Budanov and Defence Minister Rustem Umerov agreed. Umerov"
        " signed a bill with Poland; Budanov said that Zelensky’s plan would work.\n"
        "Read more at https://www.president.gov.ua/en/news/kyiv and follow #kyiv and"
        " @ZelenskyyUa. The ukrainian army holds the line, and the discontent in the army by"
        " kyiv’s slowness is growing.\n"
    ),
    "brussels.txt": (
        "BRUSSELS - The President of the European Commission, Ursula von der Leyen, said that"
        " the transfer of North Korean troops was an escalation. Kaja Kallas, the High"
        " Representative, agreed. The NATO Secretary General, Mark Rutte, met the UN"
        " Secretary-General; Secretary-General Rutte then met Secretary General Rutte's"
        " deputies and the Secretary General of the OSCE.\n"
        "Valdis Dombrovskis presented the loan. Dombrovskis said the money would come from"
        " Russian assets, and Dombrovkis added that Dombrovskis would sign it. António Costa,"
        " the President of the European Council, backed him; Antonio Costa and António Costa"
        " both met Viktor Orbán, whom Orbán's critics call Moscow's friend. Orban objected.\n"
        "The Polish Defence Minister Władysław Kosiniak-Kamysz said Poland was ready;"
        " Kosiniak-Kamisz later asked for air defence, and Kosiniak-Kamysz met Radosław"
        " Sikorski. The Belarusian opposition leader Sviatlana Tsikhanouskaya met Sikorski;"
        " Tsikhanovskaya asked Europe for help, and Tsikhanouskaya went to Vilnius.\n"
        "The nato summit in Vilnius agreed, but the leaders of the verkhovna rada were not"
        " invited. What neither Zelensky nor Von der Leyen say is that Europe must pay.\n"
    ),
    "washington.txt": (
        "WASHINGTON - Secretary of Defense Lloyd Austin said on Monday that Washington had"
        " seen the North Korean troops. Austin spoke to the Austrian Chancellor Karl Nehammer;"
        " Austria, a neutral country, sends no arms. Antony Blinken and the Pentagon"
        " spokeswoman Sabrina Singh confirmed it; Singh said Blinken would call Seoul.\n"
        "The Fox News host Tucker Carlson interviewed Ben Carson about it; Carson disagreed,"
        " and Carlson did not. President-elect donald Trump said that Jake Sullivan, Kamala"
        " Harris and Ron DeSantis were wrong, and that Mark Rutte and Trump would talk.\n"
        "Officials will mark the anniversary with a bill in Congress; Bill Burns, the CIA"
        " director, will not attend. A turkey dinner on the Mall, served on white china,"
        " cost more than the McDonald's nearby. Rose Gottemoeller said NATO must polish its"
        " plans by August.\n"
    ),
    "moscow.txt": (
        "MOSCOW - President Vladimir Putin met Kim Jong Un's envoy in the Kremlin. Kremlin"
        " spokesman Dmitry Peskov said Russia and North Korea were allies, and Maria Zakharova"
        " attacked Zelensky. Defence Minister Andrei Belousov and the chief of staff Valery"
        " Gerasimov visited Kursk; Gerasimov said the Russian army would hold.\n"
        "Foreign Minister Sergei Lavrov hosted Choe Son Hui; Lavrov and his deputy Sergei"
        " Ryabkov met her in Moscow. The BRICS summit in Kazan, where Putin met Xi Jinping,"
        " showed that Russia is not isolated. Alexander Lukashenko of Belarus also came.\n"
        "The UKraine war, Peskov said, would end on Russia’s terms. Russians abroad, Russia"
        " says, support the Kremlin.\n"
    ),
    "tokyo.txt": (
        "TOKYO - Prime Minister Shigeru Ishiba said Japan would work with Seoul and Canberra."
        " Ishiba met the Australian Prime Minister Anthony Albanese, and Albanese said the"
        " Indo-Pacific was changing. The Chinese Foreign Minister Wang Yi and the Taiwanese"
        " President Lai Ching-te traded words; Lai Ching-te said Taiwan would not bow.\n"
        "Security in East Asia is fragile. East Asia spends more on arms than Europe, and the"
        " east asia summit in Vientiane will discuss it. Ferdinand Marcos of the Philippines"
        " asked Ishiba for ships. Japan, Korea and the Philippines meet in Manila.\n"
        "Contact: press@mofa.example.jp, or see mofa.example.jp/kyiv; iPhone users can stream"
        " at 5 MBps.\n"
    ),
}


@dataclass(frozen=True)
class Injected:
    """A defect written into the corpus: `text` (once, in `context`) in `doc` is reported
    by `code`, whose fix writes `fix` instead."""

    doc: str
    code: str
    text: str
    fix: str
    context: str = ""

    @property
    def written(self) -> str:
        return self.context or self.text

    @property
    def mended(self) -> str:
        return self.written.replace(self.text, self.fix)


INJECTED = [
    # N101: spelling variants, to the majority spelling of the corpus
    Injected("kyiv.txt", "N101", "Shmyhall", "Shmyhal"),  # a letter added
    Injected("brussels.txt", "N101", "Dombrovkis", "Dombrovskis"),  # a letter dropped
    Injected("brussels.txt", "N101", "Tsikhanovskaya", "Tsikhanouskaya"),  # a letter changed
    Injected("brussels.txt", "N101", "Kosiniak-Kamisz", "Kosiniak-Kamysz"),
    Injected("seoul.txt", "N101", "Kim Yo-jong", "Kim Yo Jong"),  # a hyphen for a space
    Injected("seoul.txt", "N101", "Choe Son-hui", "Choe Son Hui"),
    Injected("seoul.txt", "N101", "Lee Jae Myung", "Lee Jae-myung"),  # a space for a hyphen
    Injected("kyiv.txt", "N101", "Jean-Noel Barrot", "Jean-Noël Barrot"),  # an accent dropped
    Injected("brussels.txt", "N101", "Antonio Costa", "António Costa"),
    Injected("brussels.txt", "N101", "Orban", "Orbán", "Orban objected"),
    # N102: lower-cased proper nouns, from the built-in list or the corpus
    Injected("seoul.txt", "N102", "pyongyang", "Pyongyang", "visited pyongyang’s"),
    Injected("kyiv.txt", "N102", "ukrainian", "Ukrainian", "The ukrainian army"),
    Injected("kyiv.txt", "N102", "kyiv", "Kyiv", "by kyiv’s slowness"),
    Injected("brussels.txt", "N102", "nato", "NATO", "The nato summit"),
    # `verkhovna` is in no list: the corpus writes `Verkhovna Rada` (in kyiv.txt)
    Injected("brussels.txt", "N102", "verkhovna rada", "Verkhovna Rada"),
    Injected("washington.txt", "N102", "donald", "Donald", "President-elect donald Trump"),
    Injected("tokyo.txt", "N102", "east asia", "East Asia", "the east asia summit"),
    # N103 and N104
    Injected("moscow.txt", "N103", "UKraine", "Ukraine"),
    Injected("brussels.txt", "N104", "Von der Leyen", "von der Leyen", "nor Von der Leyen say"),
]
# look-alike names that are distinct (and common words that are also names): N101 must
# merge none of them, no N finding may touch them, no fix may write them
DISTINCT = [
    "Austin", "Austria", "Austrian",
    "Kim Jong Un", "Kim Jong Il", "Kim Yong-hyun",
    "Park Jin Young", "Park Seon Won",
    "Korea", "Korean", "Koreas", "Korea’s",
    "Russia", "Russian", "Russians", "Russia’s",
    "Zelenska", "Carson", "Carlson", "Sikorski", "Singh",
    "Secretary-General", "Secretary General",
    "Lai Ching-te", "Indo-Pacific", "KF-21", "McDonald", "DeSantis", "iPhone", "MBps",
    "march", "may", "turkey", "bill", "mark", "will", "rose", "china", "polish",
    "March", "May", "Turkish", "Bill", "Mark", "Rose", "China", "Polish", "August",
]  # fmt: skip


def n_findings(corpus: dict[str, str], **settings: object) -> list[Diagnostic]:
    return textmend.check(corpus, select=["N"], **settings)  # type: ignore[arg-type]


def offset(text: str, position: tuple[int, int]) -> int:
    """The character offset of a 1-based (row, column) position (lines end with \\n)."""
    row, column = position
    return sum(len(line) for line in text.splitlines(keepends=True)[: row - 1]) + column - 1


def span(text: str, d: Diagnostic) -> tuple[int, int]:
    return offset(text, d.location), offset(text, d.end_location)


def described(corpus: dict[str, str], findings: Iterable[Diagnostic]) -> list[tuple[str, ...]]:
    """(document, code, the text flagged, the fix's replacement) of each finding."""
    out = []
    for d in findings:
        start, end = span(corpus[d.filename], d)
        fix = d.edits[0].content if d.edits else ""
        out.append((d.filename, d.code, corpus[d.filename][start:end], fix))
    return sorted(out)


def whole_tokens(text: str, name: str) -> list[tuple[int, int]]:
    """The spans where `name` stands as a whole token, case-sensitive (as seedscore)."""
    pattern = re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w])")
    return [m.span() for m in pattern.finditer(text)]


def test_the_corpus_holds_each_injected_defect_once() -> None:
    for injected in INJECTED:
        assert injected.text in injected.written
        where = [name for name, text in CORPUS.items() if injected.written in text]
        assert where == [injected.doc], injected
        assert CORPUS[injected.doc].count(injected.written) == 1, injected
    assert sum(len(re.findall(r"\b[A-Z][a-z]+\b", t)) for t in CORPUS.values()) > 300


def test_every_injected_defect_is_reported_and_nothing_else() -> None:
    expected = sorted((i.doc, i.code, i.text, i.fix) for i in INJECTED)
    assert described(CORPUS, n_findings(CORPUS)) == expected


def test_the_variant_message_gives_both_spellings_and_their_counts() -> None:
    messages = {d.message for d in n_findings(CORPUS) if d.code == "N101"}
    assert "'Dombrovkis' (1×) is spelled 'Dombrovskis' (3×) elsewhere in the corpus" in messages
    assert "'Lee Jae Myung' (1×) is spelled 'Lee Jae-myung' (2×) elsewhere in the corpus" in (
        messages
    )
    # a possessive counts as the name: `Orbán's critics`
    assert "'Orban' (1×) is spelled 'Orbán' (2×) elsewhere in the corpus" in messages


def test_no_distinct_name_is_merged_or_touched() -> None:
    findings = n_findings(CORPUS)
    touched = []
    for d in findings:
        text = CORPUS[d.filename]
        start, end = span(text, d)
        for name in DISTINCT:
            if any(s < end and start < e for s, e in whole_tokens(text, name)):
                touched.append((d.filename, name, d.message))
            if d.code == "N101" and f"'{name}'" in d.message:
                touched.append((d.filename, name, d.message))
    assert touched == []
    # and no fix writes one of them
    assert [d.message for d in findings if d.edits and d.edits[0].content in DISTINCT] == []


def test_a_variant_is_reported_in_every_document_that_writes_it() -> None:
    # the variant of one document is the majority of none: another document with the
    # variant alone is reported too, to the spelling of the corpus
    corpus = {**CORPUS, "extra.txt": "Later, Shmyhall and Dombrovkis met in Brussels."}
    found = described(corpus, (d for d in n_findings(corpus) if d.filename == "extra.txt"))
    assert found == [
        ("extra.txt", "N101", "Dombrovkis", "Dombrovskis"),
        ("extra.txt", "N101", "Shmyhall", "Shmyhal"),
    ]


def mended(corpus: dict[str, str], codes: Iterable[str]) -> dict[str, str]:
    """The corpus with the injected defects of these codes mended."""
    out = dict(corpus)
    for injected in INJECTED:
        if injected.code in codes:
            out[injected.doc] = out[injected.doc].replace(injected.written, injected.mended)
    return out


def write_corpus(folder: Path, corpus: dict[str, str]) -> None:
    folder.mkdir()
    for name, text in corpus.items():
        (folder / name).write_text(text, encoding="utf-8")


def read_corpus(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}


@pytest.mark.usefixtures("run")  # in tmp_path: no project configuration
def test_fixing_the_corpus_mends_every_injected_defect(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    write_corpus(folder, CORPUS)
    # safe fixes: the lower-cased names, the stray capital and the particle; the variants
    # need unsafe fixes
    assert main(["fix", "--select", "N", str(folder)]) in (0, 1)
    assert read_corpus(folder) == mended(CORPUS, {"N102", "N103", "N104"})
    assert main(["fix", "--select", "N", "--unsafe-fixes", str(folder)]) in (0, 1)
    fixed = read_corpus(folder)
    assert fixed == mended(CORPUS, {"N101", "N102", "N103", "N104"})
    assert n_findings(fixed) == []


def test_fix_text_mends_a_document_from_its_own_evidence_only() -> None:
    # fix_text sees one document: enough for the built-in list, the particle and the
    # variants whose majority spelling the document writes itself; not for `verkhovna
    # rada`, which only kyiv.txt writes capitalised
    text = CORPUS["brussels.txt"]
    fixed = textmend.fix_text(text, select=["N"], unsafe_fixes=True)
    assert "The NATO summit" in fixed
    assert "nor von der Leyen say" in fixed
    assert "the verkhovna rada" in fixed
    assert "Dombrovskis would sign" in fixed and "Dombrovkis added" not in fixed
    assert textmend.fix_text(fixed, select=["N"], unsafe_fixes=True) == fixed


# ---------------------------------------------------------------- names.canonical


def write_config(tmp_path: Path, canonical: list[str]) -> Path:
    config = tmp_path / "textmend.toml"
    config.write_text(f"[names]\ncanonical = {json.dumps(canonical)}\n", encoding="utf-8")
    return config


def test_the_canonical_option_overrides_the_majority(tmp_path: Path) -> None:
    config = write_config(tmp_path, ["Kim Yo-jong", "Tsikhanovskaya"])
    found = [f for f in described(CORPUS, n_findings(CORPUS, config=config)) if f[1] == "N101"]
    assert ("seoul.txt", "N101", "Kim Yo Jong", "Kim Yo-jong") in found
    assert ("brussels.txt", "N101", "Tsikhanouskaya", "Tsikhanovskaya") in found
    assert [f for f in found if f[2] in ("Kim Yo-jong", "Tsikhanovskaya")] == []
    # the other groups keep their majority
    assert ("kyiv.txt", "N101", "Shmyhall", "Shmyhal") in found
    # the fix follows the option
    text = CORPUS["seoul.txt"]
    fixed = textmend.fix_text(text, select=["N101"], unsafe_fixes=True, config=config)
    assert "Kim Yo Jong" not in fixed
    assert fixed.count("Kim Yo-jong") == 3
    # and the document's other variants keep their majority spelling
    others = {"Choe Son-hui": "Choe Son Hui", "Lee Jae Myung": "Lee Jae-myung"}
    for variant, canonical in {"Kim Yo Jong": "Kim Yo-jong", **others}.items():
        text = text.replace(variant, canonical)
    assert fixed == text


def test_a_canonical_spelling_the_corpus_does_not_write_changes_nothing(tmp_path: Path) -> None:
    config = write_config(tmp_path, ["Shmyhalll"])
    assert n_findings(CORPUS, config=config) == n_findings(CORPUS)


# ---------------------------------------------------------------- the seed corpus

EXPECTED = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))
N_MUSTS = [d for d in EXPECTED["defects"] if d["family"] == "N" and d["level"] == "must"]


def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


def occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text)]


def touches(text: str, d: Diagnostic, where: tuple[int, int]) -> bool:
    """Whether a finding overlaps a span, as seedscore computes it (a zero-width finding
    counts as one character)."""
    start, end = span(text, d)
    return start < where[1] and where[0] < max(end, start + 1)


def test_every_n_must_defect_of_the_seeds_is_found() -> None:
    texts = seed_texts()
    findings = n_findings(texts)
    assert len(N_MUSTS) == 10
    missed = [
        (d["file"], d["text"])
        for d in N_MUSTS
        if not any(
            f.filename == d["file"] and touches(texts[d["file"]], f, where)
            for where in occurrences(texts[d["file"]], d["text"])
            for f in findings
        )
    ]
    assert missed == []


def test_no_n_finding_touches_a_must_not_flag_name_of_the_seeds() -> None:
    texts = seed_texts()
    false_alarms = [
        (f.filename, name, f.message)
        for f in n_findings(texts)
        for name in EXPECTED["must_not_flag"]
        for where in whole_tokens(texts[f.filename], name)
        if touches(texts[f.filename], f, where)
    ]
    assert false_alarms == []


@pytest.mark.usefixtures("run")
def test_fixing_the_seeds_mends_every_n_must_defect(tmp_path: Path) -> None:
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    assert main(["fix", "--unsafe-fixes", str(copy)]) in (0, 1)
    fixed = read_corpus(copy)
    not_mended = [
        (d["file"], d["text"])
        for d in N_MUSTS
        if d["text"] in fixed[d["file"]] or d["fix"] not in fixed[d["file"]]
    ]
    assert not_mended == []


def test_a_name_also_written_inside_a_longer_one_keeps_its_group() -> None:
    """`Zurich` stands alone and in a headline (`Inside Zurich`), as does `Zürich`: the
    variant is reported wherever it is written, once, as the one-word name's."""
    corpus = {
        "a.txt": "Inside Zürich: the banks are quiet.\nThe talks in Zürich went on. Officials"
        " in Zürich said more talks would follow in Zürich next week.\n",
        "b.txt": "Delegates met in Zürich on Monday. Zürich hosted them again on Tuesday,"
        " and Zürich will host the next round.\n",
        "c.txt": "Inside Zurich the mood was calm.\nThe delegation left Zurich on Friday.\n",
    }
    assert described(corpus, n_findings(corpus)) == [
        ("c.txt", "N101", "Zurich", "Zürich"),
        ("c.txt", "N101", "Zurich", "Zürich"),
    ]


def test_keys_one_letter_apart_are_those_comparing_every_pair_finds() -> None:
    # N101's neighbour search matches single deletions as sets; comparing every pair of
    # keys (one a deletion of the other, or both sharing one) must find the same pairs
    import random

    from textmend.rules.names import _one_letter_apart

    def deletions(key: str) -> set[str]:
        return {key[:i] + key[i + 1 :] for i in range(len(key))}

    rng = random.Random(5)
    keys = sorted({"".join(rng.choices("abc", k=rng.randint(4, 8))) for _ in range(400)})
    expected = {
        (a, b)
        for a in keys
        for b in keys
        if a != b
        and (
            (len(b) >= 6 and a in deletions(b))
            or (len(a) == len(b) >= 6 and deletions(a) & deletions(b))
        )
    }
    found = _one_letter_apart(keys)
    assert {tuple(sorted(p)) for p in found} == {tuple(sorted(p)) for p in expected}
    assert len(found) > 100  # the keys are close enough that the test means something


def test_groups_left_out_as_tails_are_those_comparing_every_pair_finds() -> None:
    # N101 leaves out the groups that only repeat the end of a longer group's spellings,
    # or its spellings after one set of leading words, through an index of each
    # spelling's tails; comparing every pair of spellings and groups must leave out the
    # same groups
    import random

    from textmend.rules.names import VariantGroup, _without_tails

    def written_inside(spelling: str, counts: dict[str, int]) -> int:
        return sum(n for other, n in counts.items() if other.endswith(" " + spelling))

    def repeats_another(group: VariantGroup, groups: list[VariantGroup]) -> bool:
        for other in groups:
            if other is group:
                continue
            heads = set()
            for spelling in group.counts:
                ends = [s for s in other.counts if spelling.endswith(" " + s)]
                if not ends:
                    break
                heads.add(spelling[: -len(max(ends, key=len)) - 1])
            else:
                if len(heads) == 1:
                    return True
        return False

    def random_groups(rng: random.Random) -> list[VariantGroup]:
        words = ["Inside", "Zurich", "Zürich", "Choe", "Son", "Hui", "Son-hui", "Kim"]
        spellings = {" ".join(rng.choices(words, k=rng.randint(1, 3))) for _ in range(12)}
        ordered = sorted(spellings)
        rng.shuffle(ordered)
        groups = []
        while ordered:
            size = rng.randint(1, 3)
            counts = {s: rng.randint(1, 4) for s in ordered[:size]}
            if rng.random() < 0.3:  # a spelling and its own end in one group
                counts[next(iter(counts)).partition(" ")[2] or "Kim"] = 1
            groups.append(VariantGroup(next(iter(counts)), counts, {}))
            del ordered[:size]
        return groups

    # the leading words are those before the longest end the other group writes
    nested = [
        VariantGroup("Inside Choe Son", {"Inside Choe Son": 1, "Inside Choe Son-hui": 1}, {}),
        VariantGroup("Choe Son", {"Choe Son": 3, "Son": 2, "Choe Son-hui": 2}, {}),
    ]
    rng = random.Random(3)
    as_tails = as_repeats = 0
    for groups in [nested, *(random_groups(rng) for _ in range(300))]:
        every = {s: n for g in groups for s, n in g.counts.items()}
        kept = [
            g for g in groups if not all(every[s] <= written_inside(s, every) for s in g.counts)
        ]
        expected = [g for g in kept if not repeats_another(g, kept)]
        assert _without_tails(groups) == expected
        as_tails += len(groups) - len(kept)
        as_repeats += len(kept) - len(expected)
    assert _without_tails(nested) == nested[1:]
    # groups are left out both ways often enough for the comparison to mean something
    assert as_tails > 50
    assert as_repeats > 100


def test_the_pattern_for_texts_without_particles_finds_the_same_runs() -> None:
    # a text without a name particle is read by a quicker pattern that tries none after
    # each word; on such texts (the seeds less their particles, and odd spacing) it must
    # find exactly the runs that the pattern with particles finds
    from textmend.document import Document
    from textmend.rules.names import PARTICLE_BYTES, PLAIN_NAME_RUN, name_runs
    from textmend.rules.word_boundaries import case_words

    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    texts = [re.sub(r"\b(?:von|der|de|la|al|van|bin)\b", "x", text) for text in texts]
    texts.append("Kim  Jong\tUn met ‘Choe Son-hui’ and #Seoul @Yonhap O’Neill’s NATO-led U.S. E")
    for text in texts:
        assert PARTICLE_BYTES.isdisjoint(case_words(Document(text, "t")))
        runs = NAME_RUN.findall(text)
        assert len(runs) > 3
        assert PLAIN_NAME_RUN.findall(text) == runs == name_runs(Document(text, "t"))


def test_the_pattern_for_texts_with_particles_is_the_plain_alternation() -> None:
    # the pattern for texts with particles is written to start with one class of letters;
    # it must find what the plain alternation finds: a run led by particles where no word
    # is just before them, else a run of capitalised words with particles between them
    from textmend.rules.names import LED_NAME_RUN, PARTICLES

    plain = re.compile(
        rf"(?<![\w'’#@-])(?:(?:{_P})[ \t]+){{1,3}}{_WORD}(?:{_GAP}{_WORD})*|{NAME_RUN.pattern}"
    )
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    texts += [
        "von der Leyen said; Ursula von der Leyen’s aide, de la Cruz, della Rovere and bin "
        "Salman met al Sharif, du Pont and van der Berg. ‘von Trapp’ #von Der @de la X",
        "a white van Parked by a bin Liner; di  la  du  Val, de de de de Gaulle, la la Paz",
        "x-von der Leyen, ’de la Cruz, dela Cruz, von\tder\tLeyen, vonder Leyen, de  la ibn",
        "Ursula von der said it; Ursula von der; de la; van Gogh and Van Gogh",
    ]
    led = 0
    for text in texts:
        runs = plain.findall(text)
        assert LED_NAME_RUN.findall(text) == runs
        led += sum(run.split()[0] in PARTICLES for run in runs)
    assert led >= 8  # runs led by particles were among them


def test_the_keys_of_names_worked_out_together_are_each_name_s_own() -> None:
    # N101 keys all names in one pass over them joined by line breaks; each key must be
    # what folding, decomposing and stripping that name alone gives, accents or not, and
    # a corpus without names has no keys
    import unicodedata

    from textmend.rules.names import _fingerprints

    def alone(name: str) -> str:
        decomposed = unicodedata.normalize("NFKD", name.casefold())
        return "".join(c for c in decomposed if c.isalpha())

    ascii_names = ["Choe Son-hui", "Choe Son Hui", "O’Neill’s", "KF-21", "East\tAsia"]
    accented = [*ascii_names, "Zürich", "Straße", "Łukasz Kosiniak-Kamysz", "Ĳsselmeer"]
    for names in (ascii_names, accented):
        assert _fingerprints(names) == [alone(name) for name in names]
    assert _fingerprints(accented)[5:7] == ["zurich", "strasse"]
    assert _fingerprints([]) == []


def test_broken_capitals_are_found_alike_whether_or_not_another_rule_encoded_the_text() -> None:
    # N103 tests letter shapes on the bytes W has made when it ran first (punctuation
    # made spaces), else on the text encoded: the two must give the same findings
    from textmend.config import Settings
    from textmend.document import Document
    from textmend.rules.names import BrokenCapitals
    from textmend.rules.word_boundaries import case_bytes

    rule = BrokenCapitals(Settings().context())
    texts = [
        "his counterpart, SErgei Lavrov, met “NAto” envoys (UKraine’s) in Kyiv.",
        "SErgei,SErgei; and NATO, NAto.NATO",
        "No stray capitals here: McDonald, iPhone, DeSantis, KF-21, NATOless, MBps.",
    ]
    found = 0
    for text in texts:
        plain = [(f.start, f.end, f.message) for f in rule.check(Document(text, "t"))]
        encoded = Document(text, "t")
        case_bytes(encoded)
        assert [(f.start, f.end, f.message) for f in rule.check(encoded)] == plain
        found += len(plain)
    assert found >= 2


def test_lower_case_counts_are_the_same_however_the_words_are_batched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # N102 counts the words of documents a batch at a time, and a shard's when it is
    # pickled (for the parent process or the cache): the counts must not depend on
    # where the batches fall, and a pickled shard carries counts, not words
    import pickle

    import textmend.rules.names as names
    from textmend.config import Settings
    from textmend.document import Document

    texts = [
        "kyiv’s mayor met “kyiv” officials; Kyiv and Kyiv again. The kyiv's budget",
        "the ukrainian war, Ukrainian troops, and ukrainian farmers in kyiv",
        "Nothing lower-cased here but zelensky, once: Zelensky, Zelensky.",
        # a name with no ASCII letter, alone here and possessive in the next document
        # (only its possessive has an ASCII letter), and capitalised beside it
        "Mayor of київ, and Київ again",
        "київ's budget and Київ's",
    ] * 3
    rule = names.LowercasedProperNoun(Settings().context())

    def counted(batch: int) -> dict[str, int]:
        monkeypatch.setattr(names, "UNCOUNTED_WORDS", batch)
        shards = [rule.collect(Document(t, f"d{i}")) for i, t in enumerate(texts)]
        first = shards[0]
        for shard in shards[1:]:
            first = rule.merge(first, shard)
        return first.count().lower

    whole = counted(1 << 18)
    assert whole["kyiv"] == 3 * 3  # (`kyiv’s`, `kyiv's` and `kyiv`; not `“kyiv”`)
    assert whole["ukrainian"] == 2 * 3 and whole["zelensky"] == 1 * 3
    assert whole["київ"] == 2 * 3 and "Київ" not in whole
    assert counted(1) == counted(20) == whole
    shard = rule.collect(Document(texts[0], "d0"))
    restored = pickle.loads(pickle.dumps(shard))
    assert restored.words == [] and restored.lower == {"kyiv": 2}


def test_a_possessive_in_the_common_words_is_still_counted_with_its_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # N102 passes over the chunks that are common words; were a name's possessive among
    # them (`zelensky's` in a language's list), a batch holding only the possessive would
    # not count it, and the counts would depend on where the batches fall
    import dataclasses

    import textmend.rules.names as names
    from textmend.config import Settings
    from textmend.document import Document
    from textmend.rules.lexicon import lexicon

    english = lexicon("en")
    assert english is not None
    listed = dataclasses.replace(english, plain=english.plain | {"zelensky's"})
    monkeypatch.setattr(names, "lexicon", lambda lang: listed)
    # worked out from the lexicon above, not what is kept between runs
    monkeypatch.setattr(names, "_plain_bytes", inspect.unwrap(names._plain_bytes))
    names._name_like_chunk.cache_clear()
    try:
        rule = names.LowercasedProperNoun(Settings().context())
        texts = ["zelensky's aides", "zelensky and Zelensky"]
        alone = [rule.collect(Document(t, f"d{i}")).count().lower for i, t in enumerate(texts)]
        assert alone == [{"zelensky": 1}, {"zelensky": 1}]
    finally:
        names._name_like_chunk.cache_clear()


def test_merging_documents_leaves_their_words_as_they_are() -> None:
    # N102's statistics of a document hold the document's own list of words (no copy
    # a document); the corpus's statistics grow from the first document's, so merging
    # must copy that list rather than extend it: the document, kept by a caller of the
    # API and checked later, must still read its own words
    import textmend.rules.names as names
    from textmend.config import Settings
    from textmend.document import Document
    from textmend.rules.word_boundaries import case_words

    rule = names.LowercasedProperNoun(Settings().context())
    documents = [Document("kyiv and Kyiv", "d0"), Document("the ukrainian war", "d1")]
    before = [list(case_words(doc)) for doc in documents]
    merged = rule.collect(documents[0])
    for doc in documents[1:]:
        merged = rule.merge(merged, rule.collect(doc))
    assert [case_words(doc) for doc in documents] == before
    assert merged.count().lower == {"kyiv": 1, "ukrainian": 1}


def test_lower_case_counts_are_those_of_the_words_counted_one_by_one() -> None:
    # N102 counts the few name-like words in the documents' `case_bytes` joined, where
    # what follows each place a word starts with one decides; the counts must be what
    # counting the documents' words one by one gives: a word beside itself, at the start
    # or end of a document, run into a longer word or a possessive, quoted, capitalised
    import random
    from collections import Counter

    import textmend.rules.names as names
    from textmend.config import Settings
    from textmend.document import Document
    from textmend.rules.word_boundaries import case_words

    rule = names.LowercasedProperNoun(Settings().context())
    tokens = [
        *("kyiv", "kyiv’s", "kyiv's", "kyiv’s’s", "kyivan", "xkyiv", "Kyiv", "“kyiv”"),
        *("kyiv’", "kyiv-", "ukrainian", "ukrainian's", "the", "war", "in", ",", ".", "\n"),
    ]
    rng = random.Random(6)
    counted, beside_itself = 0, False
    for _ in range(200):
        texts = [
            " ".join(rng.choice(tokens) for _ in range(rng.randint(1, 12)))
            for _ in range(rng.randint(1, 4))
        ]
        merged = rule.collect(Document(texts[0], "d0"))
        for i, text in enumerate(texts[1:], 1):
            merged = rule.merge(merged, rule.collect(Document(text, f"d{i}")))
        words = Counter(w for text in texts for w in case_words(Document(text, "t")))
        expected = {
            name: sum(words[(name + end).encode()] for end in ("", "’s", "'s"))
            for name in merged.count().lower
        }
        assert merged.lower == expected
        counted += sum(expected.values())
        beside_itself |= any("kyiv kyiv " in text for text in texts)
    assert counted > 300 and beside_itself


def test_the_particle_phrase_pattern_is_the_plain_one() -> None:
    # N104's pattern starts with the particles' first letters in any case (so that `re`
    # skips to them) and tries the lookbehind after the first; it must find what the
    # plain pattern finds, whatever the case of the particles, dotted and dotless i
    # among them (`re` takes them for `i` when it ignores case)
    import random

    from textmend.rules.names import PARTICLE_PHRASE, PARTICLES

    plain = re.compile(rf"(?<![\w'’-])(?:(?i:{_P})[ \t]+){{1,3}}{_WORD}")
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    texts += [
        "Von der Leyen\nVON DER Leyen\nvon Der Leyen’s\nDe La Cruz\nx-De Gaulle\n’Da Silva",
        "İbn Saud\nıbn Saud\nIBN Saud\nBİN Salman\nDİ Maria\nAL  Sharif\tDu\tPont\nde",
        "La la La Paz\nDel Della Rovere\nDella Robbia\nvan Van VAN Gogh\nLe Pen\n#Von Trapp",
    ]
    rng = random.Random(4)
    words = [*PARTICLES, *(p.upper() for p in PARTICLES), *(p.title() for p in PARTICLES)]
    words += ["İbn", "ıbn", "Dİ", "Leyen", "Gaulle", "x", "’", "-", "#", "\n", "\t", "  "]
    texts += [" ".join(rng.choice(words) for _ in range(300)) for _ in range(50)]
    found = 0
    for text in texts:
        phrases = plain.findall(text)
        assert PARTICLE_PHRASE.findall(text) == phrases
        found += len(phrases)
    assert found > 500
