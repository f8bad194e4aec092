"""Card expiry dates (MM/YY, MM/YYYY) written near "expires", "expiry" or "valid thru"."""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer


class CardExpiryRecognizer(BankingPatternRecognizer):
    """Finds expiry dates; needs an expiry or card word before them."""

    ENTITY = Entity.CARD_EXPIRY
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("expiry", r"(?<![\d/])(?:0?[1-9]|1[0-2]) ?[/\-] ?(?:20)?\d{2}(?![\d/])", 0.5),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "exp",
        "expiry",
        "expires",
        "expiring",
        "expiration",
        "valid thru",
        "valid through",
        "valid until",
        "good thru",
        "card",
    ]
    CONTEXT_BEFORE = 40
    REQUIRES_CONTEXT = True
