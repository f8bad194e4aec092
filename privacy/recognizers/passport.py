"""Passport numbers (UK, US and most of Europe) written next to the word "passport"."""

import re
from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer

# The US passport card and next-generation book: one capital letter, then eight digits.
_US_NEXT_GENERATION = re.compile(r"[A-Z]\d{8}")


class PassportRecognizer(BankingPatternRecognizer):
    """Finds 6 to 9 character passport numbers; needs "passport" context before or just after,
    except the unmistakable capital-letter-and-eight-digits US form ("Z31195582")."""

    ENTITY = Entity.PASSPORT
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("passport", r"\b(?=[A-Z0-9]*\d)[A-Z]{0,2}\d{6,9}[A-Z]?\b", 0.5),
    ]
    CONTEXT: ClassVar[list[str]] = ["passport", "travel document"]
    CONTEXT_BEFORE = 40
    CONTEXT_AFTER = 20
    REQUIRES_CONTEXT = True

    def stands_alone(self, text: str, start: int, end: int) -> bool:
        """A capital letter and eight digits is a US passport number even with no context."""
        return _US_NEXT_GENERATION.fullmatch(text[start:end]) is not None
