"""NHS numbers: ten digits (often 3-3-4) whose last digit is a modulus 11 check digit."""

import re
from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer, digits_of


def nhs_valid(number: str) -> bool:
    """True when the ten digits pass the NHS modulus 11 check."""
    if len(number) != 10 or not number.isdigit() or len(set(number)) == 1:
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(number[9])


_NHS_CONTEXT = ["nhs", "health service", "health number", "chi number", "patient number"]
_NHS_BEFORE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in _NHS_CONTEXT) + r")", re.I)


def named_as_nhs_number(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` passes the NHS check and an NHS context word precedes it:
    another recognizer of digit groups (a phone number's) leaves it to this one."""
    return (
        nhs_valid(digits_of(text[start:end]))
        and _NHS_BEFORE.search(text, max(0, start - NhsNumberRecognizer.CONTEXT_BEFORE), start) is not None
    )


class NhsNumberRecognizer(BankingPatternRecognizer):
    """Finds NHS numbers that pass the checksum; "NHS" nearby raises the score."""

    ENTITY = Entity.NHS_NUMBER
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("nhs_grouped", r"(?<![\d\-])\d{3}[ \-]\d{3}[ \-]\d{4}(?![\d\-])", 0.45),
        Pattern("nhs_plain", r"(?<![\d\-])\d{10}(?![\d\-])", 0.4),
    ]
    CONTEXT: ClassVar[list[str]] = _NHS_CONTEXT
    CONTEXT_BEFORE = 40
    CONTEXT_BOOST = 0.55

    def accept(self, text: str, start: int, end: int) -> bool:
        """Keeps numbers that pass the modulus 11 check."""
        return nhs_valid(digits_of(text[start:end]))
