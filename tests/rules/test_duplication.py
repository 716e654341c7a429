"""The D rules where one fixture text is not enough: the seed corpus, and the corpus
rules D103 (duplicate documents) and D104 (near-duplicate documents), which compare
documents with each other. The single-text cases are in fixtures/D101.toml to D104.toml."""

from __future__ import annotations

import hashlib
import json
import random
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import SEEDS, Result

import textmend
from textmend.document import Document
from textmend.rule import CorpusRule
from textmend.rules import duplication
from textmend.rules.duplication import (
    LINE_EDGES,
    MINHASH_SCHEME,
    MINHASH_SEED,
    NUM_PERM,
    SHINGLE_MIX,
    DuplicateDocument,
    NearDuplicateDocument,
    coarse_keys,
    line_key,
    minhash_values,
    near_matches,
    normal_form,
    normal_form_in_bytes,
    normalised_digest,
    signature,
    similarity,
)
from textmend.rules.word_boundaries import chunk_bytes

Run = Callable[..., Result]

SEED_TEXTS = {path.name: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}
LISTS_SEED = "002_46d5925b80497bbc.txt"
ARTICLE = SEED_TEXTS["003_9950ee67f3d01385.txt"]


def findings(corpus: dict[str, str], *codes: str) -> list[tuple[str, str, str]]:
    """(filename, code, message) of each finding of the given rules."""
    return [(d.filename, d.code, d.message) for d in textmend.check(corpus, select=list(codes))]


def replace_words(text: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text


# a few words changed, as a copy edited by another site
EDITED = replace_words(
    ARTICLE,
    {
        "expressed concerns": "voiced concerns",
        "nearly three years ago": "almost three years ago",
        "Kremlin’s ability": "Kremlin’s capacity",
        "urged both Moscow": "urged Moscow",
    },
)

# ---------------------------------------------------------------- D102 on the seeds


def test_seed_repeated_lists_are_one_finding_each() -> None:
    text = SEED_TEXTS[LISTS_SEED]
    rows = text.splitlines()
    header = rows.index("[Latest] Popular Now") + 1
    diagnostics = textmend.check(SEED_TEXTS, select=["D102"])
    assert [d.filename for d in diagnostics] == [LISTS_SEED] * 2  # no other seed repeats
    popular, must_reads = diagnostics
    # the six bullet lines under `[Latest] Popular Now`, start of the first to end of the last
    assert popular.location == (header + 2, 1)
    assert popular.end_location == (header + 7, len(rows[header + 6]) + 1)
    assert popular.message == "block of 6 lines repeated from lines 44–49"
    assert rows[43:49] == rows[header + 1 : header + 7]
    # `[Latest] Must-Reads` repeats `[Latest] Just In`
    assert rows[must_reads.location[0] - 3] == "[Latest] Must-Reads"
    assert "repeated from lines 53–58" in must_reads.message


def test_seed_fix_keeps_the_first_copy_of_each_list() -> None:
    text = SEED_TEXTS[LISTS_SEED]
    fixed = textmend.fix_text(text, select=["D102"], unsafe_fixes=True)
    assert fixed.endswith("[Latest] Popular Now\n\n[Latest] Must-Reads\n\nShare it on...")
    headlines = [line for line in text.splitlines() if line.startswith("  • ")]
    kept = [line for line in fixed.splitlines() if line.startswith("  • ")]
    assert kept == headlines[:12]
    assert textmend.fix_text(text, select=["D102"]) == text  # the fix is unsafe


def test_expected_defects_of_the_seeds_stay_found() -> None:
    expected = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))
    doubled = [d for d in expected["defects"] if d["family"] == "D"]
    found = findings(SEED_TEXTS, "D")
    for defect in doubled:
        assert any(f[0] == defect["file"] and f[1] == "D101" for f in found)


def test_the_doubled_word_pre_test_passes_every_text_that_stripping_passes() -> None:
    # D101 reads a document only when two chunks in a row are equal once the quotes and
    # dashes at their edges are off; the pre-test deletes those bytes everywhere instead
    # (and looks for two chunks of them alone apart): it must pass every text that
    # stripping each chunk passes, and pass few others
    import operator

    from textmend.rules.word_boundaries import chunk_words

    def stripped_pair(doc: Document) -> bool:
        chunks = [c.strip(duplication.QUOTE_BYTES) for c in chunk_words(doc)]
        return any(map(operator.eq, chunks, chunks[1:]))

    rng = random.Random(5)
    pieces = ["the", "The", "“the", "the”", "—", "–", "…", "“", "”", "don’t", "dont", "«a»"]
    pieces += ["war.", "‘war’", "war", "— —", "word—word", "é", "€", "•the", "x", "\n", "\t"]
    passed = 0
    for _ in range(3000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 7)))
        expected = stripped_pair(Document(text, "t"))
        assert duplication._may_double(Document(text, "t")) >= expected, text
        passed += expected
    assert passed > 500
    for name, text in SEED_TEXTS.items():
        seed = Document(text, name)
        assert duplication._may_double(seed) is stripped_pair(seed), name
    assert duplication._may_double(Document("a — — b and “ ” c", "t"))
    assert not duplication._may_double(Document("one “two” three — four", "t"))


def test_the_doubled_word_pattern_finds_what_the_backtracking_one_finds() -> None:
    # DOUBLED takes its letters and spaces possessively; on any text it must find the
    # doubles the same pattern finds when it may give letters or spaces back (cased
    # letters of several scripts, digits, apostrophes, hyphens, tabs, line breaks)
    import re

    plain = re.compile(r"(?<![\w'’-])([^\W\d_]+)([ \t]+)(\1)(?![\w'’-])", re.IGNORECASE)
    rng = random.Random(1)
    pieces = ["the", "The", "THE", "a", "é", "Élan", "élan", "x1", "_a", "'a", "’the", "-the"]
    pieces += ["the-", "ǅ", "ǆ", "Σ", "σ", "ς", "\t", " ", "  ", "\n", "The\tthe", "İ", "i"]
    found = 0
    for _ in range(5000):
        text = "".join(
            rng.choice(pieces) + rng.choice([" ", "", "\t"]) for _ in range(rng.randint(1, 8))
        )
        expected = [m.span(1) + m.span(3) for m in plain.finditer(text)]
        assert [m.span(1) + m.span(3) for m in duplication.DOUBLED.finditer(text)] == expected
        found += len(expected)
    assert found > 500


# ---------------------------------------------------------------- D102's coarse keys


def test_folding_changes_no_characters_coarse_key() -> None:
    # what makes the coarse key safe: for every character, case folding keeps its
    # coarse key, and the white space and bullets that `line_key` strips have none
    characters = list(map(chr, range(0x110000)))
    folded = [c for c in characters if coarse_keys(c.casefold()) != coarse_keys(c)]
    assert folded == []
    stripped = [
        c for c in characters if (c.isspace() or c in LINE_EDGES) and b"".join(coarse_keys(c))
    ]
    assert stripped == []


def test_the_repeated_coarse_keys_are_those_counted_more_than_once() -> None:
    # D102 folds only the lines whose coarse key another line has, picked out as equal
    # neighbours of the sorted keys: exactly the keys a count gives more than once
    import random
    from collections import Counter

    from textmend.rules.duplication import _repeated

    rng = random.Random(3)
    for size in range(40):
        keys = [rng.choice([b"", b",", b".", b",.", b"1", b":2"]) for _ in range(size)]
        assert _repeated(keys) == {key for key, n in Counter(keys).items() if n > 1}
    assert _repeated([b"a", b"b", b"a", b"c", b"c", b"c"]) == {b"a", b"c"}
    assert _repeated([b"a", b"b"]) == set() == _repeated([])


def test_coarse_keys_are_those_of_the_documents_lines() -> None:
    text = "A, 1.\r\n\r\rB: 2\n\r\n• C (3)\r\r\n\x0cD;\u2028E?\x85F!\n"
    lines = Document(text, "a.txt").lines
    assert coarse_keys(text) == [b"".join(coarse_keys(line.text)) for line in lines]
    assert coarse_keys(text) == [b",1.", b"", b"", b":2", b"", b"(3)", b"", b";?!", b""]
    # a CR and an LF with letters between them are two line breaks, not a CRLF
    text = "line one\rfoo\nline two\r bar \r\n"
    assert len(coarse_keys(text)) == len(Document(text, "b.txt").lines) == 5


def test_a_text_with_carriage_returns_between_lines_is_checked() -> None:
    sentence = "Markets rose sharply in early trading on Monday."
    text = f"{sentence}\rfoo\n{sentence}\rbar\n"
    found = textmend.check(text, select=["D102"])
    assert [d.location[0] for d in found] == [3]


# the same sentence as two lines may write it: case (with folds that change the length
# or come from outside ASCII), bullets and white space of every kind
SAME_LINES = [
    (
        "Die Straße nach Kyiv, 2024: 12 km (sagt er).",
        "* die STRASSE nach kyiv, 2024: 12 KM (SAGT ER).",
    ),
    (
        "The \u212aelvin scale, said İstanbul's 3 labs.",
        "  – the kelvin\tscale,  said i̇stanbul's 3 LABS.",
    ),
    (
        "ΣΟΦΙΑ said: “it is 40% less”, in Athens.",
        "▸\u2003σοφια said: “IT IS 40%\u00a0less”,\x1cin athens.  ",
    ),
    (
        "+ 1. Troops moved north - and east, again.",
        "1. troops moved north - and east, again.\u3000",
    ),
]


@pytest.mark.parametrize(("first", "again"), SAME_LINES)
def test_lines_that_differ_in_case_bullets_or_spaces_still_repeat(first: str, again: str) -> None:
    assert line_key(first) == line_key(again)
    text = f"{first}\n\nSomething else is said in between, by 2 people.\n\n{again}\n"
    assert findings({"a.txt": text}, "D102") == [("a.txt", "D102", "line repeated from line 1")]


# ---------------------------------------------------------------- D103, D104 on the seeds


def test_seeds_have_no_duplicate_documents() -> None:
    # five articles, four of them on North Korean troops in Russia: the same subject,
    # many shared phrases, no duplicates
    assert findings(SEED_TEXTS, "D103", "D104") == []


def test_seed_articles_on_one_subject_are_far_below_the_threshold() -> None:
    signatures = {name: signature(Document(text, name)) for name, text in SEED_TEXTS.items()}
    names = sorted(signatures)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            a, b = signatures[first], signatures[second]
            assert a is not None and b is not None
            assert similarity(a, b) < 0.3


# ---------------------------------------------------------------- D103


# texts that `normal_form_in_bytes` must fold as `normal_form` does: ASCII case, curly
# quotes and lower-case accents (which case folding keeps), capitals outside ASCII and
# letters it expands (ß, ﬁ, İ), white space of every kind (ASCII's \x1c to \x1f,
# no-break and narrow spaces, line separators), runs of it, at either end, and nothing
# but it
DIGEST_TEXTS = [
    "",
    " \t\n",
    "\u00a0\u202f\u3000\x85\x1c",
    "The  Quick\tbrown\n\nfox ",
    "  “Quoted” — it’s naïve, façade, Łódź\r\n",
    "ÃO\tPAULO\u00a0and\x1fSão  Paulo\n",
    "Straße STRASSE ﬁne FINE İstanbul",
    "a\x1cb\x1dc\x1ed\x1fe\x0bf\x0cg\rh",
    "wide\u2028lines\u2029and\u205fspaces\u1680here\u3000too\u00a0\u00a0end",
    "Ünïcode\u00a0and   tabs\t\t\there",
    "lone \ud800 surrogate\u00a0Σ",
    " ".join(["x"] * 3) + " " * 1000 + "y",
]


@pytest.mark.parametrize("text", [*DIGEST_TEXTS, ARTICLE, ARTICLE.upper()])
def test_normal_form_in_bytes_is_the_normal_form(text: str) -> None:
    assert normal_form_in_bytes(text) == normal_form(text)


@pytest.mark.parametrize("text", ["", " \n", "A line", ARTICLE, "\u00a0" * 200])
def test_normalised_digest_of_short_and_long_texts(text: str) -> None:
    normal = " ".join(text.casefold().split()).encode()
    expected = hashlib.blake2b(normal, digest_size=8).digest() if normal else None
    assert normalised_digest(text) == expected


def test_case_folding_keeps_and_makes_no_white_space() -> None:
    # what the digest's bytes relies on, for every character: a character that case
    # folding changes folds to a string that does not start with it (so a string is
    # its own folding only if each of its characters is), and folding leaves white
    # space as it is and turns nothing else into white space
    characters = list(map(chr, range(0x110000)))
    folded = [(c, c.casefold()) for c in characters if c.casefold() != c]
    assert [c for c, f in folded if f[0] == c] == []
    assert [c for c, f in folded if c.isspace() or any(map(str.isspace, f))] == []


def test_exact_copy_is_reported_once_naming_the_first() -> None:
    copy = "  " + ARTICLE.upper().replace(" ", "\n ") + "\n\n"  # white space and case aside
    assert findings({"b.txt": copy, "a.txt": ARTICLE}, "D103") == [
        ("b.txt", "D103", "the same text as a.txt (2 copies in the corpus)")
    ]


def test_every_copy_but_the_first_is_reported() -> None:
    corpus = {"c.txt": ARTICLE, "a.txt": ARTICLE, "other.txt": EDITED, "b.txt": ARTICLE}
    assert findings(corpus, "D103") == [
        ("c.txt", "D103", "the same text as a.txt (3 copies in the corpus)"),
        ("b.txt", "D103", "the same text as a.txt (3 copies in the corpus)"),
    ]


def test_the_check_reads_only_the_copies_the_corpus_pass_found() -> None:
    # the corpus pass lists the documents whose text another has: the check skips the
    # rest without working out their digest, but reads a fixed (revised) text again
    rule = DuplicateDocument()
    corpus = {"a.txt": ARTICLE, "b.txt": ARTICLE.upper(), "c.txt": EDITED}
    first = rule.collect(Document(corpus["a.txt"], "a.txt"))
    second = rule.merge(*(rule.collect(Document(corpus[n], n)) for n in ("b.txt", "c.txt")))
    stats = rule.merge(first, second)
    assert stats.copied == {"a.txt", "b.txt"}
    assert [f.message for f in rule.check(Document(corpus["b.txt"], "b.txt"), stats)] == [
        "the same text as a.txt (2 copies in the corpus)"
    ]
    assert list(rule.check(Document(ARTICLE, "c.txt"), stats)) == []  # (not c's text)
    revised = Document(EDITED, "c.txt").with_text(ARTICLE)
    assert [f.message for f in rule.check(revised, stats)] == [
        "the same text as a.txt (2 copies in the corpus)"
    ]


def test_documents_without_text_are_no_duplicates() -> None:
    assert findings({"a.txt": "", "b.txt": "\n", "c.txt": " \n "}, "D103", "D104") == []


def test_duplicate_finding_spans_the_document() -> None:
    (diagnostic,) = textmend.check({"a.txt": "One line.\nTwo.", "b.txt": "One line.\nTwo."})
    assert diagnostic.code == "D103"
    assert (diagnostic.location, diagnostic.end_location) == ((1, 1), (2, 5))


def test_duplicate_records_of_a_jsonl_file(run: Run, tmp_path: Path) -> None:
    records = [
        {"id": "x", "text": ARTICLE},
        {"id": "y", "text": EDITED},
        {"id": "z", "text": ARTICLE},
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    result = run("check", "--select", "D103,D104", "--format", "json", "c.jsonl")
    reported = {(f["record"]["id"], f["code"]) for f in result.json()}
    assert reported == {("z", "D103"), ("y", "D104")}


# ---------------------------------------------------------------- D104


def test_near_copy_is_reported_naming_the_other() -> None:
    ((name, code, message),) = findings({"a.txt": ARTICLE, "b.txt": EDITED}, "D104")
    assert (name, code) == ("b.txt", "D104")
    assert message.startswith("near-duplicate of a.txt (estimated similarity 0.")
    assert float(message.split("similarity ")[1].rstrip(")")) >= 0.8


def test_the_document_that_sorts_first_is_kept() -> None:
    assert [f[0] for f in findings({"b.txt": ARTICLE, "a.txt": EDITED}, "D104")] == ["b.txt"]


def test_exact_copies_are_d103_not_d104() -> None:
    corpus = {"a.txt": ARTICLE, "b.txt": ARTICLE, "c.txt": EDITED}
    assert findings(corpus, "D103", "D104") == [
        ("b.txt", "D103", "the same text as a.txt (2 copies in the corpus)"),
        ("c.txt", "D104", findings({"a.txt": ARTICLE, "c.txt": EDITED}, "D104")[0][2]),
    ]


def test_punctuation_only_changes_are_near_duplicates() -> None:
    changed = ARTICLE.replace(", ", " ").replace("’", "'")
    ((name, _, message),) = findings({"a.txt": ARTICLE, "b.txt": changed}, "D104")
    assert name == "b.txt" and "similarity 1.00" in message


def test_a_third_near_copy_names_the_nearest_and_counts_the_others() -> None:
    again = replace_words(EDITED, {"surprise incursion": "sudden incursion"})
    found = findings({"a.txt": ARTICLE, "b.txt": EDITED, "c.txt": again}, "D104")
    assert [f[0] for f in found] == ["b.txt", "c.txt"]
    assert found[1][2].startswith("near-duplicate of b.txt")  # one word apart
    assert found[1][2].endswith("), and of 1 more document before it")


def test_distinct_documents_on_one_subject_are_not_near() -> None:
    corpus = {
        "a.txt": "North Korea has sent thousands of troops to Russia, South Korea's "
        "intelligence service said on Tuesday, adding that more could follow in the "
        "coming weeks as the war in Ukraine drags on.",
        "b.txt": "South Korea's intelligence service said on Tuesday that North Korea has "
        "sent troops to Russia; NATO called the deployment a dangerous escalation of "
        "the war in Ukraine and urged Pyongyang to withdraw them.",
        "c.txt": SEED_TEXTS["004_b406058e390f8a59.txt"],
        "d.txt": ARTICLE,
    }
    assert findings(corpus, "D103", "D104") == []


def test_short_documents_are_left_alone() -> None:
    assert findings({"a.txt": "Yes.", "b.txt": "Yes!", "c.txt": "yes?"}, "D104") == []


@pytest.mark.parametrize("kept", [1 << 17, 3])
def test_signature_is_datasketchs_minhash_of_the_crc32_shingles(
    kept: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the signature, made in numpy, against one made a word at a time: the lower-cased
    # words less every kind of quote, apostrophe and dash, each hashed with CRC-32, a
    # 3-gram's hash mixed from its words' modulo 2**32, and datasketch's MinHash; the
    # same when the chunks' hashes are remembered and when they are forgotten often
    from datasketch import MinHash

    monkeypatch.setattr(duplication._WORD_HASHES, "limit", kept)

    text = ARTICLE + " «Don't» ‘say’ “it” — twice – or… 'never' – O’Neill’s words."
    data = chunk_bytes(Document(text, "a.txt"))
    for mark in "'’‘“”«»—–…":
        data = data.replace(mark.encode(), b" ")
    hashes = [zlib.crc32(word) for word in data.split()]
    mix_one, mix_two = (int(m) for m in SHINGLE_MIX)
    triples = zip(hashes, hashes[1:], hashes[2:], strict=False)
    shingles = [(a * mix_one + b * mix_two + c) % 2**32 for a, b, c in triples]
    reference = MinHash(NUM_PERM, seed=MINHASH_SEED, hashfunc=int, scheme=MINHASH_SCHEME)
    reference.update_batch(shingles)
    expected = reference.hashvalues.astype("<u4").tobytes()
    assert signature(Document(text, "a.txt")) == expected
    assert signature(Document(text, "b.txt")) == expected


def test_generated_near_copies_among_many_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    # the benchmarks' generator: news-like documents that reuse sentence templates
    monkeypatch.syspath_prepend(str(SEEDS.parent / "bench"))
    from newsgen import document

    rng = random.Random(3)
    corpus = {f"n{i:03d}.txt": document(rng) for i in range(300)}
    words = corpus["n123.txt"].split(" ")
    for at in rng.sample(range(len(words)), 3):
        words[at] = "harbour" + ("\n" if words[at].endswith("\n") else "")
    corpus["z.txt"] = " ".join(words)
    found = findings(corpus, "D103", "D104")
    assert [(f[0], f[1]) for f in found] == [("z.txt", "D104")]
    assert "n123.txt" in found[0][2]


# ---------------------------------------------------------------- exact merging


def _collect_in_shards(rule: CorpusRule[Any], shards: list[list[str]]) -> Any:
    """The statistics of each shard, collected as the engine does, then merged."""
    merged = None
    for shard in shards:
        stats = None
        for name in shard:
            one = rule.collect(Document(CORPUS[name], name))
            stats = one if stats is None else rule.merge(stats, one)
        merged = stats if merged is None else rule.merge(merged, stats)
    return merged


CORPUS = {"a.txt": ARTICLE, "b.txt": EDITED, "c.txt": ARTICLE, **SEED_TEXTS}


def test_statistics_merge_exactly_in_any_order() -> None:
    names = sorted(CORPUS)
    for rule in (DuplicateDocument(), NearDuplicateDocument()):
        whole = _collect_in_shards(rule, [names])
        shuffled = names[:]
        random.Random(1).shuffle(shuffled)
        shards = [shuffled[:3], shuffled[3:5], shuffled[5:]]
        assert _collect_in_shards(rule, shards[::-1]) == whole
        assert _collect_in_shards(rule, shards) == whole


def test_near_matches_from_merged_statistics() -> None:
    stats = _collect_in_shards(NearDuplicateDocument(), [["b.txt", "a.txt"], ["c.txt"]])
    matches = near_matches(stats)
    assert set(matches) == {"b.txt"}  # c.txt is a.txt's exact copy: D103's
    assert matches["b.txt"].other == "a.txt" and matches["b.txt"].similarity >= 0.8


def test_near_matches_are_those_of_every_pair_that_shares_a_band() -> None:
    """The sorted band hashes find what comparing every pair of documents finds: for
    each document, the earlier ones with an equal band (LSH_ROWS values at the same
    place) and a similarity from the threshold, the nearest named, ties to the first
    label. Near copies in clusters, exact copies and unrelated documents mixed."""
    from textmend.rules.duplication import LSH_BANDS, LSH_ROWS, SIMILARITY

    rng = random.Random(3)
    words = ARTICLE.split()
    texts = [" ".join(rng.sample(words, 120)) for _ in range(40)]
    for _ in range(60):  # near copies of near copies, and exact copies
        copy = rng.choice(texts).split()
        for _ in range(rng.randint(0, 8)):
            copy[rng.randrange(len(copy))] = rng.choice(["alpha", "beta", "gamma"])
        texts.append(" ".join(copy))
    rule = NearDuplicateDocument()
    stats: dict[str, Any] = {}
    for i, text in enumerate(texts):
        stats.update(rule.collect(Document(text, f"{rng.randrange(1000):03d}-{i}.txt")))
    width = 4 * LSH_ROWS
    firsts: dict[bytes, str] = {}
    for label in sorted(stats):
        firsts.setdefault(stats[label].digest, label)
    labels = sorted(firsts.values())
    expected = {}
    for j, label in enumerate(labels):
        values = stats[label].signature
        near = []
        for other in labels[:j]:
            theirs = stats[other].signature
            shares = any(
                values[b * width : (b + 1) * width] == theirs[b * width : (b + 1) * width]
                for b in range(LSH_BANDS)
            )
            if shares and similarity(values, theirs) >= SIMILARITY:
                near.append((-similarity(values, theirs), other))
        if near:
            near.sort()
            expected[label] = (near[0][1], -near[0][0], len(near) - 1)
    found = {k: (m.other, m.similarity, m.others) for k, m in near_matches(stats).items()}
    assert len(expected) > 20  # the clusters give many near copies
    assert found == expected


def test_minhash_values_are_datasketchs_own() -> None:
    # D104 takes the MinHash in numpy with datasketch's permutations; the values must
    # be those its `update_batch` gives for the same shingle hashes
    from datasketch import MinHash

    rng = np.random.default_rng(3)
    for size in (1, 8, 200, 5000):
        shingles = rng.integers(0, 2**32, size=size, dtype=np.uint64).astype(np.uint32)
        reference = MinHash(NUM_PERM, seed=MINHASH_SEED, hashfunc=int, scheme=MINHASH_SCHEME)
        reference.update_batch(shingles.tolist())
        assert np.array_equal(minhash_values(shingles), reference.hashvalues)


def test_the_permutations_are_datasketchs_without_importing_it() -> None:
    # D104 draws datasketch's permutations itself: importing datasketch imports scipy
    # (0.5 to 1.3 s a run); they must be the very arrays datasketch draws
    import subprocess
    import sys

    from datasketch import MinHash

    from textmend.rules.duplication import _permutations

    reference = MinHash(NUM_PERM, seed=MINHASH_SEED, scheme=MINHASH_SCHEME).permutations
    for ours, theirs in zip(_permutations(), reference, strict=True):
        assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs)
    script = (
        "import sys\n"
        "from textmend.document import Document\n"
        "from textmend.rules.duplication import signature\n"
        "text = ' '.join(f'word{i} of a long enough document' for i in range(40))\n"
        "assert signature(Document(text, 'a.txt')) is not None\n"
        "print('datasketch' in sys.modules, 'scipy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
