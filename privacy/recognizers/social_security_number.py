"""US Social Security numbers: AAA-GG-SSSS, excluding numbers the SSA never issues."""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer, digits_of


def ssn_valid(number: str) -> bool:
    """True for nine digits that could be an issued SSN."""
    area, group, serial = number[:3], number[3:5], number[5:]
    return (
        len(number) == 9
        and area not in {"000", "666"}
        and not area.startswith("9")
        and group != "00"
        and serial != "0000"
        and len(set(number)) > 1
    )


class SocialSecurityNumberRecognizer(BankingPatternRecognizer):
    """Finds SSNs; the dashed form stands alone, the plain nine digits need "SSN" context."""

    ENTITY = Entity.SSN
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("ssn_dashed", r"(?<![\d\-])\d{3}-\d{2}-\d{4}(?![\d\-])", 0.55),
        Pattern("ssn_spaced", r"(?<![\d\-])\d{3} \d{2} \d{4}(?![\d\-])", 0.35),
        Pattern("ssn_plain", r"(?<![\d\-])\d{9}(?![\d\-])", 0.2),
    ]
    CONTEXT: ClassVar[list[str]] = ["ssn", "social security", "social sec", "ss#", "ss number"]
    CONTEXT_BEFORE = 40

    def accept(self, text: str, start: int, end: int) -> bool:
        """Keeps numbers the SSA could have issued."""
        return ssn_valid(digits_of(text[start:end]))
