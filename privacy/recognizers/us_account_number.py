"""US bank account numbers: 8 to 17 digits next to an account context word."""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer


class UsAccountNumberRecognizer(BankingPatternRecognizer):
    """Finds long account numbers; needs "account", "checking", "savings" and the like."""

    ENTITY = Entity.ACCOUNT_NUMBER
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("us_account", r"(?<![\d\-])\d{8,17}(?![\d\-])", 0.4),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "account",
        "acct",
        "checking",
        "savings",
        "a/c",
        "beneficiary",
        "deposit to",
    ]
    CONTEXT_BEFORE = 40
    REQUIRES_CONTEXT = True
