"""UK postcodes: "SW1A 1AA", "M1 1AE", "B33 8TH", "GIR 0AA"."""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer


class UkPostcodeRecognizer(BankingPatternRecognizer):
    """Finds UK postcodes in their full form (outward and inward code)."""

    ENTITY = Entity.POSTCODE
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "uk_postcode",
            r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b",
            0.6,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = ["postcode", "post code", "postal code", "address"]

    def accept(self, text: str, start: int, end: int) -> bool:
        """Rejects all-digit-free lower-case words that only look like postcodes."""
        value = text[start:end]
        return any(ch.isdigit() for ch in value) and not value.islower() or self.has_context(text, start, end)
