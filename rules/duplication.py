"""D: duplication (doubled words, repeated blocks, duplicate and near-duplicate
documents)."""

from __future__ import annotations

import hashlib
import itertools
import operator
import re
import string
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from textmend.document import BoundedMemo, Document, Line
from textmend.rule import (
    CorpusRule,
    DocumentRule,
    Edit,
    Finding,
    Fix,
    FixAvailability,
    RuleContext,
    register,
)
from textmend.rules.unicode import other_characters
from textmend.rules.word_boundaries import chunk_bytes, chunk_words
from textmend.rules.wordlists import word_list

# a word, spaces or tabs (never a line break: a heading may end with the word that
# starts the next paragraph), and the same word again, in any case
# ([^\W\d_] is a letter; the standard `re` runs this twice as fast as `regex`). The
# letters and the spaces are taken possessively: a shorter run of either cannot be
# followed by what comes next, and not trying each took a quarter of the time
DOUBLED = re.compile(r"(?<![\w'’-])([^\W\d_]++)([ \t]++)(\1)(?![\w'’-])", re.IGNORECASE)
# the bytes of the punctuation outside ASCII that a chunk keeps at its edges (“the the”):
# stripped, a doubled word's two chunks are equal (so are a few others: the pattern
# decides)
QUOTE_BYTES = "“”‘’«»„…—–".encode()
# two chunks in a row made of those bytes alone (`— —`), which are equal stripped
_QUOTE_RUN = b"[" + re.escape(QUOTE_BYTES) + b"]+"
QUOTE_PAIR = re.compile(b" " + _QUOTE_RUN + b" +" + _QUOTE_RUN + b" ")


def _may_double(doc: Document) -> bool:
    """Whether two chunks in a row are equal once their edge punctuation is off (or
    two others, a few: the pattern decides): a document with a doubled word always has
    such a pair, and most have none.

    The bytes of the punctuation are deleted wherever they are, in C, and the chunks
    split again: chunks equal stripped are equal so too. A chunk made of those bytes
    alone goes (and the two beside it come together), so two such chunks in a row,
    equal stripped, are looked for apart. Half the cost of stripping every chunk."""
    chunks = chunk_bytes(doc)
    words = chunks.translate(None, QUOTE_BYTES).split()
    return any(map(operator.eq, words, words[1:])) or QUOTE_PAIR.search(chunks) is not None


@register
class DoubledWord(DocumentRule):
    """## What it flags
    The same word twice in a row, `the the harshest winter`, in any case. Words that
    English doubles on purpose (`had had`, `that that`: the list is in
    `rules/data/legitimate-doubles.en.txt`) and capitalised pairs, which are usually
    names (`Bora Bora`, `Sirhan Sirhan`), are left alone.

    ## Why it matters
    A doubled word is a typing, scraping or translation slip that every reader
    notices; it also skews n-gram statistics and repetition filters.

    ## Example
    ```
    All this in view of the the harshest winter.
    ```
    Fix (unsafe, since it deletes a word): `All this in view of the harshest winter.`
    """

    code = "D101"
    name = "doubled-word"
    summary = "The same word twice in a row (the the)"
    fix_availability = FixAvailability.UNSAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        if not _may_double(doc):
            return
        legitimate = word_list(self.context.lang, "legitimate-doubles")
        for match in DOUBLED.finditer(doc.text):
            first, second = match.group(1), match.group(3)
            if first.lower() in legitimate or (first[0].isupper() and second[0].isupper()):
                continue
            yield self.finding(
                match.start(),
                match.end(),
                f"doubled word '{first} {second}'",
                Fix.unsafe(f"Remove the second '{second}'", Edit(match.end(1), match.end(), "")),
            )


# ---------------------------------------------------------------- D102 repeated blocks

# bullets and list marks that a repeated list line may carry or drop, and white space
LINE_EDGES = "•·‣◦▪▫●○■□►▸*+–—- \t\u00a0"
WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*$")
MIN_LINE_WORDS = 3  # a shorter line (`Comments0`, `300`) means nothing repeated alone
LONE_SENTENCE_WORDS = 6  # a line repeated on its own counts if it is a sentence this long
LONE_LINE_WORDS = 20  # ... or this long whatever its end (a paragraph without a full stop)


def line_key(text: str) -> str | None:
    """A line as D102 compares it: surrounding white space and bullets off, white space
    folded, case folded; None for a blank line (or a bullet alone)."""
    stripped = text.strip().lstrip(LINE_EDGES)
    return " ".join(stripped.casefold().split()) if stripped else None


# the characters that `line_key` never changes and no folding makes: ASCII digits and
# punctuation, but the bullets it strips
COARSE_CHARACTERS = (string.digits + string.punctuation).translate(str.maketrans("", "", "*+-"))
# all bytes but those of `COARSE_CHARACTERS` and the line feed
NOT_COARSE = bytes(sorted(set(range(256)) - set((COARSE_CHARACTERS + "\n").encode())))


def coarse_keys(text: str) -> list[bytes]:
    """The coarse key of each line of a text, as `Document.lines` splits it: the line's
    `COARSE_CHARACTERS`, in order. Lines of the same `line_key` have the same coarse
    key (case folding turns no other character into one of these, and one of these
    into nothing else: a test holds this for every character), so a line whose coarse
    key no other line has repeats no line. In C, one translation of the whole text, at
    a fraction of the cost of `line_key`, whose case folding is most of D102's time."""
    data = text.encode("utf-8", "surrogatepass")
    if b"\r" in data:
        # the line breaks of `Document.lines` (CRLF, else CR or LF) as line feeds, while
        # what stands between a CR and an LF still keeps them apart
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data.translate(None, NOT_COARSE).split(b"\n")


def _line_keys(doc: Document) -> list[str | None]:
    """The `line_key` of each line that may repeat another, None for the others: only
    lines that share their coarse key (blank lines, a few short ones, rarely a
    paragraph) are folded."""
    coarse = coarse_keys(doc.text)
    shared = _repeated(coarse)
    return [
        line_key(line.text) if key in shared else None
        for line, key in zip(doc.lines, coarse, strict=True)
    ]


def _repeated(keys: list[bytes]) -> set[bytes]:
    """The keys that occur more than once: equal neighbours once sorted, all in C (a
    `Counter` cost three times as much, most of it in its Python-level `__init__`)."""
    ordered = sorted(keys)
    return set(itertools.compress(ordered, map(operator.eq, ordered, ordered[1:])))


def _words(text: str) -> int:
    return len(WORD.findall(text))


def _counts_alone(text: str) -> bool:
    """Whether a repeated line means something on its own: a sentence, or a long line.
    A heading, a title or a label repeated once is left alone."""
    words = _words(text)
    sentence = SENTENCE_END.search(text.rstrip()) is not None
    return (sentence and words >= LONE_SENTENCE_WORDS) or words >= LONE_LINE_WORDS


@dataclass(frozen=True)
class _Block:
    first: int  # index of the block's first line
    last: int  # index of its last line
    sources: tuple[int, ...]  # for each of its lines, where the line first occurs


def repeated_blocks(doc: Document) -> list[_Block]:
    """The blocks of a document that repeat earlier lines: maximal runs of consecutive
    non-blank lines each of which occurs earlier in the document (normalised), with at
    least two lines of three words or more, or one that means something alone."""
    lines = doc.lines
    keys = _line_keys(doc)
    first_seen: dict[str, int] = {}
    sources: list[int | None] = []
    for i, key in enumerate(keys):
        source = None if key is None else first_seen.setdefault(key, i)
        sources.append(None if source == i else source)
    blocks = []
    i = 0
    while i < len(lines):
        if sources[i] is None:
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and sources[j + 1] is not None:
            j += 1
        texts = [lines[k].text for k in range(i, j + 1)]
        meaningful = [text for text in texts if _words(text) >= MIN_LINE_WORDS]
        if len(meaningful) >= 2 or (len(meaningful) == 1 and _counts_alone(meaningful[0])):
            found = tuple(s for s in sources[i : j + 1] if s is not None)
            blocks.append(_Block(i, j, found))
        i = j + 1
    return blocks


def _blank(line: Line) -> bool:
    return not line.text.strip()


def _block_deletion(lines: list[Line], first: int, last: int) -> Edit:
    """The edit that deletes lines `first` to `last`, with their line breaks.

    A block that is a paragraph of its own (blank lines before and after it) goes with
    the blank lines after it, so that no run of blank lines is left; a block that only
    blank lines follow takes the line breaks before it instead, so that the text ends
    as it did."""
    before = next(k for k in range(first - 1, -1, -1) if not _blank(lines[k]))
    after = next((k for k in range(last + 1, len(lines)) if not _blank(lines[k])), None)
    if after is None:
        return Edit(lines[before].end, lines[last].end, "")
    if before == first - 1 or after == last + 1:
        return Edit(lines[first].start, lines[last + 1].start, "")
    return Edit(lines[first].start, lines[after].start, "")


def _span_of_rows(rows: tuple[int, ...]) -> str:
    """`line 35` or `lines 35–40` for consecutive sources, else where they start."""
    if len(rows) == 1:
        return f"line {rows[0] + 1}"
    if all(b == a + 1 for a, b in itertools.pairwise(rows)):
        return f"lines {rows[0] + 1}–{rows[-1] + 1}"
    return f"earlier lines (the first at line {min(rows) + 1})"


@register
class RepeatedBlock(DocumentRule):
    """## What it flags
    A line, or a block of consecutive non-blank lines, that repeats earlier lines of
    the same document: a paragraph pasted twice, a related-stories list that a page
    shows under two headers. Lines are compared with surrounding white space and
    bullets (`•`, `-`, `*`) taken off, white space folded and case folded. One finding
    spans the whole block, from the start of its first line to the end of its last.

    Blank lines separate blocks. A block is reported when it holds at least two lines
    of three words or more; a line repeated on its own only when it is a sentence of
    six words or more, or a line of twenty words or more. So a heading or a title
    repeated once (`North Korea’s Military Moves`), and short lines (`Comments0`,
    `300`: the B rules' business) are left alone.

    Poems and song lyrics repeat their refrains on purpose: ignore D102 for them with
    `per-file-ignores`.

    ## Why it matters
    A repeated block is extraction debris: it weighs its text twice in every count
    made on the corpus, and models trained on it learn to repeat themselves.

    ## Example
    ```
    [Latest] Latest Stories
      • Top Troops Compete: Army's Best Squads Battle for Glory
      • Brave Soldiers Donate 1,000 Blood Donation Certificates

    [Latest] Popular Now
      • Top Troops Compete: Army's Best Squads Battle for Glory
      • Brave Soldiers Donate 1,000 Blood Donation Certificates
    ```
    The two bullet lines under `Popular Now` are reported as one block. Fix (unsafe:
    it deletes text): the repeated lines are deleted, with their line breaks; the
    first copy stays.
    """

    code = "D102"
    name = "repeated-block"
    summary = "Lines that repeat earlier lines of the document, as one block"
    fix_availability = FixAvailability.UNSAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        lines = doc.lines
        for block in repeated_blocks(doc):
            count = block.last - block.first + 1
            what = "line" if count == 1 else f"block of {count} lines"
            yield self.finding(
                lines[block.first].start,
                lines[block.last].end,
                f"{what} repeated from {_span_of_rows(block.sources)}",
                Fix.unsafe(
                    "Delete the repeated line" if count == 1 else "Delete the repeated lines",
                    _block_deletion(lines, block.first, block.last),
                ),
            )


# ---------------------------------------------------------------- D103 duplicate documents


# the ASCII characters that `str.split` takes for white space (\x1c to \x1f too), and
# tables that make them spaces, the second lower-casing ASCII letters as well
ASCII_SPACES = bytes(c for c in range(128) if chr(c).isspace())
SPACES_TO_SPACE = bytes.maketrans(ASCII_SPACES, b" " * len(ASCII_SPACES))
FOLD_ASCII = bytes.maketrans(
    ASCII_SPACES + string.ascii_uppercase.encode(),
    b" " * len(ASCII_SPACES) + string.ascii_lowercase.encode(),
)
SHORT_TEXT = 100  # characters up to which `normal_form` is the quicker (a line, for B)


def normalised_digest(text: str) -> bytes | None:
    """8 bytes that identify a text with its white space folded and case folded (the
    BLAKE2b digest of its `normal_form`), or None for a text with nothing but white
    space."""
    normal = normal_form(text) if len(text) <= SHORT_TEXT else normal_form_in_bytes(text)
    if not normal:
        return None
    return hashlib.blake2b(normal, digest_size=8).digest()


def normal_form(text: str) -> bytes:
    """A text with its white space folded and case folded, in UTF-8: one Python string
    a word, which costs less than `normal_form_in_bytes` below about 100 characters."""
    return " ".join(text.casefold().split()).encode("utf-8", "surrogatepass")


def normal_form_in_bytes(text: str) -> bytes:
    """`normal_form` made in bytes, without a Python object per word (a test compares
    them): case folding changes no character outside ASCII in most documents (curly
    quotes, dashes, lower-case accented letters), and those are found from the few
    bytes left once ASCII is taken out; then lower-casing the ASCII letters is all the
    folding there is. White space becomes spaces (a translation for ASCII, one
    replacement per other white space character the text has), and runs of spaces are
    halved until no two are left in a row. 1.6 times as fast as `normal_form` at 200
    characters, 2.6 times at 1,000; D callgrind 2,370 -> 2,112 M instructions at 2 MB."""
    data = text.encode("utf-8", "surrogatepass")
    wide = other_characters(data)
    # (a character that case folding changes never folds to a string that starts with
    # it, so the folded string is the same only if every one of its characters is)
    if wide.casefold() == wide:
        data = data.translate(FOLD_ASCII)
    else:
        # case folding keeps white space as it is and makes none (a test holds this)
        data = text.casefold().encode("utf-8", "surrogatepass").translate(SPACES_TO_SPACE)
    for space in set(filter(str.isspace, wide)):
        data = data.replace(space.encode("utf-8"), b" ")
    while b"  " in data:
        data = data.replace(b"  ", b" ")
    return data.strip(b" ")


def _digest(doc: Document) -> bytes | None:
    """`normalised_digest` of a document, shared by D103 and D104."""
    return doc.cached("normalised-digest", lambda d: normalised_digest(d.text))


@dataclass
class DuplicateStats:
    """D103's corpus statistics."""

    # per normalised text (its digest), how many documents have it and the label that
    # sorts first among them
    texts: dict[bytes, tuple[int, str]] = field(default_factory=dict)
    # the documents whose text another document has too: the check reads only these
    copied: set[str] = field(default_factory=set)


@register
class DuplicateDocument(CorpusRule[DuplicateStats]):
    """## What it flags
    A document whose text is the same as another document's of the run, white space
    and case aside. Of each group of copies, every document is reported but the one
    whose name (its path, and its record in a JSONL or Parquet file) sorts first; the
    message names that one and says how many copies the corpus holds. Documents with
    no text are left alone.

    The corpus pass keeps, per distinct text, an 8-byte digest (BLAKE2b of the
    normalised text), a count and the first name: about 200 bytes a document.

    ## Why it matters
    Exact copies weigh one text several times in every statistic made on the corpus,
    leak between training and test splits, and make models learn their text by heart.

    ## Example
    In a run where `a.txt` and `b.txt` hold the same article (one with a trailing
    space), `b.txt` is reported: `the same text as a.txt (2 copies in the corpus)`.
    No fix: which copy to keep is a decision about the corpus.
    """

    code = "D103"
    name = "duplicate-document"
    summary = "A document the same as another, white space and case aside"

    def collect(self, doc: Document) -> DuplicateStats:
        digest = _digest(doc)
        return DuplicateStats() if digest is None else DuplicateStats({digest: (1, doc.label)})

    def merge(self, first: DuplicateStats, second: DuplicateStats) -> DuplicateStats:
        texts = first.texts
        for digest, (count, label) in second.texts.items():
            known = texts.get(digest)
            if known is None:
                texts[digest] = (count, label)
            else:
                texts[digest] = (known[0] + count, min(known[1], label))
                first.copied.update((known[1], label))  # (the others are in `copied`)
        first.copied |= second.copied
        return first

    def dependency(self, shard: DuplicateStats, stats: DuplicateStats) -> Any:
        return [(digest, stats.texts[digest]) for digest in shard.texts]

    def check(self, doc: Document, stats: DuplicateStats) -> Iterator[Finding]:
        if doc.read_outside(stats.copied):
            return  # no copy: the corpus pass knows every document that has one
        digest = _digest(doc)
        if digest is None or digest not in stats.texts:
            return
        count, first = stats.texts[digest]
        if count > 1 and doc.label != first:
            yield self.finding(
                0, len(doc.text), f"the same text as {first} ({count} copies in the corpus)"
            )


# ---------------------------------------------------------------- D104 near duplicates

NUM_PERM = 128
MINHASH_SEED = 1
MINHASH_SCHEME = "affine32"  # uint32 values: 128 of them are 512 bytes a document
SIMILARITY = 0.8  # estimated Jaccard similarity from which two documents are reported
# the LSH bands: 21 bands of 6 values (126 of the 128). Tuned for recall, since every
# candidate is then checked against the whole signature: a pair at similarity 0.8 is a
# candidate with probability 0.998, at 0.7 with 0.92, at 0.3 with 0.015 (datasketch's
# own optimum for 0.8, 9 bands of 13, would miss 60 % of the pairs at 0.8)
LSH_BANDS, LSH_ROWS = 21, 6
MIN_WORDS = 10  # a shorter document is too short to call near a copy by its shingles


def signature(doc: Document) -> bytes | None:
    """The MinHash signature of a document's word 3-grams (case folded), as 512 bytes;
    None for a document of fewer than `MIN_WORDS` words.

    The words are those of the lower-cased chunks the W and N rules split already
    (`chunk_words`), less the non-ASCII punctuation and apostrophes. Each is hashed
    with CRC-32 (the same in every process, unlike `hash`, and in C over bytes), a
    3-gram's hash is mixed from its words' hashes, and the MinHash is taken, all in
    numpy: no Python code runs per word or shingle."""
    # each chunk's hashes are kept packed, so that one join in C lines them up (an array
    # built from the chunks' tuples of integers took three times as long); 32-bit
    # arithmetic wraps around: the hash of a 3-gram is taken modulo 2**32
    packed = b"".join(map(_WORD_HASHES.__getitem__, chunk_words(doc)))
    if len(packed) < MIN_WORDS * HASH_BYTES:
        return None
    hashes = np.frombuffer(packed, dtype=np.uint32)
    shingles = hashes[:-2] * SHINGLE_MIX[0] + hashes[1:-1] * SHINGLE_MIX[1] + hashes[2:]
    values: bytes = minhash_values(shingles).astype("<u4").tobytes()
    return values


HASH_BYTES = 4  # a word's CRC-32, as a native uint32


def _chunk_hashes(chunk: bytes) -> bytes:
    """The CRC-32s of the words a chunk holds once the shingle punctuation is made
    spaces, packed as native uint32s: one for most chunks, none for a dash, two for
    `don't`. The same as splitting and hashing the whole text with the punctuation made
    spaces (the punctuation holds no white space), but each chunk is worked out once in
    a run (`_WORD_HASHES`), and looked up by the hash its `bytes` object has kept since
    `chunk_set`: 0.19 -> 0.13 s over 5 MB."""
    words = SHINGLE_PUNCTUATION.sub(b" ", chunk).split()
    return np.fromiter(map(zlib.crc32, words), np.uint32, len(words)).tobytes()


def _any_of(characters: str) -> re.Pattern[bytes]:
    """A pattern for any of these characters in UTF-8, their encodings grouped by all
    but their last byte (`\\xe2\\x80[\\x93\\x94]`): the search tries a few prefixes at a
    byte rather than one literal a character, 0.040 -> 0.036 s over 5 MB."""
    endings: dict[bytes, bytearray] = {}
    for encoded in sorted(c.encode() for c in characters):
        endings.setdefault(encoded[:-1], bytearray()).append(encoded[-1])
    return re.compile(
        b"|".join(
            re.escape(prefix) + b"[" + b"".join(re.escape(bytes([last])) for last in lasts) + b"]"
            for prefix, lasts in endings.items()
        )
    )


SHINGLE_PUNCTUATION = _any_of("'’‘“”«»—–…")
# the chunks' hashes of a run, 131,072 chunks at most (about 20 MB)
_WORD_HASHES = BoundedMemo(_chunk_hashes, 1 << 17)
# odd multipliers that make a 3-gram's hash depend on the order of its words
SHINGLE_MIX = (np.uint32(0x9E3779B1), np.uint32(0x85EBCA77))
# MurmurHash3's 32-bit finalizer (shifts and multipliers), as datasketch's affine32
# scheme applies it before permuting
FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))


def minhash_values(shingles: np.ndarray) -> np.ndarray:
    """The hash values of datasketch's MinHash (`NUM_PERM` permutations of seed
    `MINHASH_SEED`, scheme affine32) updated with these 32-bit shingle hashes: the
    same values as its `update_batch` (a test compares them), without converting each
    value to a Python integer first, which took a third of the time of D104."""
    a, b = _permutations()
    high, multiply, low, multiply_again = FMIX32
    mixed = shingles ^ (shingles >> high)
    mixed = mixed * multiply
    mixed = mixed ^ (mixed >> low)
    mixed = mixed * multiply_again
    mixed = mixed ^ (mixed >> high)
    permuted: np.ndarray = (mixed[:, None] * a + b).min(axis=0)
    return permuted


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's permutations for `NUM_PERM`, `MINHASH_SEED` and `MINHASH_SCHEME`,
    drawn as it draws them (an odd `a` and a `b` of 32 bits each, from numpy's
    `RandomState` of the seed), so that signatures made in different processes compare.
    datasketch itself is not imported: its package imports its LSH index, and with it
    scipy, which took 0.5 to 1.3 s of every run (a test compares the two)."""
    generator = np.random.RandomState(MINHASH_SEED)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


@dataclass(frozen=True, slots=True)
class Signed:
    """A document as D104 remembers it: the digest of its normalised text (exact copies
    are D103's) and the MinHash signature of its shingles."""

    digest: bytes
    signature: bytes


# per document label, its digest and signature
NearStats = dict[str, Signed]


@dataclass(frozen=True)
class NearMatch:
    other: str  # the most similar of the documents that sort before this one
    similarity: float
    others: int  # how many more documents that sort before it are near it


def similarity(first: bytes, second: bytes) -> float:
    """The estimated Jaccard similarity of two signatures: the share of equal values."""
    a = np.frombuffer(first, dtype="<u4")
    b = np.frombuffer(second, dtype="<u4")
    return float(np.count_nonzero(a == b)) / len(a)


def near_matches(stats: NearStats, threshold: float = SIMILARITY) -> dict[str, NearMatch]:
    """Per document label, its nearest earlier document, for every document that has
    one: the LSH index is built once, over one document of each exact-copy group (the
    one whose label sorts first), in label order; each document is looked up among
    those before it, and the candidates are checked against the whole signature.

    The index is the plain banding scheme of locality-sensitive hashing: documents are
    candidates when one band of their signatures (`LSH_ROWS` values at the same place)
    is equal. Each band is hashed to 64 bits in numpy and each column of band hashes
    sorted, so that equal bands sit together: no Python object per band and document
    (a dictionary of band keys took 3 KB a document, 320 MB at 100,000 documents), and
    Python runs only for the bands that documents share. datasketch's `MinHashLSH`
    does the same through storage objects, at about 100 times the cost per document."""
    firsts: dict[bytes, str] = {}
    for label in sorted(stats):
        firsts.setdefault(stats[label].digest, label)
    labels = sorted(firsts.values())
    candidates = _sharing_a_band(labels, stats)
    matches: dict[str, NearMatch] = {}
    for later, earlier in candidates.items():
        values = stats[labels[later]].signature
        near = sorted((-similarity(values, stats[labels[i]].signature), labels[i]) for i in earlier)
        near = [(score, other) for score, other in near if -score >= threshold]
        if near:
            matches[labels[later]] = NearMatch(near[0][1], -near[0][0], len(near) - 1)
    return matches


# odd 64-bit multipliers that mix a band's values into one hash
BAND_MIX = np.array([0x9E3779B97F4A7C15 + 2 * k for k in range(LSH_ROWS)], dtype=np.uint64)


def _sharing_a_band(labels: list[str], stats: NearStats) -> dict[int, set[int]]:
    """For each document (by its index in `labels`) that shares a band with documents
    before it, the indices of those documents. A 64-bit hash of a band stands for the
    band: two bands that differ but hash alike add a candidate, which the check of the
    whole signature then weighs like any other."""
    count = len(labels)
    if count < 2:
        return {}
    signatures = np.frombuffer(
        b"".join(stats[label].signature for label in labels), dtype="<u4"
    ).reshape(count, NUM_PERM)
    earlier: dict[int, set[int]] = {}
    for band in range(LSH_BANDS):
        # one band of every document, hashed: a column of `count` values at a time
        column = np.zeros(count, dtype=np.uint64)
        for row, mix in enumerate(BAND_MIX):
            column += signatures[:, band * LSH_ROWS + row].astype(np.uint64) * mix
        order = np.argsort(column, kind="stable")  # equal hashes in label order
        ordered = column[order]
        starts = np.flatnonzero(ordered[1:] == ordered[:-1])  # a document like the one before
        if not len(starts):
            continue
        # the runs of equal hashes: where a run starts, and the positions it covers
        run_start = np.flatnonzero(np.diff(np.concatenate(([-2], starts))) > 1)
        for first, last in zip(
            starts[run_start], np.append(starts[run_start[1:] - 1], starts[-1]), strict=True
        ):
            members = order[first : last + 2].tolist()
            for position, index in enumerate(members[1:], start=1):
                earlier.setdefault(index, set()).update(members[:position])
    return earlier


@register
class NearDuplicateDocument(CorpusRule[NearStats]):
    """## What it flags
    A document that is nearly the same as another document of the run: the same
    article with a few words changed, a different byline, a correction. Similarity is
    the Jaccard similarity of the two documents' sets of word 3-grams (words case
    folded, punctuation ignored), estimated with MinHash (128 permutations) and found
    with locality-sensitive hashing (the `datasketch` library); documents from an
    estimated 0.8 are reported. As with D103, of each pair the document whose name
    sorts first is kept and the other reported, with the name of the nearest document
    before it and the estimated similarity. Exact copies are D103's, not D104's.
    Documents of fewer than ten words are left alone.

    Word 3-grams rather than the 5-grams of web-scale deduplication: documents here are
    often short (news items of a few hundred words), and a changed word breaks as many
    shingles as the shingles are long, so with 5-grams four changed words in 170 bring
    two copies below 0.8; with 3-grams it takes seven. Distinct articles on the same
    subject share phrases (`North Korean troops`) but stay far below 0.8 either way
    (below 0.3 in generated news that reuses sentence templates).

    Memory: the corpus pass keeps about 600 bytes a document (a signature of 128
    32-bit values, an 8-byte digest, and its name): 6 MB for 10,000 documents. The
    check pass finds the candidates once, by sorting a 64-bit hash of each of the 21
    bands of every signature, and keeps only the matches: while it lasts it holds the
    signatures side by side and a few columns of hashes, about 550 bytes a document
    (55 MB for 100,000 documents). For many millions of documents, run D104 on parts
    of the corpus (pairs across parts are then missed) or use a dedicated
    deduplication tool.

    ## Why it matters
    Near-duplicates weigh one text several times, as exact copies do, but escape
    exact deduplication; they leak between training and test splits and make models
    learn their text by heart.

    ## Example
    In a run where `b.txt` is `a.txt` with three words changed, `b.txt` is reported:
    `near-duplicate of a.txt (estimated similarity 0.89)`. No fix: which copy to keep,
    and whether the changes matter, is a decision about the corpus.
    """

    code = "D104"
    name = "near-duplicate-document"
    summary = "A document nearly the same as another (MinHash, word 3-grams)"

    def __init__(self, context: RuleContext | None = None) -> None:
        super().__init__(context)
        # the matches of the statistics last checked against, and their size then
        self._matches: tuple[NearStats, int, dict[str, NearMatch]] | None = None

    def collect(self, doc: Document) -> NearStats:
        digest = _digest(doc)
        values = signature(doc)
        if digest is None or values is None:
            return {}
        return {doc.label: Signed(digest, values)}

    def merge(self, first: NearStats, second: NearStats) -> NearStats:
        first.update(second)
        return first

    def dependency(self, shard: NearStats, stats: NearStats) -> Any:
        near = self._near(stats)
        return [(label, near.get(label)) for label in shard]

    def check(self, doc: Document, stats: NearStats) -> Iterator[Finding]:
        match = self._near(stats).get(doc.label)
        if match is None:
            return
        message = f"near-duplicate of {match.other} (estimated similarity {match.similarity:.2f})"
        if match.others:
            plural = "s" if match.others > 1 else ""
            message += f", and of {match.others} more document{plural} before it"
        yield self.finding(0, len(doc.text), message)

    def _near(self, stats: NearStats) -> dict[str, NearMatch]:
        """The matches of the whole corpus, computed once for the statistics."""
        if self._matches is None or self._matches[0] is not stats or self._matches[1] != len(stats):
            self._matches = (stats, len(stats), near_matches(stats))
        return self._matches[2]
