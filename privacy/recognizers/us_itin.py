"""US Individual Taxpayer Identification Numbers: 9XX-7X-XXXX (middle 50-65, 70-88, 90-92, 94-99)."""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer, digits_of

_GROUPS = frozenset(range(50, 66)) | frozenset(range(70, 89)) | {90, 91, 92} | frozenset(range(94, 100))


def itin_valid(number: str) -> bool:
    """True for nine digits in a range the IRS issues ITINs from."""
    return len(number) == 9 and number[0] == "9" and int(number[3:5]) in _GROUPS


class ItinRecognizer(BankingPatternRecognizer):
    """Finds ITINs; the dashed form stands alone, other forms need "ITIN" or "taxpayer" nearby.

    Not named ``UsItinRecognizer``: Presidio's registry loader finds its own classes by name.
    """

    ENTITY = Entity.ITIN
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("itin_dashed", r"(?<![\d\-])9\d{2}-\d{2}-\d{4}(?![\d\-])", 0.55),
        Pattern("itin_spaced", r"(?<![\d\-])9\d{2} \d{2} \d{4}(?![\d\-])", 0.3),
        Pattern("itin_plain", r"(?<![\d\-])9\d{8}(?![\d\-])", 0.2),
    ]
    CONTEXT: ClassVar[list[str]] = ["itin", "taxpayer", "tax id", "tax identification", "tin"]
    CONTEXT_BEFORE = 40

    def accept(self, text: str, start: int, end: int) -> bool:
        """Keeps numbers in the ITIN ranges."""
        return itin_valid(digits_of(text[start:end]))
