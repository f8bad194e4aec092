"""Any other run of six or more digits: a fragment of an account or card number.

It scores lowest, so a specific recognizer wins on the same digits. It also redacts the
first half of a number split over two messages ("4111 1111", then "1111 1111"). Amounts
("£1000000", "250000 pounds") are left alone.
"""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer, digits_of

_CURRENCY_AFTER = (" pound", " gbp", " usd", " eur", " dollar", " euro", "p ", " quid", "k ")


class LongNumberRecognizer(BankingPatternRecognizer):
    """Finds unexplained digit runs of 6 to 40 digits."""

    ENTITY = Entity.NUMBER
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("digit_run", r"(?<![\w£$€.,\-/:])\d(?:[ \-]?\d){5,39}(?![\w%/:]|[.,]\d)", 0.5),
    ]

    def accept(self, text: str, start: int, end: int) -> bool:
        """Skips amounts (a currency sign before or a currency word after)."""
        before = text[max(0, start - 2) : start]
        after = text[end : end + 8].lower() + " "
        if any(sign in before for sign in "£$€") or after.startswith(_CURRENCY_AFTER):
            return False
        return len(digits_of(text[start:end])) >= 6
