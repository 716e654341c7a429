"""U105 on many random mixes of letters, combining marks, conjoining jamo and characters
that NFC replaces: fixing gives exactly the NFC text, and NFC text gives no finding.

The rule works on stretches of the text; these mixes check its offsets where stretches
touch, begin the text or hold marks out of order, beyond what the fixtures show.
"""

from __future__ import annotations

import random
import unicodedata

import textmend
from textmend.document import Document
from textmend.rules.unicode import NonNfc

POOL = [
    *"aeouAEU n\nüé",
    *"\u0300\u0301\u0302\u0308\u0323\u0327\u0336\u0340\u0344\u0345",  # marks
    *"\u1100\u1161\u11a8\uac00\uac01",  # conjoining jamo and syllables
    *"\u212b\u2126\uf900\u037e\u0387",  # characters NFC replaces
    *"\u0f71\u0f72\u0f73\u0915\u093c\u0627\u0653\u0654\u304b\u3099\u05e9\u05b8\u05c1",
    "\U0001d15e",
    "\U0001d165",
]


def _fixed(text: str) -> tuple[str, int]:
    findings = list(NonNfc().check(Document(text, "random.txt")))
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        assert finding.fix is not None
        for edit in finding.fix.edits:
            text = text[: edit.start] + edit.content + text[edit.end :]
    return text, len(findings)


def test_fix_gives_nfc_on_random_mixes() -> None:
    rng = random.Random(105)
    for _ in range(3000):
        text = "".join(rng.choice(POOL) for _ in range(rng.randint(1, 12)))
        normal = unicodedata.normalize("NFC", text)
        fixed, count = _fixed(text)
        assert fixed == normal, text
        assert (count == 0) == (text == normal), text


def test_a_starter_that_nfc_keeps_stays_out_of_the_finding() -> None:
    # the space before the angstrom sign does not change: the finding starts at the sign
    diagnostics = textmend.check("1 \u212b", select=["U105"])
    assert [(d.location, d.end_location) for d in diagnostics] == [((1, 3), (1, 4))]
