"""B108: lines that many documents of the corpus repeat, as CCNet finds them."""

from __future__ import annotations

from pathlib import Path

import textmend


def corpus(documents: int) -> dict[str, str]:
    texts = {}
    for i in range(documents):
        texts[f"d{i}.txt"] = (
            f"Article {i} on the summit in Brussels.\n"
            f"The ministers met on Tuesday and agreed on {i + 3} points of a new package.\n"
            "“We will not accept this escalation of the war,” the minister said on Tuesday.\n"
            "More from our partners\n"
            f"Advertisement {i}\n"
        )
    texts["d0.txt"] += "Threat to global peace\n"
    texts["d1.txt"] += "Threat to global peace\n"
    return texts


def findings(texts: dict[str, str]) -> list[tuple[str, int, str]]:
    return [(d.filename, d.location[0], d.message) for d in textmend.check(texts, select=["B108"])]


def test_a_line_many_documents_repeat_is_reported_with_their_count() -> None:
    found = findings(corpus(5))
    assert sorted({(name, row) for name, row, _ in found}) == [
        (f"d{i}.txt", row) for i in range(5) for row in (4, 5)
    ]
    assert {message for _, _, message in found} == {"boilerplate: this line recurs in 5 documents"}


def test_sentences_and_lines_two_documents_share_survive() -> None:
    rows = {(name, row) for name, row, _ in findings(corpus(5))}
    assert ("d0.txt", 3) not in rows  # a quoted sentence, in every document
    assert ("d0.txt", 6) not in rows and ("d1.txt", 6) not in rows  # a heading, in two


def test_fewer_documents_than_the_threshold_give_nothing() -> None:
    assert findings(corpus(2)) == []


def test_fixing_deletes_only_the_repeated_lines() -> None:
    texts = corpus(4)
    fixed = textmend.fix_text(texts["d0.txt"], select=["B108"], unsafe_fixes=True)
    # fix_text sees one document: nothing recurs there
    assert fixed == texts["d0.txt"]


def test_the_seeds_have_no_line_repeated_across_documents() -> None:
    from conftest import SEEDS

    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    assert findings(texts) == []


def test_fix_over_the_corpus_deletes_the_repeated_lines_and_nothing_else(tmp_path: Path) -> None:
    from textmend.cli import main

    texts = corpus(4)
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    main(["fix", "--select", "B108", "--unsafe-fixes", str(tmp_path)])
    for name, text in texts.items():
        kept = [line for line in text.splitlines() if not line.startswith(("More from", "Advert"))]
        assert (tmp_path / name).read_text(encoding="utf-8").splitlines() == kept
