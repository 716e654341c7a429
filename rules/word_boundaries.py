"""W: word boundaries (run-together words, broken hyphenation, split words)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from textmend.document import Document
from textmend.rule import (
    CorpusRule,
    Edit,
    Finding,
    Fix,
    FixAvailability,
    register,
)
from textmend.rules.lexicon import Lexicon, lexicon
from textmend.rules.wordlists import word_list

# a word: letters, with inner hyphens and apostrophes (Kosiniak-Kamysz, Zelensky’s)
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
POSSESSIVE = re.compile(r"['’]s$")
# what makes a token part of something that is not prose: a URL, an address, a
# hashtag or handle, a code with digits (B737MAX, KF-21)
NOT_PROSE = re.compile(r"://|www\.|@|^#|\d|_|/")
# the name a run-together token ends, when it follows a comma: an appositive that the
# dropped comma would have closed (", Lloyd Austin" + "he stated")
OPEN_APPOSITIVE = re.compile(
    r",\s+(?:(?:[A-Z][\w'’.-]*|von|der|van|den|de|da|di|del|la|le|al|bin|ibn)\s+)*$"
)
# a relative clause opened earlier in the sentence and not closed by a comma yet
OPEN_RELATIVE = re.compile(r"(?:which|who)\s[^,.;:!?]*$")
SENTENCE_WINDOW = 200


@dataclass(frozen=True)
class Split:
    left: str
    right: str
    score: float


def _rare_tokens(doc: Document, lex: Lexicon) -> Counter[str]:
    """Occurrences of the tokens the lexicon hardly knows: names, codes, run-togethers."""
    counts = Counter(POSSESSIVE.sub("", w) for w in WORD.findall(doc.text))
    return Counter({w: n for w, n in counts.items() if not lex.knows(w, at_least=3.0)})


def _name_shaped(word: str) -> bool:
    """A hyphenated name: Kosiniak-Kamysz, Son-hui, Yong-hyun."""
    parts = word.split("-")
    return len(parts) > 1 and word[0].isupper() and all(p.isalpha() for p in parts)


@register
class RunTogetherWord(CorpusRule[Counter[str]]):
    """## What it flags
    A word that the lexicon does not know and that is a known word or name run
    together with the next word, the space (and often a comma) dropped by scraping or
    machine translation: `Koreawhich`, `Lloyd Austinhe`, `NATOless`,
    `Kim Yong-hyunthat`, `conflictafter`.

    The evidence is the lexicon of the corpus language (wordfreq), the corpus itself (a
    name seen standing alone elsewhere in the run is known; a token seen standing alone
    elsewhere is never run together), case changes inside the token (`NATOless`) and
    how frequent the second part is (function words such as which, who, he, has, said,
    learned from the lexicon). Names the evidence does not cover are never split
    (`Stoltenberg`, `Pyongyang`, `Sybiha`), nor are codes (`B737MAX`, `KF-21`), URLs,
    e-mail addresses, hashtags, compounds (`cyberdefence`) or accepted vocabulary.

    ## Why it matters
    A run-together word is two words lost to search, entity linking and every model
    that reads the text: `Koreawhich` is neither `Korea` nor `which`. General word
    segmenters find them but also split every name they do not know
    (`Zelenskyy` → `Ze lensky y`); this rule splits only where the evidence is strong.

    ## Example
    ```
    South Koreawhich has sent a delegation to Brusselshas estimated
    ```
    Fix (safe): `South Korea which has sent a delegation to Brussels has estimated`.
    With `--unsafe-fixes`, where the second word is a relative pronoun, or a verb that
    closes a phrase opened by a comma, the dropped comma is restored too:
    `South Korea, which has sent a delegation to Brussels, has estimated`; and where a
    singular noun runs into a bare infinitive (`a long warundo the fabric`), the lost
    `to` is restored: `a long war to undo the fabric`.
    """

    code = "W101"
    name = "run-together-word"
    summary = "Two words run together (Koreawhich, NATOless), names never split"
    fix_availability = FixAvailability.SAFE

    def collect(self, doc: Document) -> Counter[str]:
        lex = lexicon(self.context.lang)
        return _rare_tokens(doc, lex) if lex else Counter()

    def merge(self, first: Counter[str], second: Counter[str]) -> Counter[str]:
        return first + second

    def check(self, doc: Document, stats: Counter[str]) -> Iterator[Finding]:
        lex = lexicon(self.context.lang)
        if lex is None:
            return
        text = doc.text
        for token in sorted(_rare_tokens(doc, lex)):
            if stats[token] > 1 or token in self.context.accept or lex.knows(token):
                continue  # standing alone elsewhere, accepted, or all its parts known
            split = self._split(token, lex, stats)
            if split is None:
                continue
            boundary = re.compile(r"(?<![\w'’-])" + re.escape(token) + r"(?![\w-])")
            for match in boundary.finditer(text):
                if not _in_prose(text, match.start(), match.end()):
                    continue
                yield self._finding(text, match.start(), match.end(), split, lex)

    def _finding(self, text: str, start: int, end: int, split: Split, lex: Lexicon) -> Finding:
        at = start + len(split.left)
        token = text[start:end]
        fix = Fix.safe(f"Insert a space: '{split.left} {split.right}'", Edit(at, at, " "))
        finding = self.finding(
            start,
            end,
            f"'{token}' looks like '{split.left}' + '{split.right}' run together",
            fix,
        )
        if self._takes_comma(text, start, split, lex):
            return self.finding(
                start,
                end,
                finding.message + " (a comma was probably dropped too)",
                fix,
                alternative=Fix.unsafe(
                    f"Insert a comma and a space: '{split.left}, {split.right}'",
                    Edit(at, at, ", "),
                ),
            )
        if lex.lang == "en" and token.islower() and _lost_to(split):
            return self.finding(
                start,
                end,
                finding.message + " ('to' was probably lost too)",
                fix,
                alternative=Fix.unsafe(
                    f"Insert 'to': '{split.left} to {split.right}'", Edit(at, at, " to ")
                ),
            )
        return finding

    def _split(self, token: str, lex: Lexicon, stats: Counter[str]) -> Split | None:
        """The best-supported split of a token, or None when none is confident."""
        if token[:2].isupper():  # an acronym run into a word: NATOless
            k = len(token) - len(token.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            left, right = token[:k], token[k:]
            if (
                len(left) >= 2
                and len(right) >= 3
                and right.isalpha()
                and right.islower()
                and lex.zipf(right) >= 3.5
                and (stats[left] > 0 or lex.zipf(left) >= 2.5)
            ):
                return Split(left, right, lex.zipf(right))
            return None
        capitalised = token[0].isupper()
        if not capitalised and not token.islower():
            return None  # mixed case inside (McDonald, iPhone): a name, not an accident
        best: Split | None = None
        for i in range(3, len(token) - 1):
            left, right = token[:i], token[i:]
            if not (right.isalpha() and right.islower() and left[-1].isalpha()):
                continue
            score = self._score(left, right, capitalised, lex, stats)
            if score is not None and (best is None or score > best.score):
                best = Split(left, right, score)
        return best

    def _score(
        self, left: str, right: str, capitalised: bool, lex: Lexicon, stats: Counter[str]
    ) -> float | None:
        right_zipf = lex.zipf(right)
        function_word = right in lex.function_words
        left_zipf = min(lex.zipf(part) for part in left.split("-"))
        seen_alone = stats[left] > 0
        if capitalised:
            confident = (
                (function_word and (seen_alone or left_zipf >= 2.5))
                or (len(right) >= 4 and right_zipf >= 3.5 and (seen_alone or left_zipf >= 3.0))
                or (_name_shaped(left) and function_word and len(right) >= 3)
            )
        else:
            compound = left in word_list(lex.lang, "compound-prefixes") or right in word_list(
                lex.lang, "compound-heads"
            )
            confident = (
                not compound
                and left_zipf >= 3.0
                and ((function_word and len(right) >= 3) or (len(right) >= 4 and right_zipf >= 3.5))
            )
        if not confident:
            return None
        return right_zipf + min(left_zipf, 5.0) + 1.5 * seen_alone + function_word

    def _takes_comma(self, text: str, start: int, split: Split, lex: Lexicon) -> bool:
        """Whether the dropped punctuation was a comma: before a relative pronoun or a
        concessive, or before a verb that closes an appositive or relative clause."""
        if split.right in word_list(lex.lang, "comma-before"):
            return True
        if split.right not in word_list(lex.lang, "clause-close"):
            return False
        before = text[max(0, start - SENTENCE_WINDOW) : start]
        sentence = re.split(r"[.!?]\s|\n", before)[-1]
        name_follows_comma = split.left[0].isupper() and OPEN_APPOSITIVE.search(before)
        return bool(name_follows_comma or OPEN_RELATIVE.search(sentence))


def _lost_to(split: Split) -> bool:
    """A singular noun run into a verb that is only ever a bare infinitive (`warundo`):
    machine translation dropped the `to` between them (`a long war to undo ...`)."""
    from lemminflect import getAllLemmas  # loaded only for such rare candidates

    left, right = getAllLemmas(split.left), getAllLemmas(split.right)
    return (
        split.left in left.get("NOUN", ())
        and set(right) == {"VERB"}
        and right["VERB"] == (split.right,)
    )


def _in_prose(text: str, start: int, end: int) -> bool:
    """Whether the token at text[start:end] stands in prose, not in a URL, an e-mail
    address, a hashtag or a code."""
    chunk_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    chunk_end = min(
        (i for i in (text.find(" ", end), text.find("\n", end)) if i >= 0), default=len(text)
    )
    return not NOT_PROSE.search(text[chunk_start:chunk_end])
