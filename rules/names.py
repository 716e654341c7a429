"""N: names and casing (spelling variants across the corpus, lower-cased proper nouns,
broken capitals, particle casing).

Names are read once per document (`name_runs`): runs of capitalised words, with name
particles (`von der Leyen`), as one regular expression finds them in C, counted.
What each distinct run stands for (its words, its name sequences) is worked out once
and memoised across documents. Counts are kept as written; `normal_name` takes off what
is not part of the name (a possessive, a word run into its end, a capitalised word that
only starts a sentence).
"""

from __future__ import annotations

import operator
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import accumulate, chain, combinations, compress, filterfalse, repeat
from typing import Any, ClassVar

from textmend.document import Document, Terms, terms_pattern
from textmend.kept import kept
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
from textmend.rules.lexicon import Lexicon, lexicon
from textmend.rules.word_boundaries import (
    EDGE_PUNCTUATION,
    NAME_PARTICLES,
    _in_prose,
    case_bytes,
    case_words,
    letter_bytes,
    strip_possessive,
    strip_run_together,
)
from textmend.rules.wordlists import word_list

PARTICLES = NAME_PARTICLES
_P = "|".join(PARTICLES)
_WORD = r"[A-Z][\w'’-]*"
# A name run: capitalised words, perhaps with particles between them (`Kim Jong Un`,
# `Ursula von der Leyen`, `Zelensky’s`), not in a hashtag or handle. In the patterns
# below the lookbehind follows the first capital rather than leading the pattern, so
# that `re` skips from capital to capital (two and a half times as fast), and the
# quantifiers are possessive: nothing after a word, a space or the particles could give
# back what they take. At most three particles in a row (`de la`, `van der`): a longer
# run is no name, and an unbounded one would make the patterns rescan it from every
# particle in it. (tests/rules/test_names.py holds the plain pattern they must match.)
_WORD_ON = r"[A-Z][\w'’-]*+"
_GAP_ON = rf"[ \t]++(?:(?:{_P})[ \t]++){{0,3}}+"
# a run for a text without particles: nothing to try after each word but a capital
PLAIN_NAME_RUN = re.compile(rf"[A-Z](?<![\w'’#@-].)[\w'’-]*+(?:[ \t]++{_WORD_ON})*+")
# the particles by their first letter, each with the rest of its letters after it
_PARTICLE_FIRSTS = "".join(sorted({p[0] for p in PARTICLES}))
_PARTICLE_RESTS = "|".join(
    f"(?<={first})(?:{'|'.join(p[1:] for p in PARTICLES if p[0] == first)})"
    for first in _PARTICLE_FIRSTS
)
# a run, or one led by particles (`von der Leyen`), for a text that has particles:
# `(?<!…)(?:particles){1,3}RUN|RUN` written so that it starts with one class of letters
# (a capital or a particle's first letter), which `re` skips to, the lookbehind after it
# as in PLAIN_NAME_RUN; what that letter was chooses the rest. (Written as the plain
# alternation, `re` tried both branches at every character: twice as slow.)
LED_NAME_RUN = re.compile(
    rf"[A-Z{_PARTICLE_FIRSTS}](?<![\w'’#@-].)"
    rf"(?:(?<=[A-Z])[\w'’-]*+|(?:{_PARTICLE_RESTS})[ \t]++(?:(?:{_P})[ \t]++){{0,2}}+{_WORD_ON})"
    rf"(?:{_GAP_ON}{_WORD_ON})*+"
)
PARTICLE_BYTES = frozenset(p.encode() for p in PARTICLES)
# a name with particles in any case (`Von der Leyen`), for N104: `(?<!…)(?:(?i:particles)
# [ \t]+){1,3}WORD`, written to start with the particles' first letters in any case, the
# lookbehind after them, as LED_NAME_RUN (half the time: `re` skips to those letters
# rather than trying the lookbehind at every character of the runs)
PARTICLE_PHRASE = re.compile(
    rf"(?i:[{_PARTICLE_FIRSTS}])(?<![\w'’-].)(?i:{_PARTICLE_RESTS})[ \t]+"
    rf"(?:(?i:{_P})[ \t]+){{0,2}}{_WORD}"
)
SENTENCE_START = re.compile(r"(?:^|[.!?:;…][\"”’')\]]*\s+|\n)[\"“‘'(\[]*$")
NOT_BEFORE_NAME = r"[\w'’-]"  # no letter, apostrophe or hyphen just before a name
DOTTED = re.compile(r"\.\w")  # what follows a word in a domain or file name: kyiv.gov.ua
MAX_NAME_WORDS = 3  # Kim Jong Un, Choe Son Hui, Ursula von der Leyen
MAX_NAME_LETTERS = 40  # a longer word is no name (Wolfeschlegelsteinhausenbergerdorff: 35)
MAX_PLACES = 3  # the documents listed for a name by `textmend names`


def name_runs(doc: Document) -> list[str]:
    """The runs of capitalised words of a document, as written, in order: found by one
    regular expression in C. What a run stands for (`run_forms`) is worked out once
    per distinct run, memoised across documents."""
    return doc.cached("name-runs", _name_runs)


def has_particles(doc: Document) -> bool:
    """Whether a document has a word that can be a name particle (`von`, `de`): most
    have none (asked by N101 and N104)."""
    return doc.cached("has-particles", lambda d: not PARTICLE_BYTES.isdisjoint(case_words(d)))


def _name_runs(doc: Document) -> list[str]:
    # particles before a name are rare: most documents take the quicker pattern
    pattern = LED_NAME_RUN if has_particles(doc) else PLAIN_NAME_RUN
    runs: list[str] = pattern.findall(doc.text)
    return runs


@lru_cache(maxsize=1 << 17)
def run_words(run: str) -> tuple[str, ...]:
    """The capitalised words of a run (`Choe`, `Son`, `Hui`; not the particles), without
    the punctuation at their edges (`‘Zelensky’` gives `Zelensky`)."""
    words = map(str.strip, run.split(), repeat(EDGE_PUNCTUATION))
    return tuple([word for word in words if word[:1].isupper()])  # (particles are not)


def _sequences(run: str) -> tuple[str, ...]:
    """The name sequences a run of several words stands for: the run itself, or, when
    it has more than MAX_NAME_WORDS capitalised words, a title before a name (`Foreign
    Minister Choe Son Hui`), its last two and three words; none for a single word."""
    words = run.split()
    if len(words) < 2:
        return ()
    if sum(map(str.isupper, map(operator.itemgetter(0), words))) <= MAX_NAME_WORDS:
        return (run,)
    return (" ".join(words[-2:]), " ".join(words[-3:]))


run_sequences = lru_cache(maxsize=1 << 17)(_sequences)


@lru_cache(maxsize=1 << 17)
def run_forms(run: str) -> tuple[str, ...]:
    """What a run counts for: its capitalised words and its name sequences (these not
    memoised apart: N101 asks for each run once, and each memo costs a look-up)."""
    return run_words(run) + _sequences(run)


# everything but letters, and the line breaks that separate names in `_fingerprints`
NOT_LETTERS = re.compile(r"[^\w\n]+|[\d_]+")
# the same for ASCII text, deleted by `bytes.translate` (a table lookup a byte, where the
# pattern tests each character's category)
ASCII_NOT_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha() and b != ord("\n"))


def _fingerprints(names: list[str]) -> list[str]:
    """OpenRefine's keys of names: case folded, accents folded, everything but letters
    removed. Worked out for all the names at once, one per line, in C (folding and
    decomposing a text is folding and decomposing each of its lines): the ASCII names
    (most of them: no accent to fold) by deleting bytes, the others by the pattern."""
    plain = list(map(str.isascii, names))
    keys = iter(_ascii_keys(list(compress(names, plain))))
    others = iter(_keys(list(compress(names, map(operator.not_, plain)))))
    return [next(keys) if ascii else next(others) for ascii in plain]


def _ascii_keys(names: list[str]) -> list[str]:
    if not names:
        return []  # (an empty text is one empty line)
    text = "\n".join(names).lower().encode()
    return text.translate(None, ASCII_NOT_LETTERS).decode().split("\n")


def _keys(names: list[str]) -> list[str]:
    if not names:
        return []
    text = unicodedata.normalize("NFKD", "\n".join(names).casefold())
    return NOT_LETTERS.sub("", text).split("\n")


def normal_name(raw: str, lex: Lexicon) -> str:
    """A name as counted: without a possessive, a word run into its end, or leading
    words that are capitalised only because they start a sentence (The, In, But)."""
    words = raw.split()
    while words and words[0].lower() in lex.grammar_words:
        words.pop(0)
    if not words:
        return ""
    words[-1] = _name_ending(lex.lang, words[-1])
    return " ".join(words)


@lru_cache(maxsize=1 << 17)
def _name_ending(lang: str, word: str) -> str:
    """The last word of a name without a possessive or a word run into its end
    (memoised apart from the names: one word ends many, `Hui` both `Hui` and `Choe Son
    Hui`)."""
    lex = lexicon(lang)
    assert lex is not None  # the callers have it
    return strip_run_together(strip_possessive(word), lex)


UNCOUNTED_RUNS = 1 << 16  # runs a corpus's tally holds before it counts them
UNCOUNTED_WORDS = 1 << 16  # words N102's statistics hold before they count them


@dataclass
class RunTally:
    """How often each run of capitalised words is written. A document's tally is its
    runs as found (`written`); a corpus's gathers its documents' runs in one list and
    counts them in batches: `Counter.update` counts a list in C, but each call pays a
    Python prelude that cost more, once per document, than the counting, and adding
    another Counter is a Python loop."""

    written: list[str] = field(default_factory=list)
    counts: Counter[str] | None = None  # (None for a document's: no Counter for each)

    def counted(self) -> Counter[str]:
        if self.counts is None:
            self.counts = Counter(self.written)
        elif self.written:
            self.counts.update(self.written)
        self.written = []  # (a document's list, shared with its cache: not cleared)
        return self.counts

    def distinct(self) -> set[str]:
        runs = set(self.written)
        return runs if self.counts is None else runs.union(self.counts)

    def add(self, other: RunTally) -> None:
        if self.counts is None:
            self.counted()  # (a corpus's from now on, with a list of its own)
        if other.counts:
            self.counted().update(other.counts)
        self.written += other.written
        if len(self.written) >= UNCOUNTED_RUNS:
            self.counted()


@dataclass
class NameStats:
    """How often each run of capitalised words is written, as written, and the first
    document that writes it, for N101 and `textmend names`.

    Documents only count; what a run means (`Choe Son Hui` counts for `Choe`, `Son`,
    `Hui` and `Choe Son Hui`; `Zelensky’s` is `Zelensky`; `Choe Son-huiwho` is
    `Choe Son-hui` run into `who`) is worked out once per run, over the distinct runs,
    by `names()`. Memory goes with the number of distinct runs, so each holds only a
    count and one document label."""

    runs: RunTally = field(default_factory=RunTally)
    # the first document that writes each run
    first: dict[str, str] = field(default_factory=dict)
    # the runs that more than one document writes
    several: set[str] = field(default_factory=set)
    # the document these statistics come from, while they are one document's
    label: str = ""

    @property
    def raw(self) -> Counter[str]:
        """How often each run is written."""
        return self.runs.counted()

    def settle(self) -> NameStats:
        """Turn one document's statistics into a corpus's: its label becomes the first
        document of each of its runs (done once, where they start accumulating)."""
        if self.label:
            self.first = dict.fromkeys(self.raw, self.label)
            self.label = ""
        return self

    def add(self, other: NameStats) -> NameStats:
        self.settle()
        runs = other.runs.distinct()  # the set operations iterate these few, not the corpus's
        self.runs.add(other.runs)
        new = runs.difference(self.first)  # (the one look-up of each in the corpus's runs)
        runs -= new  # those written before (in place: a look-up of each new one only)
        self.several |= runs
        self.several |= other.several
        if other.label:
            self.first.update(dict.fromkeys(new, other.label))
        else:
            self.first.update({run: other.first[run] for run in new})
        return self

    def names(self, lex: Lexicon) -> Names:
        """The names behind the runs (computed once, after the corpus pass)."""
        self.settle()
        names = Names()
        # plain dicts while counting: a Counter looks a new key up through a Python
        # method, and most names are new
        counts: dict[str, int] = {}
        leading: dict[str, int] = {}
        places, first, lang = names.places, self.first, lex.lang
        for run, count in self.raw.items():
            place = first[run]
            for form in run_forms(run):
                name, run_together, given = _form_name(lang, form)
                if len(name) < 3:
                    continue
                counts[name] = counts.get(name, 0) + count
                mine = places.get(name)
                if mine is None:
                    places[name] = [place]
                elif len(mine) < MAX_PLACES and place not in mine:
                    mine.append(place)
                if run_together:
                    names.raw_forms[form] = name
                    names.run_together[form] += count
                for word in given:
                    leading[word] = leading.get(word, 0) + count
        names.counts.update(counts)
        names.leading.update(leading)
        return names


@lru_cache(maxsize=1 << 17)
def _form_name(lang: str, form: str) -> tuple[str, bool, tuple[str, ...]]:
    """What one form of a run counts for (memoised: forms recur from run to run): its
    name, whether the form is that name run together with a word (`Choe Son-huiwho`),
    and the names of the capitalised words before its last (`Andrii` in `Andrii Sybiha`:
    a given name)."""
    name = _cached_normal_name(lang, form)
    run_together = form != name and form.startswith(name) and form[len(name) :].isalpha()
    before = form.split()[:-1]  # (none in most forms: a single word)
    given = (
        tuple([_cached_normal_name(lang, w) for w in before if w[0].isupper()]) if before else ()
    )
    return name, run_together, given


@dataclass
class Names:
    """The names of the corpus, from `NameStats.names`."""

    counts: Counter[str] = field(default_factory=Counter)
    places: dict[str, list[str]] = field(default_factory=dict)
    # the raw forms (`Choe Son-huiwho`) under which a name (`Choe Son-hui`) was counted
    raw_forms: dict[str, str] = field(default_factory=dict)
    # how often each raw form was written
    run_together: Counter[str] = field(default_factory=Counter)
    # how often each name of one word is written before another word of a name: a given
    # name (`Andrii` Sybiha)
    leading: Counter[str] = field(default_factory=Counter)


def collect_names(doc: Document) -> NameStats:
    return NameStats(RunTally(written=name_runs(doc)), label=doc.label)


@lru_cache(maxsize=1 << 17)
def _cached_normal_name(lang: str, raw: str) -> str:
    """`normal_name` memoised: names recur from one document to the next."""
    lex = lexicon(lang)
    assert lex is not None  # the callers have it
    return normal_name(raw, lex)


@dataclass(frozen=True)
class VariantGroup:
    canonical: str
    counts: dict[str, int]  # every spelling in the group, the canonical one included
    places: dict[str, list[str]]

    def to_json(self) -> dict[str, Any]:
        return {
            "canonical": self.canonical,
            "variants": [
                {"spelling": s, "count": n, "documents": self.places.get(s, [])}
                for s, n in sorted(self.counts.items(), key=lambda item: -item[1])
            ],
        }


def variant_groups(names: Names, lex: Lexicon, preferred: Iterable[str] = ()) -> list[VariantGroup]:
    """Spellings of one name, grouped by key collision and then by nearest neighbour.

    Key collision: the same letters once case, accents, spaces, hyphens and punctuation
    are set aside (`Choe Son Hui` / `Choe Son-hui`, `East Asia` / `East-Asia`). Nearest
    neighbour: one letter added, dropped or changed in a one-word name of six letters
    or more (`Zelensky` / `Zelenskyy`), found through an index of single deletions so
    that it stays linear; names of several words one word apart are other people
    (`Kim Jong Un` / `Kim Jong Il`), and so are two given names (`Andrii` / `Andrei`)
    and a feminine form (`Zelensky` / `Zelenska`). Two known words (`Korea` / `Korean`),
    plurals, possessives, spellings that differ only in case or in the hyphen of a title
    (`Secretary-General Rutte`), and phrases of common words only (`Secretary General`,
    a title) are never grouped. The canonical
    spelling is a preferred one from the configuration, else the most frequent (spaces
    before hyphens when the counts tie)."""
    # every name by key; whether a spelling names something is asked only of the keys
    # that could group (two spellings, or a neighbour), a few of the many
    counts = _unsplit(names)
    written: dict[str, dict[str, int]] = {}
    # only names of one word can be one letter apart from another spelling (see
    # `_one_name`): the index leaves out the names of several words, most of the keys,
    # and "words" longer than any name, for which it would grow with the square of
    # their length
    single: dict[str, None] = {}  # (a dict: the order of the keys, for the same output)
    for (name, count), key in zip(counts.items(), _fingerprints(list(counts)), strict=True):
        if len(key) >= 4:
            written.setdefault(key, {})[name] = count
            if " " not in name and len(key) <= MAX_NAME_LETTERS:
                single[key] = None
    named: dict[str, dict[str, int]] = {}

    def spellings(key: str) -> dict[str, int]:
        """The spellings of a key that name something (memoised)."""
        found = named.get(key)
        if found is None:
            found = named[key] = {n: c for n, c in written[key].items() if _names_something(n, lex)}
        return found

    def given(key: str) -> bool:
        """Whether a key is written only as a given name: one letter apart, two such
        keys are the names of two people (`Andrii` Sybiha, `Andrei` Belousov)."""
        return all(names.leading[name] >= counts[name] for name in spellings(key))

    # a name given back from a split (`Shmyhall`) is where the split name was
    places = {
        **{raw: names.places.get(n, []) for raw, n in names.raw_forms.items()},
        **names.places,
    }
    parent: dict[str, str] = {}  # the keys joined to another, each to the next towards its root

    def root(key: str) -> str:
        while key in parent:
            key = parent[key]
        return key

    for key, other in sorted(_one_letter_apart(list(single))):
        if not (spellings(key) and spellings(other)) or (given(key) and given(other)):
            continue
        if _one_name(key, other, named, places, lex) and root(other) != root(key):
            parent[root(other)] = root(key)
    joined = {*parent, *parent.values()}
    clusters: dict[str, list[str]] = {}
    for key in sorted(joined):
        clusters.setdefault(root(key), []).append(key)
    alone = [[key] for key, spelled in written.items() if len(spelled) > 1 and key not in joined]

    preferred = set(preferred)
    groups = []
    for keys in [*alone, *clusters.values()]:
        grouped = _spellings(keys, {key: spellings(key) for key in keys}, lex)
        if len(grouped) < 2:
            continue
        canonical = _canonical(grouped, preferred)
        seen = {s: names.places.get(s, []) for s in grouped}
        groups.append(VariantGroup(canonical, grouped, seen))
    return sorted(_without_tails(groups), key=lambda g: (-sum(g.counts.values()), g.canonical))


def _one_letter_apart(keys: list[str]) -> set[tuple[str, str]]:
    """The pairs of keys one letter apart, the longer of six letters or more, through
    their single deletions (each letter left out in turn): a key that is the deletion
    of another, and two keys that share one. The deletions are counted, matched against
    the keys and picked out in C; only the few that match are looked at in turn."""
    long = [key for key in keys if len(key) >= 6]
    # each key less each of its letters in turn, joined in C from its combinations of
    # all its letters but one (twice as fast as slicing it at each letter)
    less_one = (combinations(key, len(key) - 1) for key in long)
    deletions = list(map("".join, chain.from_iterable(less_one)))
    owners = [key for key in long for _ in key]
    known = set(keys)
    counted = Counter(deletions)
    wanted = known.intersection(counted)
    wanted.update(deletion for deletion, n in counted.items() if n > 1)
    matching = list(map(wanted.__contains__, deletions))
    by_deletion: dict[str, list[str]] = {}
    for deletion, owner in zip(
        compress(deletions, matching), compress(owners, matching), strict=True
    ):
        by_deletion.setdefault(deletion, []).append(owner)
    pairs: set[tuple[str, str]] = set()
    for deletion, sharing in by_deletion.items():
        if deletion in known:
            pairs.update((deletion, owner) for owner in sharing)
        pairs.update((a, b) for a, b in combinations(sharing, 2) if a != b)
    return pairs


def _without_tails(groups: list[VariantGroup]) -> list[VariantGroup]:
    """Groups less the ones that only repeat the end of a longer name's group (`Son Hui`
    / `Son-hui` beside `Choe Son Hui` / `Choe Son-hui`): each of whose spellings is
    written only as the end of longer grouped spellings. A name also written on its
    own (`Zurich` beside the headline's `Inside Zurich`) keeps its group.

    Each spelling's tails are looked up, not compared with every other spelling: a large
    corpus has hundreds of groups, and comparing each with all the others took 0.2-0.4
    s at 100 MB (462 groups; 0.002-0.004 s now), growing with the square of its names."""
    counts = {s: n for g in groups for s, n in g.counts.items()}
    tails = {spelling: _tails(spelling) for spelling in counts}
    inside: dict[str, int] = {}  # how often each spelling is written as the end of another
    for spelling, count in counts.items():
        for tail in tails[spelling]:
            inside[tail] = inside.get(tail, 0) + count
    kept = [g for g in groups if not all(counts[s] <= inside.get(s, 0) for s in g.counts)]
    owners: dict[str, list[int]] = {}  # the kept groups of each spelling, by their place
    for place, group in enumerate(kept):
        for spelling in group.counts:
            owners.setdefault(spelling, []).append(place)
    return [
        group
        for place, group in enumerate(kept)
        if not _repeats_a_shorter_group(place, group, owners, tails)
    ]


def _tails(spelling: str) -> list[str]:
    """What follows each space of a spelling, the longest first (`Son Hui` and `Hui` of
    `Choe Son Hui`): the spellings it ends with after a space."""
    words = spelling.split(" ")
    return [" ".join(words[start:]) for start in range(1, len(words))]


def _repeats_a_shorter_group(
    place: int, group: VariantGroup, owners: dict[str, list[int]], tails: dict[str, list[str]]
) -> bool:
    """Whether a group's spellings are one set of leading words before the spellings of
    another group (`Inside Zürich` / `Inside Zurich` beside `Zürich` / `Zurich`): that
    group's findings already cover them, and the two might choose different canonical
    spellings. `owners` has the places of the groups that write each spelling, and
    `tails` each spelling's tails; the group is at `place`."""
    heads: dict[int, list[str]] = {}  # per other group, what comes before its spellings
    for spelling in group.counts:
        longest: dict[int, str] = {}  # per other group, the longest of its that ends this
        for tail in tails[spelling]:
            for other in owners.get(tail, ()):
                if other != place:
                    longest.setdefault(other, tail)
        for other, tail in longest.items():
            heads.setdefault(other, []).append(spelling[: -len(tail) - 1])
    size = len(group.counts)
    return any(len(found) == size and len(set(found)) == 1 for found in heads.values())


def _unsplit(names: Names) -> Counter[str]:
    """The counts, with a raw form taken for a run-together name (`Shmyh` + `all`) given
    back to itself when the corpus writes a longer name that it starts with: `Shmyhall`
    is `Shmyhal` with a letter added."""
    counts = names.counts.copy()
    given_back = set()
    for raw, count in names.run_together.items():
        name = names.raw_forms[raw]
        if any(names.counts[raw[:end]] for end in range(len(name) + 1, len(raw))):
            counts[name] -= count
            counts[raw] += count
            given_back.add(name)
    for name in given_back:
        if counts[name] <= 0:
            del counts[name]  # (only ever counted in the raw forms given back)
    return counts


def _names_something(name: str, lex: Lexicon) -> bool:
    """Whether a capitalised phrase is a name: one of its words at least is no common
    word (`East Asia`, `Zelensky`; not the title `Secretary General`)."""
    return any(lex.name_like(word.lower()) for word in re.split(r"[ -]", name))


def _spellings(
    keys: list[str], by_key: Mapping[str, Mapping[str, int]], lex: Lexicon
) -> dict[str, int]:
    """A cluster's spellings: within each case-insensitive spelling, its counts go to its
    most frequent casing (and apostrophe: ’ and ' are punctuation's business; so is the
    hyphen of a title before the name, `Secretary-General Rutte`)."""
    folded: dict[str, Counter[str]] = {}
    for key in keys:
        for name, count in by_key[key].items():
            spelling = _title_unhyphenated(name, lex).casefold().replace("’", "'")
            folded.setdefault(spelling, Counter())[name] += count
    return {casings.most_common(1)[0][0]: sum(casings.values()) for casings in folded.values()}


def _title_unhyphenated(name: str, lex: Lexicon) -> str:
    """A name with the hyphens of the common words before it (a title) made spaces:
    `Secretary-General Rutte` is `Secretary General Rutte`, `East-Asia` stays."""
    words = name.split(" ")
    for i, word in enumerate(words):
        parts = word.split("-")
        if any(lex.name_like(part.lower()) for part in parts):
            break
        words[i] = " ".join(parts)
    return " ".join(words)


def _canonical(spellings: Mapping[str, int], preferred: set[str]) -> str:
    chosen = [s for s in spellings if s in preferred]
    if chosen:
        return chosen[0]
    return min(spellings, key=lambda s: (-spellings[s], s.count("-"), s))


# Korea / Koreas, Russia / Russian, Israel / Israeli; and a feminine form, another
# person: Lavrov / Lavrova
INFLECTIONS = ("s", "es", "n", "an", "ian", "i", "is", "ns", "a")
# a last letter that changes to `a` in the feminine: Zelensky / Zelenska, Kowalski /
# Kowalska, Francesco / Francesca
FEMININE_ENDINGS = ({"y", "a"}, {"i", "a"}, {"o", "a"})


def _one_name(
    key: str,
    other: str,
    by_key: Mapping[str, Mapping[str, int]],
    places: Mapping[str, list[str]],
    lex: Lexicon,
) -> bool:
    """Whether two keys one letter apart are spellings of one name."""
    if any(" " in name for k in (key, other) for name in by_key[k]):
        return False  # names of several words: one word apart is another person
    shorter, longer = sorted((key, other), key=len)
    if longer.startswith(shorter) and longer[len(shorter) :] in INFLECTIONS:
        return False  # Korea / Koreas, Russia / Russian, Lavrov / Lavrova
    if (
        len(key) == len(other)
        and key[:-1] == other[:-1]
        and {key[-1], other[-1]} in FEMININE_ENDINGS
    ):
        return False  # Zelensky / Zelenska: husband and wife
    zipfs = [max(lex.zipf(n) for n in by_key[k]) for k in (key, other)]
    if min(zipfs) >= 2.0:
        return False  # two real words (Austin / Austen) are two names
    # one letter apart by chance is common among rare names: a variant needs the lexicon
    # to know the main spelling and not the other (Zelensky / Zelenskyy), or the corpus
    # to write one spelling far more often than the other
    counts = [sum(by_key[k].values()) for k in (key, other)]
    major, minor = (0, 1) if counts[0] >= counts[1] else (1, 0)
    lexicon_says = zipfs[major] > 0 and zipfs[minor] == 0
    corpus_says = counts[major] >= max(5, 3 * counts[minor])
    # or one document writes both (different people one letter apart seldom meet)
    documents = [{p for n in by_key[k] for p in places.get(n, ())} for k in (key, other)]
    return lexicon_says or corpus_says or bool(documents[0] & documents[1])


class NameRule(CorpusRule[NameStats]):
    """The shared corpus pass of N101: every name, counted as written."""

    def collect(self, doc: Document) -> NameStats:
        return collect_names(doc)

    def merge(self, first: NameStats, second: NameStats) -> NameStats:
        return first.add(second)


@dataclass
class _Variants:
    """N101's view of the merged statistics, computed once per run."""

    # spelling -> its canonical spelling, its count and the canonical one's
    replacements: dict[str, tuple[str, int, int]]
    # the forms run together with a word (`Choe Son-huiwho`) -> the name they start with
    run_together: dict[str, str]
    pattern: Terms | None
    # the documents that write a variant, when the corpus pass knows them all
    documents: set[str] | None

    @cached_property
    def reads(self) -> tuple[dict[str, tuple[str, int, int]], dict[str, str]]:
        """What the check of any document reads (the documents only spare reading);
        one object for one view, as the cache wants it."""
        return self.replacements, self.run_together


def _runs_holding(terms: Terms, runs: list[str]) -> set[str]:
    """The runs in which one of the terms occurs: one search of them all, a run a
    line, in C, rather than one search a run."""
    ends = list(accumulate(len(run) + 1 for run in runs))  # where each run's line ends
    return {runs[bisect_right(ends, m.start())] for m in terms.finditer("\n".join(runs))}


@register
class NameVariant(NameRule):
    """## What it flags
    A name spelled one way here and another way elsewhere in the corpus: `Zelenskyy`
    where most documents write `Zelensky`, `Choe Son-hui` where another writes
    `Choe Son Hui`, `East-Asia` two lines before `East Asia`. Spellings are grouped by
    key collision (the same letters once case, accents, spaces and hyphens are set
    aside) and by nearest neighbour (one letter apart, in names of six letters or
    more). Distinct names stay apart: `Kim Jong Un` and `Kim Yong-hyun`, `Austria` and
    `Austin`, `Korea` and `Korean`, `Zelensky` and `Zelenska`; a possessive
    (`Zelensky’s`) is the same name. Names in URLs, e-mail addresses, hashtags and
    handles are left as written.

    The canonical spelling is the first of the group listed in the `names.canonical`
    option, else the most frequent. `textmend names PATH` lists the groups.

    ## Why it matters
    Search, entity linking and deduplication treat each spelling as a different
    entity: the documents about `Zelenskyy` are not found under `Zelensky`.

    ## Example
    ```
    President Volodymyr Zelenskyy accused North Korea ...
    ```
    in a corpus that writes `Zelensky` 17 times is reported as
    `'Zelenskyy' (3×) is spelled 'Zelensky' (17×) elsewhere in the corpus`.
    Fix (unsafe: choosing a spelling is an editorial decision): `Zelensky`.
    """

    code = "N101"
    name = "name-variant"
    summary = "One name spelled several ways across the corpus (Zelensky / Zelenskyy)"
    fix_availability = FixAvailability.UNSAFE
    options: ClassVar[Mapping[str, Any]] = {"canonical": []}

    def __init__(self, context: RuleContext | None = None) -> None:
        super().__init__(context)
        self._variants: tuple[NameStats, _Variants] | None = None

    def variants(self, stats: NameStats, lex: Lexicon) -> _Variants:
        """The variant spellings of the merged statistics (computed once per run)."""
        if self._variants is None or self._variants[0] is not stats:
            replacements: dict[str, tuple[str, int, int]] = {}
            names = stats.names(lex)
            for group in variant_groups(names, lex, self.settings["canonical"]):
                total = group.counts[group.canonical]
                for spelling, count in group.counts.items():
                    if spelling != group.canonical:
                        replacements[spelling] = (group.canonical, count, total)
            run_together = {
                raw: name for raw, name in names.raw_forms.items() if name in replacements
            }
            pattern = terms_pattern({*replacements, *run_together}, NOT_BEFORE_NAME, r"(?![\w-])")
            # the runs where the check would find a variant: a run holds every name the
            # text around it does
            runs = _runs_holding(pattern, list(stats.raw)) if pattern else set()
            documents: set[str] | None = {stats.first[run] for run in runs}
            if any(run in stats.several for run in runs):
                documents = None  # a variant that several documents write: read them all
            self._variants = (
                stats,
                _Variants(replacements, run_together, pattern, documents),
            )
        return self._variants[1]

    def dependency(self, shard: NameStats, stats: NameStats) -> Any:
        lex = lexicon(self.context.lang)
        return None if lex is None else self.variants(stats, lex).reads

    def check(self, doc: Document, stats: NameStats) -> Iterator[Finding]:
        lex = lexicon(self.context.lang)
        if lex is None:
            return
        variants = self.variants(stats, lex)
        if variants.pattern is None:
            return
        if variants.documents is not None and doc.read_outside(variants.documents):
            return  # no variant here: the corpus pass knows every document that has one
        for match in variants.pattern.finditer(doc.text):
            name = variants.run_together.get(match.group(), match.group())
            canonical, count, total = variants.replacements[name]
            start, end = match.start(), match.start() + len(name)
            if not _in_prose(doc.text, start, end) or DOTTED.match(doc.text, match.end()):
                continue  # a URL, an address, a hashtag or handle, a file or domain name
            yield self.finding(
                start,
                end,
                f"'{name}' ({count}×) is spelled '{canonical}' ({total}×) elsewhere in the corpus",
                Fix.unsafe(f"Write '{canonical}'", Edit(start, end, canonical)),
            )


@kept()
def _plain_bytes(lang: str) -> frozenset[bytes]:
    """The common and function words, which are no name: N102 need not look them up.
    A possessive is left out (a name's, `kyiv's`, could be listed): a chunk is passed
    over only when what it names is passed over whichever way it is written."""
    lex = lexicon(lang)
    if lex is None:
        return frozenset()
    words = (*lex.plain, *lex.function_words)
    return frozenset(w.encode() for w in words if strip_possessive(w) == w)


@dataclass
class ProperStats:
    """N102's corpus statistics: how often each run of capitalised words is written
    (what the runs hold, `_proper_parts`, is worked out once per distinct run) and how
    often each name-like word is written in lower case.

    The words are counted a batch of documents at a time (`count`): the distinct words
    of a batch are looked up in the lexicon at once, in C, where looking each
    document's words up in it was a fifth of the N rules' time."""

    lang: str
    runs: RunTally = field(default_factory=RunTally)
    # name-like word -> how often it is written in lower case (also `kyiv’s`), for the
    # words counted so far; a word only ever quoted (`“kyiv”`) has 0
    lower: dict[str, int] = field(default_factory=dict)
    # the words of the documents not counted yet, as `case_words` gives them
    words: list[bytes] = field(default_factory=list)
    # and the same documents' `case_bytes`, in which the few name-like words are counted
    texts: list[bytes] = field(default_factory=list)

    def add(self, other: ProperStats) -> None:
        """These statistics, then the other's (which are left as they are)."""
        if self.runs.counts is None:
            # a document's, from now on a corpus's: its words are the document's list,
            # shared with the document's cache, and are copied here, once, not extended
            self.words = [*self.words]
        self.runs.add(other.runs)
        lower = self.lower
        for word, count in other.lower.items():  # (none for a document)
            lower[word] = lower.get(word, 0) + count
        self.words += other.words
        self.texts += other.texts
        if len(self.words) >= UNCOUNTED_WORDS:
            self.count()

    def count(self) -> ProperStats:
        """Count the words not counted yet: the chunks written in lower case that are
        no common word, as name-like words (`kyiv’s` and `“kyiv”` are `kyiv`), each
        with how often it is written as a word of its own or a possessive."""
        words, self.words = self.words, []
        texts, self.texts = self.texts, []
        rare = set(words).difference(_plain_bytes(self.lang))
        # the chunks that may be a lower-case word: with a lower-case ASCII letter and no
        # capital one, or with a letter beyond ASCII (`київ`). Every way a word is counted
        # (`kyiv`, `kyiv’s`, `kyiv's`) passes or fails alike, so that a batch that counts
        # a word names it, whatever else the batch holds: the counts do not depend on
        # where the batches fall (`--jobs`)
        cased = {*filter(bytes.islower, rare), *filterfalse(bytes.isascii, rare)}
        named = set(map(_name_like_chunk, repeat(self.lang), cased))
        named.discard("")
        if named:
            # only these few are counted (counting every word cost twice as much), in
            # the documents' text by `bytes.find`: picking them out of the words one by
            # one cost four times as many instructions (callgrind)
            text = b"".join(texts)
            lower = self.lower
            for word in named:
                times = _lower_times(text, word.encode("utf-8", "surrogatepass"))
                lower[word] = lower.get(word, 0) + times
        return self

    def __getstate__(self) -> dict[str, Any]:
        # pickled (a worker's shard, the cache's) with its words counted: a few counts
        # go to the parent process, not every word
        return self.count().__dict__


# what ends a word written alone or with a possessive in `case_bytes`: the space after it
LOWER_ENDINGS = (b" ", "’s ".encode(), b"'s ")


def _lower_times(text: bytes, word: bytes) -> int:
    """How often a text of words between spaces (`case_bytes`) holds a word alone or
    with a possessive (`kyiv`, `kyiv’s`): what follows each place where a word starts
    with it decides."""
    start = b" " + word
    times = 0
    at = text.find(start)
    while at >= 0:
        at += len(start)
        times += text.startswith(LOWER_ENDINGS, at)
        at = text.find(start, at)
    return times


CAPITALISED, UPPER, PHRASE = 0, 1, 2  # ProperStats' counters, in `_proper_parts`


@lru_cache(maxsize=1 << 17)
def _proper_parts(lang: str, run: str) -> tuple[tuple[int, str], ...]:
    """What N102 counts of a run of capitalised words: each name-like word written
    capitalised (`Kyiv’s` counts for `kyiv`) or in capitals (`NATO`), and each name of
    several words that holds one (`East Asia`)."""
    lex = lexicon(lang)
    assert lex is not None  # the callers have it
    parts: list[tuple[int, str]] = []
    for word in run_words(run):
        base = strip_possessive(word)
        if lex.name_like(base.lower()):
            if base[1:].islower():
                parts.append((CAPITALISED, base.lower()))
            elif base.isupper():
                parts.append((UPPER, base.lower()))
    for sequence in run_sequences(run):
        normal = _cached_normal_name(lang, sequence)
        if " " in normal and any(lex.name_like(w.lower()) for w in normal.split()):
            parts.append((PHRASE, normal))
    return tuple(parts)


@lru_cache(maxsize=1 << 17)
def _name_like_chunk(lang: str, chunk: bytes) -> str:
    """The name-like word of a chunk written in lower case (`kyiv’s` gives `kyiv`;
    `Київ’s` gives '', its capital is not ASCII), or ''."""
    lex = lexicon(lang)
    assert lex is not None  # the callers have it
    word = strip_possessive(chunk.decode("utf-8", "surrogatepass").strip(EDGE_PUNCTUATION))
    return word if word.islower() and lex.name_like(word) else ""


def _as_named(word: str, named: Counter[tuple[int, str]]) -> str:
    """A lower-cased word as the corpus writes it as a name: in capitals if it does so
    more often than capitalised (`NATO`), else capitalised."""
    return word.upper() if named[UPPER, word] > named[CAPITALISED, word] else word.title()


@dataclass
class _Lowercased:
    words: dict[str, str]  # lower-cased word -> how the corpus writes it
    phrases: dict[str, str]  # lower-cased name of several words -> as written
    pattern: Terms | None

    @cached_property
    def reads(self) -> tuple[dict[str, str], dict[str, str]]:
        """What the check of any document reads (the pattern is made of the words); one
        object for one view, as the cache wants it."""
        return self.words, self.phrases


@register
class LowercasedProperNoun(CorpusRule[ProperStats]):
    """## What it flags
    A proper noun written in lower case: `kyiv’s`, `the ukrainian war`, `donald trump`,
    `the east asia`. A word qualifies when it is not a common English word (the
    lemminflect lexicon does not know it: `march`, `turkey` and `bill` never qualify)
    and either the corpus writes it capitalised at least twice as often as in lower
    case, or it is a country, people, language, place or given name from the built-in
    list (`rules/data/proper-nouns.en.txt`). A lower-case word next to it that belongs
    to a name of several words the corpus uses (`east` in `East Asia`) is capitalised
    with it. Words in URLs, e-mail addresses, hashtags and handles are left alone.

    ## Why it matters
    Machine translation and careless editing lower-case names; search, named-entity
    recognition and the statistics of a corpus then see two words where there is one.

    ## Example
    ```
    the discontent in the army by kyiv’s imprecision, and the ukrainian war
    ```
    Fix (safe): `the discontent in the army by Kyiv’s imprecision, and the Ukrainian war`.
    """

    code = "N102"
    name = "lowercased-proper-noun"
    summary = "A proper noun written in lower case (kyiv, the ukrainian war)"
    fix_availability = FixAvailability.SAFE

    def __init__(self, context: RuleContext | None = None) -> None:
        super().__init__(context)
        self._view: tuple[ProperStats, _Lowercased] | None = None

    def collect(self, doc: Document) -> ProperStats:
        lang = self.context.lang
        if lexicon(lang) is None:
            return ProperStats(lang)
        runs = RunTally(written=name_runs(doc))
        return ProperStats(lang, runs, words=case_words(doc), texts=[case_bytes(doc)])

    def merge(self, first: ProperStats, second: ProperStats) -> ProperStats:
        first.add(second)
        return first

    def view(self, stats: ProperStats, lex: Lexicon) -> _Lowercased:
        """The words to capitalise, from the merged statistics (once per run)."""
        if self._view is None or self._view[0] is not stats:
            listed = word_list(lex.lang, "proper-nouns")
            # what the runs that hold a word written in lower case somewhere hold (the
            # others hold nothing to capitalise), counted over the distinct runs
            lower = stats.count().lower
            named: Counter[tuple[int, str]] = Counter()
            for run, count in stats.runs.counted().items():
                if any(strip_possessive(word).lower() in lower for word in run_words(run)):
                    for part in _proper_parts(lex.lang, run):
                        named[part] += count
            words = {
                word: _as_named(word, named)
                for word, lower in stats.lower.items()
                if word in listed or named[CAPITALISED, word] >= max(2, 2 * lower)
            }
            # the most frequent casing of each name last, so that it wins
            written = [(name, n) for (which, name), n in named.items() if which == PHRASE]
            written.sort(key=lambda item: item[1])
            phrases = {name.lower(): name for name, _ in written}
            # not in a handle, hashtag, path or domain name (kyiv.gov.ua)
            pattern = terms_pattern(words, r"[\w'’#@/.-]", r"(?![\w-]|\.\w)")
            self._view = (stats, _Lowercased(words, phrases, pattern))
        return self._view[1]

    def dependency(self, shard: ProperStats, stats: ProperStats) -> Any:
        # the words to capitalise, not the counts behind them: an edit that changes no
        # word's verdict (nearly any) leaves every other document's findings as they were
        lex = lexicon(self.context.lang)
        return None if lex is None else self.view(stats, lex).reads

    def check(self, doc: Document, stats: ProperStats) -> Iterator[Finding]:
        lex = lexicon(self.context.lang)
        if lex is None:
            return
        view = self.view(stats, lex)
        if view.pattern is None:
            return
        text = doc.text
        reported = 0  # the end of the last finding
        for match in view.pattern.finditer(text):
            start, end = match.span()
            if not _in_prose(text, start, end):
                continue
            start, end, written = _widen_to_phrase(text, start, end, view)
            if start < reported:
                continue  # both words of a name qualify (`verkhovna rada`): one finding
            reported = end
            yield self.finding(
                start,
                end,
                f"'{text[start:end]}' is a proper noun: '{written}'",
                Fix.safe(f"Capitalise: '{written}'", Edit(start, end, written)),
            )


PREVIOUS_WORD = re.compile(r"([a-z]+) $")
NEXT_WORD = re.compile(r" ([a-z]+)")


def _widen_to_phrase(text: str, start: int, end: int, view: _Lowercased) -> tuple[int, int, str]:
    """The span and capitalised form of a lower-cased word, with the lower-case word
    beside it when together they are a name the corpus writes (`east asia`)."""
    word = text[start:end]
    before = PREVIOUS_WORD.search(text, max(0, start - 30), start)
    if before and f"{before.group(1)} {word}" in view.phrases:
        return before.start(1), end, view.phrases[f"{before.group(1)} {word}"]
    after = NEXT_WORD.match(text, end)
    if after and f"{word} {after.group(1)}" in view.phrases:
        return start, after.end(1), view.phrases[f"{word} {after.group(1)}"]
    return start, end, view.words[word]


# a run of two capitals and then lower case: SErgei, NAto (not NATOless, MBps, iPhone)
# (the lookbehind follows the first capital, so that `re` skips from capital to capital)
BROKEN_CAPITALS = re.compile(r"[A-Z](?<![\w'’-][A-Z])[A-Z][a-z]{2,}(?![\w'’-])")
# the shape of each byte of a text: A for a capital, a for a lower-case ASCII letter,
# space for the rest; a text whose shapes do not hold AAaa has no broken capitals (a
# test in C, twice as fast as the pattern, which then reads only the few that do)
LETTER_SHAPES = bytes(
    ord("A") if 65 <= b <= 90 else ord("a") if 97 <= b <= 122 else ord(" ") for b in range(256)
)
# AAaa among the shapes, searched by `re`, which skips from one A to the next: twice as
# fast as `in`, which tries nearly every byte (the needle ends with the commonest shape)
BROKEN_SHAPE = re.compile(rb"AAaa")


@register
class BrokenCapitals(DocumentRule):
    """## What it flags
    A word whose second letter is a stray capital: `SErgei`, `NAto`, `UKraine`. The fix
    takes the casing the document uses for the same word elsewhere (`NATO`), else
    the ordinary capitalised form when the lexicon knows the word (`Sergei`). Real
    mixed-case names (`McDonald`, `iPhone`, `DeSantis`), codes (`KF-21`) and units
    (`MBps`) do not have this shape and are left alone, as is a form the document
    writes more than once.

    ## Why it matters
    A held Shift key or a broken conversion leaves words that match nothing: `SErgei`
    is neither `Sergei` nor an acronym for search and entity linking.

    ## Example
    ```
    his Russian counterpart, SErgei Lavrov
    ```
    Fix (safe): `his Russian counterpart, Sergei Lavrov`.
    """

    code = "N103"
    name = "broken-capitals"
    summary = "A stray capital inside a word (SErgei, NAto)"
    fix_availability = FixAvailability.SAFE

    def check(self, doc: Document) -> Iterator[Finding]:
        if not BROKEN_SHAPE.search(letter_bytes(doc).translate(LETTER_SHAPES)):
            return
        lex = lexicon(self.context.lang)
        text = doc.text
        for match in BROKEN_CAPITALS.finditer(text):
            word = match.group()
            pattern = r"(?<![\w'’-])" + re.escape(word) + r"(?![\w'’-])"
            same = re.findall(pattern, text, re.IGNORECASE)
            if same.count(word) > 1:
                continue  # written so more than once: a name's own casing
            others = Counter(w for w in same if w != word)
            if others:
                fixed = others.most_common(1)[0][0]
            elif lex is not None and len(word) >= 5 and lex.zipf(word) >= 2.5:
                fixed = word.capitalize()
            else:
                continue
            yield self.finding(
                match.start(),
                match.end(),
                f"'{word}' has a stray capital: '{fixed}'",
                Fix.safe(f"Write '{fixed}'", Edit(match.start(), match.end(), fixed)),
            )


# a document's phrases when it has no particle: one empty Counter for all of them (making
# one costs a Python call a document), never added to
NO_PHRASES: Counter[str] = Counter()


@register
class ParticleCasing(CorpusRule[Counter[str]]):
    """## What it flags
    A name particle capitalised in mid-sentence (`nor Von der Leyen say`) where the
    corpus writes the name with a lower-case particle (`von der Leyen`) at least as
    often. At the start of a sentence the capital is right and is left alone.

    ## Why it matters
    `Von der Leyen` and `von der Leyen` are one person; search, deduplication and
    style checks treat them as two spellings.

    ## Example
    ```
    What neither Zelensky nor Von der Leyen say is ...
    ```
    Fix (safe): `What neither Zelensky nor von der Leyen say is ...`.
    """

    code = "N104"
    name = "particle-casing"
    summary = "A capitalised name particle mid-sentence (Von der Leyen)"
    fix_availability = FixAvailability.SAFE

    def __init__(self, context: RuleContext | None = None) -> None:
        super().__init__(context)
        self._view: tuple[Counter[str], Terms | None] | None = None

    def collect(self, doc: Document) -> Counter[str]:
        lex = lexicon(self.context.lang)
        if lex is None or not has_particles(doc):
            return NO_PHRASES  # no name particle at all: nearly every document
        # the phrases of all runs, found in one search of them joined by line breaks
        # (which nothing in a phrase crosses), each as counted memoised
        phrases = PARTICLE_PHRASE.findall("\n".join(name_runs(doc)))
        return Counter(map(_particle_phrase, repeat(lex.lang), phrases))

    def merge(self, first: Counter[str], second: Counter[str]) -> Counter[str]:
        if not second:  # (nearly every document's is empty)
            return first
        if first is NO_PHRASES:
            return Counter(second)  # (NO_PHRASES is never added to, nor is `second`)
        first.update(second)
        return first

    def pattern(self, stats: Counter[str]) -> Terms | None:
        """The capitalised-particle forms that the corpus writes lower-case more often."""
        if self._view is None or self._view[0] is not stats:
            capitalised = [
                phrase
                for phrase, count in stats.items()
                if phrase[0].isupper() and stats[_lower_particles(phrase)] >= count
            ]
            pattern = terms_pattern(capitalised, NOT_BEFORE_NAME, "")
            self._view = (stats, pattern)
        return self._view[1]

    def check(self, doc: Document, stats: Counter[str]) -> Iterator[Finding]:
        pattern = self.pattern(stats)
        if pattern is None:
            return
        text = doc.text
        for match in pattern.finditer(text):
            start = match.start()
            if SENTENCE_START.search(text, max(0, start - 8), start):
                continue  # a sentence starts with it: the capital is right
            phrase = match.group()
            fixed = _lower_particles(phrase)
            yield self.finding(
                start,
                match.end(),
                f"'{phrase}' mid-sentence: the corpus writes '{fixed}'",
                Fix.safe(f"Write '{fixed}'", Edit(start, match.end(), fixed)),
            )


@lru_cache(maxsize=1 << 16)
def _particle_phrase(lang: str, phrase: str) -> str:
    """A name with a particle as N104 counts it: `Von der Leyen’s` as `Von der Leyen`."""
    words = phrase.split()
    words[-1] = _name_ending(lang, words[-1])
    return " ".join(words)


def _lower_particles(phrase: str) -> str:
    words = phrase.split()
    return " ".join(w.lower() if w.lower() in PARTICLES else w for w in words)
