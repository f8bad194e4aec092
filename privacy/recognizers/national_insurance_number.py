"""UK National Insurance numbers: two letters, six digits, a suffix letter A-D."""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer

_INVALID_PREFIXES = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}


class NationalInsuranceNumberRecognizer(BankingPatternRecognizer):
    """Finds NI numbers such as "QQ 12 34 56 C" or "AB123456C"."""

    ENTITY = Entity.NINO
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "nino",
            r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b",
            0.6,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = ["national insurance", "nino", "ni number", "nin"]

    def accept(self, text: str, start: int, end: int) -> bool:
        """Rejects prefixes that HMRC never allocates."""
        return text[start : start + 2].upper() not in _INVALID_PREFIXES
