"""UK sort codes: six digits, usually 12-34-56, recognised next to "sort code"."""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer


class UkSortCodeRecognizer(BankingPatternRecognizer):
    """Finds sort codes; needs a context word ("sort code", "sort", "bank code")."""

    ENTITY = Entity.SORT_CODE
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("sort_code_grouped", r"(?<![\d\-])\d{2}[- ]\d{2}[- ]\d{2}(?![\d\-])", 0.5),
        Pattern("sort_code_plain", r"(?<!\d)\d{6}(?!\d)", 0.45),
    ]
    CONTEXT: ClassVar[list[str]] = ["sort code", "sortcode", "sort", "s/c", "bank code"]
    CONTEXT_BEFORE = 30
    REQUIRES_CONTEXT = True
