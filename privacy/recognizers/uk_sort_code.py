"""UK sort codes: six digits, usually 12-34-56 (or 12 34 56, 12.34.56), next to "sort code" or before an
account number."""

import re
from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer

SORT_CODE = r"\d{2}[-. ]?\d{2}[-. ]?\d{2}"
# What separates a sort code from the account number written after it ("20-32-06 51473538").
PAIR_GAP = r"(?:[ ,/;:|]{0,3}(?:and|&|acc(?:ount)?(?: n(?:o|umber))?)[.:]?\s*|[ ,/;:|]{1,3})"
ACCOUNT = r"\d{4}[ \-]?\d{4}"
_ACCOUNT_AFTER = re.compile(PAIR_GAP + ACCOUNT + r"(?![\d\-])", re.I)


class UkSortCodeRecognizer(BankingPatternRecognizer):
    """Finds sort codes near a context word ("sort code", "sort", "bank code") or written
    straight before an eight-digit account number."""

    ENTITY = Entity.SORT_CODE
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("sort_code_grouped", r"(?<![\d\-.])\d{2}[-. ]\d{2}[-. ]\d{2}(?![\d\-]|\.\d)", 0.5),
        Pattern("sort_code_plain", r"(?<!\d)\d{6}(?!\d)", 0.45),
    ]
    CONTEXT: ClassVar[list[str]] = ["sort code", "sortcode", "sort", "s/c", "bank code"]
    CONTEXT_BEFORE = 30
    REQUIRES_CONTEXT = True

    def beside(self, text: str, start: int, end: int) -> bool:
        """An eight-digit account number right after the code."""
        return _ACCOUNT_AFTER.match(text, end) is not None
