"""SWIFT/BIC codes: 4 bank letters, 2 country letters, 2 location and optional 3 branch chars."""

from typing import ClassVar

import regex
from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer
from privacy.recognizers.iban_code import IBAN_LENGTHS

_COUNTRIES = set(IBAN_LENGTHS) | {
    "US",
    "CA",
    "AU",
    "NZ",
    "JP",
    "CN",
    "HK",
    "SG",
    "IN",
    "ZA",
    "MX",
    "AR",
    "CL",
    "CO",
    "PE",
    "KR",
    "TW",
    "TH",
    "MY",
    "ID",
    "PH",
    "VN",
    "NG",
    "KE",
    "MA",
    "RU",
}


class SwiftBicRecognizer(BankingPatternRecognizer):
    """Finds upper-case BICs with a real country code; context ("swift", "bic") raises the score."""

    ENTITY = Entity.SWIFT_BIC
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("bic", r"\b[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b", 0.35),
    ]
    CONTEXT: ClassVar[list[str]] = ["swift", "bic", "bank identifier", "bank code"]
    CONTEXT_BOOST = 0.5
    FLAGS = regex.DOTALL | regex.MULTILINE

    def accept(self, text: str, start: int, end: int) -> bool:
        """Keeps codes whose letters 5-6 are a country code."""
        return text[start + 4 : start + 6] in _COUNTRIES
