"""US ZIP codes and other countries' postal codes, where the text says it is one.

A bare five-digit number is too common (amounts, references) to redact on its own: we
need "ZIP"/"postal code" before it, or a US state abbreviation ("Austin, TX 78701").
"""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer

_US_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH"
    "|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|AA|AE|AP"
)


class ZipCodeRecognizer(BankingPatternRecognizer):
    """Finds ZIP/postal codes after a context word or after a US state abbreviation."""

    ENTITY = Entity.POSTCODE
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("zip_after_state", r"(?<=\b(?:" + _US_STATES + r"),? )\d{5}(?:-\d{4})?\b", 0.6),
        Pattern(
            "postal_code",
            r"(?<![\w\-])(?:\d{3,5}(?:[ \-](?:\d{2,4}|[A-Z]{2}\b))?|[A-Z]\d[A-Z] ?\d[A-Z]\d)(?![\w\-])",
            0.3,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = ["zip", "postal code", "postcode", "post code", "zipcode"]
    CONTEXT_BEFORE = 20
    CONTEXT_BOOST = 0.5
    FLAGS = 0
