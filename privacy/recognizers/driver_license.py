"""Driving licence numbers (UK DVLA format and US state formats) near "licence"."""

import re
from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer

# Surname (letters, padded on the right with 9s), decade, month (+50 for women), day, year,
# two initials (9 for none), a check digit and two computer check letters.
_DVLA = re.compile(
    r"[A-Z](?:[A-Z]{4}|[A-Z]{3}9|[A-Z]{2}99|[A-Z]999|9999)\d(?:[05][1-9]|[16][0-2])(?:0[1-9]|[12]\d|3[01])"
    r"\d[A-Z][A-Z9]\d[A-Z]{2}",
    re.I,
)


def dvla_valid(value: str) -> bool:
    """True for a UK licence number whose surname padding, birth month and day are well formed."""
    return _DVLA.fullmatch(value) is not None


class DriverLicenseRecognizer(BankingPatternRecognizer):
    """Finds licence numbers; a well-formed UK number stands alone, others need "driver's
    license", "driving licence" or "DL" context, before the number or just after it
    ("D1234567 is my driver's license")."""

    ENTITY = Entity.DRIVER_LICENSE
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("dvla", r"\b[A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z]{2}\b", 0.6),
        Pattern("us_state", r"\b(?=(?:[A-Z\-]*\d){6})[A-Z]{0,2}\d[\d\-]{3,16}\d\b", 0.45),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "driver's licen",
        "drivers licen",
        "driver licen",
        "driving licen",
        "dl number",
        "dl#",
        "licence number",
        "license number",
        "licence no",
        "license no",
    ]
    CONTEXT_BEFORE = 40
    CONTEXT_AFTER = 20
    REQUIRES_CONTEXT = True

    def stands_alone(self, text: str, start: int, end: int) -> bool:
        """A well-formed UK licence number is unmistakable without context."""
        return dvla_valid(text[start:end])
