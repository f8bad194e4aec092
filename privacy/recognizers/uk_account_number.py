"""UK bank account numbers: eight digits next to an account context word or a sort code."""

import re
from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer
from privacy.recognizers.uk_sort_code import PAIR_GAP, SORT_CODE

_SORT_CODE_BEFORE = re.compile(r"(?<![\d\-])" + SORT_CODE + PAIR_GAP + r"$", re.I)


class UkAccountNumberRecognizer(BankingPatternRecognizer):
    """Finds eight-digit account numbers ("12345678", "1234 5678") near "account" or
    written after a sort code ("20-32-06 51473538")."""

    ENTITY = Entity.ACCOUNT_NUMBER
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("uk_account", r"(?<![\d\-])\d{4}[ \-]?\d{4}(?![\d\-])", 0.45),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "account", "acct", "acc no", "acc ", "a/c", "acc number", "account no", "payee", "beneficiary",
    ]
    CONTEXT_BEFORE = 40
    REQUIRES_CONTEXT = True

    def beside(self, text: str, start: int, end: int) -> bool:
        """A sort code written right before the number."""
        return _SORT_CODE_BEFORE.search(text, max(0, start - 40), start) is not None
