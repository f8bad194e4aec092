"""UK bank account numbers: eight digits next to an account context word."""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer


class UkAccountNumberRecognizer(BankingPatternRecognizer):
    """Finds eight-digit account numbers ("12345678", "1234 5678") near "account"."""

    ENTITY = Entity.ACCOUNT_NUMBER
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("uk_account", r"(?<![\d\-])\d{4}[ \-]?\d{4}(?![\d\-])", 0.45),
    ]
    CONTEXT: ClassVar[list[str]] = ["account", "acct", "acc no", "a/c", "acc number", "account no"]
    CONTEXT_BEFORE = 40
    REQUIRES_CONTEXT = True
