"""Phone numbers in UK, US and international formats, with extensions.

A run of 7 to 15 digits qualifies when its shape is a phone's (``+`` or ``00`` country
prefix, ``(area)`` code, NANP 3-3-4 grouping, trunk ``0``) or when a phone word is near.
"""

import re
from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer, digits_of
from privacy.recognizers.nhs_number import named_as_nhs_number
from privacy.recognizers.street_address import is_house_number

_EXTENSION = re.compile(r"\s?(?:x|ext\.?|extension)\s?\d{1,5}$", re.I)
_DATE = re.compile(r"(?:19|20)\d{2}[\-/.]\d{1,2}[\-/.]\d{1,2}|\d{1,2}[\-/.]\d{1,2}[\-/.](?:19|20)?\d{2}")
_NANP = re.compile(r"^(?:\+?1[ \-.]?)?\(?\d{3}\)?[ \-.]?\d{3}[ \-.]\d{4}$")


def _plain_groups(value: str) -> bool:
    """Digits in space-separated groups only (no "+", brackets or dashes)."""
    return value.replace(" ", "").isdigit()


class PhoneNumberRecognizer(BankingPatternRecognizer):
    """Finds phone numbers; context words ("call", "mobile", "fax") may follow or precede."""

    ENTITY = Entity.PHONE
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "phone",
            r"(?<![\w+\-/.])(?:\+|00)?\(?\d[\d \-.()]{5,22}\d"
            r"(?:\s?(?:x|ext\.?|extension)\s?\d{1,5})?(?![\w/]|\.\d)",
            0.5,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "phone",
        "call",
        "mobile",
        "tel",
        "fax",
        "desk",
        "office",
        "cell",
        "contact",
        "whatsapp",
        "text me",
        "ring",
        "landline",
        "registered",
        "number",
        "home",
        "work",
    ]
    CONTEXT_BEFORE = 30
    CONTEXT_AFTER = 12
    CONTEXT_BOOST = 0.35

    def accept(self, text: str, start: int, end: int) -> bool:
        """Keeps 7 to 15 digits (extension aside) with balanced brackets that are no NHS number."""
        value = _EXTENSION.sub("", text[start:end])
        count = len(digits_of(value))
        if not 7 <= count <= 15 or value.count("(") != value.count(")") or _DATE.fullmatch(value):
            return False
        if named_as_nhs_number(text, start, end):
            return False  # "my NHS number is 943 476 5919"
        house_number = _plain_groups(value) and is_house_number(text, start, end)
        if house_number and not self.has_context(text, start, end):
            return False  # "12 3968 Bay Street", "Suite 541 6343 Main Road": house and flat numbers
        return "\n" not in value.strip()

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # type: ignore[no-untyped-def]
        """Scores the number's shape, then the base class adds the context boost."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:  # the base class already added the context boost
            value = _EXTENSION.sub("", text[result.start : result.end])
            if value.startswith(("+", "00", "(")) or _NANP.match(value):
                result.score += 0.2
            elif value.startswith("0") and len(digits_of(value)) >= 10:
                result.score += 0.15
            result.score = min(result.score, 1.0)
        return results
