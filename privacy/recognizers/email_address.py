"""E-mail addresses."""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer


class EmailAddressRecognizer(BankingPatternRecognizer):
    """Finds e-mail addresses with a dotted domain."""

    ENTITY = Entity.EMAIL
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "email",
            r"\b[A-Z0-9._%+\-']+@(?:[A-Z0-9](?:[A-Z0-9\-]{0,61}[A-Z0-9])?\.)+[A-Z]{2,24}\b",
            0.95,
        ),
    ]
