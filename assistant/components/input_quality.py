"""Scores how much a message looks like the English text a classifier was trained on.

A transformer classifier gives a confident answer to anything, emoji and gibberish
included. `input_quality` returns a factor in [0, 1] that the components multiply into
their confidences, so that empty, emoji-only, non-English, very long and random-character
messages fall below the FallbackClassifier's threshold instead of being misread.
It is pure Python (no model), so it is cheap and easy to test.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

WORD = re.compile(r"[a-z]+")
ORDINARY_SYMBOLS = set(".,;:!?'\"-_/()&%$£€@#+*=<>")

# Common English words, so that English messages about things the training data never
# mentions still count as English.
ENGLISH_WORDS = frozenset("""
a about after again all also am an and any are as at back be because been before being
but by can cant could did didnt do does doesnt dont for from get got had has have havent
he her here hi hello him his how i if im in into is isnt it its ive just know last like
make me more most much my need needs no not now of off on one only or other our out over
please same see she should so some still than thank thanks that the their them then there
these they this those to too up us very want was wasnt we were what when where which who
why will with without would yes yet you your
""".split())


@dataclass(frozen=True)
class InputQualityRules:
    """Thresholds of the check; the defaults suit short customer messages.

    Attributes:
        max_chars: Messages longer than this are penalised (quadratically in the excess).
        min_ordinary_share: Below this share of letters, digits and common punctuation
            (emoji, other scripts, symbols) the message is penalised.
        min_known_share: Below this share of known words the message is penalised.
        known_words: Words seen in training, beside `ENGLISH_WORDS`.
    """

    max_chars: int = 1000
    min_ordinary_share: float = 0.7
    min_known_share: float = 0.5
    known_words: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_texts(cls, texts: Iterable[str], **settings: float) -> InputQualityRules:
        """Rules whose known words are the words of `texts` (the training examples)."""
        words: set[str] = set()
        for text in texts:
            words.update(words_of(text))
        return cls(known_words=frozenset(words), **settings)  # type: ignore[arg-type]


def words_of(text: str) -> list[str]:
    """Lower-case ASCII words of a text, accents removed."""
    folded = unicodedata.normalize("NFKD", text.lower())
    return WORD.findall(folded.encode("ascii", "ignore").decode("ascii"))


def input_quality(text: str | None, rules: InputQualityRules) -> float:
    """A factor in [0, 1]: 1 for an ordinary English message, near 0 for bad input.

    Args:
        text: The message (None counts as empty).
        rules: Thresholds and the known vocabulary.

    Returns:
        The product of a length, a character and a known-word factor.
    """
    stripped = (text or "").strip()
    if not stripped:
        return 0.0
    length_factor = min(1.0, rules.max_chars / len(stripped)) ** 2
    characters = [c for c in stripped if not c.isspace()]
    ordinary = sum(1 for c in characters if c in ORDINARY_SYMBOLS or (c.isascii() and c.isalnum()))
    ordinary_share = ordinary / max(1, len(characters))
    character_factor = min(1.0, ordinary_share / rules.min_ordinary_share) ** 2
    words = words_of(stripped)
    if not words:
        # Amounts, dates and account numbers ("£8,000", "1,200.50", "25/12/2024") answer
        # the bot's questions; symbols or emoji alone do not.
        has_digits = any(c.isdigit() for c in stripped)
        return length_factor * character_factor if has_digits else 0.0
    known = sum(1 for word in words if word in ENGLISH_WORDS or word in rules.known_words)
    word_factor = min(1.0, (known / len(words)) / rules.min_known_share) ** 2
    return length_factor * character_factor * word_factor
