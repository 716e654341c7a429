"""The T1xx rules beyond single fixture texts: the artefact data they read (one file a
language pair), their messages, the corpus language, and the seed corpus. The
single-text cases are in fixtures/T101.toml to T104.toml."""

from __future__ import annotations

from conftest import SEEDS

import textmend
from textmend.rule import FixAvailability, all_rules
from textmend.rules.translation import artefacts
from textmend.rules.wordlists import sources_into, table

SEED = (SEEDS / "004_b406058e390f8a59.txt").read_text(encoding="utf-8")
T1 = ["T101", "T102", "T103", "T104"]


def test_the_data_is_one_file_a_language_pair() -> None:
    assert "es" in sources_into("mt-artefacts", "en")
    assert sources_into("mt-artefacts", "xx") == ()
    rows = table("es-en", "mt-artefacts")
    assert ("language", "Spanish") in rows
    assert ("article", "he", "el", "the") in rows
    # every row is a known kind with its four fields
    kinds = {"language", "article", "conjunction", "place"}
    assert all(row[0] in kinds and (row[0] == "language" or len(row) >= 4) for row in rows)
    taste = next(a for a in artefacts("en", "place") if a.word == "Taste")
    assert {"by", "attack"} <= taste.cues
    assert taste.origin() == "Spanish 'Catar' (Qatar)"
    # a regional variant of the corpus language reads the same pairs
    assert artefacts("en-GB", "article") == artefacts("en", "article")


def test_the_rules_report_and_offer_no_fix() -> None:
    rules = all_rules()
    for code in T1:
        assert rules[code].fix_availability is FixAvailability.NONE


def test_seed_artefacts_and_messages() -> None:
    found = [(d.code, d.message) for d in textmend.check(SEED, select=T1)]
    assert found == [
        ("T104", "'Taste' after 'by': probably Spanish 'Catar' (Qatar)"),
        ("T104", "'Loop' after 'attack': probably Spanish 'Gaza' (Gaza)"),
        ("T103", "'Yeah' mid-sentence: probably Spanish 'si' (if)"),
        ("T101", "'He' before a date: probably Spanish 'El' (the)"),
        ("T102", "'he' before a noun: probably Spanish 'el' (the)"),
    ]
    # report only: fixing changes nothing
    assert textmend.fix_text(SEED, select=T1, unsafe_fixes=True) == SEED


def test_the_other_seeds_are_clean() -> None:
    others = {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(SEEDS.glob("*.txt"))
        if path.name != "004_b406058e390f8a59.txt"
    }
    assert textmend.check(others, select=T1) == []


def test_no_pair_into_the_corpus_language_means_no_finding() -> None:
    # a Spanish corpus: `he` is a form of `haber`, `El` an article, `si` a conjunction
    text = "Yo he comido. El 5 de noviembre. He 5 noviembre. Lo he visto en 1953 he armisticio"
    assert textmend.check(text, select=T1, lang="es") == []
    assert [d.code for d in textmend.check("Talks. He November 5 ended.", select=T1)] == ["T101"]
