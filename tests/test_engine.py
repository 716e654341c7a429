"""The engine: documents and positions, the corpus pass, the fixer, rule failures."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import Result

from textmend.config import Settings
from textmend.document import BoundedMemo, Document, Line
from textmend.engine import YOUNG_COLLECTION, Linter, RuleFailure
from textmend.fixer import MAX_ROUNDS, apply_fixes, fix_document
from textmend.rule import (
    REGISTRY,
    CorpusRule,
    DocumentRule,
    Edit,
    Finding,
    Fix,
    FixAvailability,
    register,
)

Run = Callable[..., Result]


def test_positions_count_code_points_and_every_line_break() -> None:
    doc = Document("a\r\nb😀c\rd\ne\u0301f", "x")
    assert doc.position(0) == (1, 1)
    assert doc.position(3) == (2, 1)
    assert doc.position(5) == (2, 3)  # the emoji is one code point
    assert doc.position(7) == (3, 1)  # a lone CR ends a line too
    assert doc.position(9) == (4, 1)
    assert doc.position(11) == (4, 3)  # a combining accent is its own code point
    assert [line.text for line in doc.lines] == ["a", "b😀c", "d", "e\u0301f"]


@pytest.mark.parametrize("text", ["", "\n", "a", "a\n", "\n\nb", "one\ntwo 😀\n\nthree\n"])
def test_lines_of_line_feeds_are_those_of_the_general_split(text: str) -> None:
    # the fast path for text without CR against one line break at a time
    expected, start = [], 0
    for end in [i for i, c in enumerate(text) if c == "\n"] + [len(text)]:
        expected.append(Line(start, end, text[start:end]))
        start = end + 1
    lines = Document(text, "x").lines
    assert lines == expected
    assert all(type(line) is Line for line in lines)


def test_a_bounded_memo_makes_each_value_once_and_empties_when_full() -> None:
    made: list[str] = []

    def shout(word: str) -> str:
        made.append(word)
        return word.upper()

    memo = BoundedMemo(shout, limit=2)
    assert [memo[w] for w in ("a", "b", "a", "b")] == ["A", "B", "A", "B"]
    assert made == ["a", "b"]
    assert memo["c"] == "C" and dict(memo) == {"c": "C"}  # full at two: emptied first


class WordsSeenOnce(CorpusRule[Counter[str]]):
    """## What it flags
    Words that occur in only one document of the corpus (a test rule).
    ## Why it matters
    It shows that checks see statistics of the whole corpus.
    ## Example
    `a b` and `b c`: `a` and `c` are flagged.
    """

    code = "D901"
    name = "words-seen-once"
    summary = "test"

    def collect(self, doc: Document) -> Counter[str]:
        return Counter(set(doc.text.split()))

    def merge(self, first: Counter[str], second: Counter[str]) -> Counter[str]:
        return first + second

    def check(self, doc: Document, stats: Counter[str]) -> Iterator[Finding]:
        position = 0
        for word in doc.text.split():
            position = doc.text.index(word, position)
            if stats[word] == 1:
                yield self.finding(position, position + len(word), f"{word} once")
            position += len(word)


def test_corpus_rule_checks_against_merged_statistics() -> None:
    linter = Linter(Settings(), [WordsSeenOnce()])
    docs = [Document("a b", "1"), Document("b c", "2"), Document("c d", "3")]
    linter.collect(docs)
    assert [f.message for doc in docs for f in linter.check(doc)] == ["a once", "d once"]


def test_a_corpus_rule_ignored_for_a_path_collects_nothing_there() -> None:
    # the corpus pass picks each path's corpus rules once, by its per-file ignores
    settings = Settings(per_file_ignores={"quiet/*": ["D901"]})
    linter = Linter(settings, [WordsSeenOnce(), Exploding()])
    docs = [Document("a b", "1"), Document("a c", "quiet/2"), Document("c d", "3")]
    linter.collect(docs)
    assert linter.stats["D901"] == Counter({"a": 1, "b": 1, "c": 1, "d": 1})
    assert [f.message for f in linter.check(docs[0])] == ["a once", "b once"]


def test_statistics_of_shards_merge_to_those_of_the_whole() -> None:
    docs = [Document(f"w{i % 7} w{i % 3} common", str(i)) for i in range(40)]
    whole = Linter(Settings(), [WordsSeenOnce()])
    whole.collect(docs)
    shards = [Linter(Settings(), [WordsSeenOnce()]) for _ in range(3)]
    for i, shard in enumerate(shards):
        shard.collect(docs[i::3])
    rule = WordsSeenOnce()
    merged = rule.merge(
        rule.merge(shards[2].stats["D901"], shards[0].stats["D901"]), shards[1].stats["D901"]
    )
    assert merged == whole.stats["D901"]


class Exploding(DocumentRule):
    """## What it flags
    Nothing: it raises (a test rule).
    ## Why it matters
    Rule bugs must not crash the run or corrupt files.
    ## Example
    any text
    """

    code = "U901"
    name = "exploding"
    summary = "test"

    def check(self, doc: Document) -> Iterator[Finding]:
        if "boom" in doc.text:
            raise ValueError("kaboom")
        yield from ()


class OutOfBounds(Exploding):
    code = "U902"

    def check(self, doc: Document) -> Iterator[Finding]:
        yield self.finding(0, len(doc.text) + 5, "too far")


def test_a_failing_rule_is_named() -> None:
    with pytest.raises(RuleFailure, match=r"x: internal error in rule U901: ValueError: kaboom"):
        Linter(Settings(), [Exploding()]).check(Document("boom", "x"))
    with pytest.raises(RuleFailure, match="U902: span 0-9 outside"):
        Linter(Settings(), [OutOfBounds()]).check(Document("abcd", "x"))


def test_a_failing_rule_exits_2_and_leaves_the_file(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(REGISTRY, "U901", Exploding)
    (tmp_path / "a.txt").write_text("boom the the\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("fine the the\n", encoding="utf-8")
    result = run("fix", "--unsafe-fixes", "a.txt", "b.txt")
    assert result.status == 2
    assert "a.txt: internal error in rule U901" in result.err
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "boom the the\n"
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "fine the\n"


def test_register_refuses_bad_codes_and_incomplete_docs() -> None:
    class BadCode(Exploding):
        code = "X12"

    class NoExample(Exploding):
        """## What it flags
        x
        ## Why it matters
        y
        """

        code = "U903"

    with pytest.raises(ValueError, match="family letter"):
        register(BadCode)
    with pytest.raises(ValueError, match="lacks the section"):
        register(NoExample)
    assert "U903" not in REGISTRY


def fix(start: int, end: int, content: str) -> Fix:
    return Fix.safe("test", Edit(start, end, content))


def test_apply_fixes_skips_overlaps_and_second_insertion_at_one_place() -> None:
    text, chosen = apply_fixes(
        "abcdef", [fix(1, 3, "X"), fix(2, 4, "Y"), fix(4, 4, "+"), fix(4, 4, "-"), fix(4, 5, "E")]
    )
    assert text == "aXd+Ef"
    assert chosen == [0, 2, 4]


def test_one_fixs_edits_apply_together() -> None:
    both = Fix.safe("pair", Edit(0, 1, "«"), Edit(4, 5, "»"))
    text, _ = apply_fixes('"abc"', [both])
    assert text == "«abc»"


class Flipper(DocumentRule):
    """## What it flags
    Every < and >, to turn one into the other forever (a test rule; its fix changes
    no letter, which a safe fix may not).
    ## Why it matters
    A fix that never settles must be stopped.
    ## Example
    `<` becomes `>` becomes `<`.
    """

    code = "U904"
    name = "flipper"
    summary = "test"
    fix_availability = FixAvailability.SAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        for i, char in enumerate(doc.text):
            if char in "<>":
                other = ">" if char == "<" else "<"
                yield self.finding(i, i + 1, "flip", fix(i, i + 1, other))


def test_fixes_that_never_settle_are_stopped_and_named() -> None:
    linter = Linter(Settings(), [Flipper()])
    outcome = fix_document(Document("x<", "x"), linter.check, unsafe=False)
    assert outcome.unsettled == ["U904"]
    assert outcome.applied["U904"] == MAX_ROUNDS


def test_terms_pattern_matches_as_the_plain_alternation_longest_first() -> None:
    import random
    import re

    from textmend.document import terms_pattern

    words = ["Kim", "Kim Jong", "Kim Jong Un", "Son-hui", "a.b", "x+y", "ab", "abc", "abd", "b"]
    words += [f"w{i}" for i in range(300)]
    others = ["Kimchi", "abcd", "w3x", "xKim", "-ab", "'b", "a.b.", "\nKim"]
    text = " ".join(random.Random(1).choices([*words, *others], k=3000))
    ordered = sorted(set(words), key=lambda term: (-len(term), term))
    terms = "(?:" + "|".join(map(re.escape, ordered)) + ")"
    for not_after, capture in ((r"\w", False), (r"[\w'’-]", True)):
        plain = re.compile(rf"(?<!{not_after})({terms})(?!\w)")
        trie = terms_pattern(words, not_after, capture=capture)
        assert trie is not None
        expected = [m.span(1) for m in plain.finditer(text)]
        assert [m.span(1 if capture else 0) for m in trie.finditer(text)] == expected
        found = {text[start:end] for start, end in expected}
        assert {"Kim Jong Un", "abc", "b"} <= found
    assert terms_pattern([]) is None
    assert terms_pattern([""]) is None  # (an empty term would match everywhere)


def test_a_rule_failure_survives_the_trip_from_a_worker_process() -> None:
    import pickle

    from textmend.document import RecordRef

    failure = RuleFailure("W101", Document("text", "a.jsonl", RecordRef(3, "x")), "boom")
    carried = pickle.loads(pickle.dumps(failure))
    assert isinstance(carried, RuleFailure)
    assert (carried.code, str(carried)) == ("W101", str(failure))


def test_the_corpus_pass_collects_garbage_less_often_then_restores_the_threshold() -> None:
    # statistics accumulate over the pass and hold no cycles: the collector's youngest
    # generation is collected every YOUNG_COLLECTION allocations meanwhile, then as before
    before = gc.get_threshold()
    seen: list[int] = []

    def documents() -> Iterator[Document]:
        for i in range(3):
            seen.append(gc.get_threshold()[0])
            yield Document("Kyiv said that kyiv and Kyiv agree.", f"d{i}")

    linter = Linter.from_settings(Settings(select=["N"]))
    linter.collect(documents())
    assert seen == [YOUNG_COLLECTION] * 3 != [before[0]] * 3
    assert gc.get_threshold() == before
    assert linter.stats["N102"].count().lower["kyiv"] == 3
