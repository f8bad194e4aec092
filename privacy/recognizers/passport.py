"""Passport numbers (UK, US and most of Europe) written next to the word "passport"."""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer


class PassportRecognizer(BankingPatternRecognizer):
    """Finds 6 to 9 character passport numbers; needs "passport" context before or just after."""

    ENTITY = Entity.PASSPORT
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("passport", r"\b(?=[A-Z0-9]*\d)[A-Z]{0,2}\d{6,9}[A-Z]?\b", 0.5),
    ]
    CONTEXT: ClassVar[list[str]] = ["passport", "travel document"]
    CONTEXT_BEFORE = 40
    CONTEXT_AFTER = 20
    REQUIRES_CONTEXT = True
