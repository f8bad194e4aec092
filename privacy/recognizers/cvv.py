"""Card security codes (CVV/CVC) and PINs: three or four digits right after their name."""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer


class CvvRecognizer(BankingPatternRecognizer):
    """Finds 3-4 digit codes preceded by "CVV", "CVC", "security code" or "PIN"."""

    ENTITY = Entity.CVV
    PATTERNS: ClassVar[list[Pattern]] = [Pattern("cvv", r"(?<![\d£$€.,])\d{3,4}(?![\d%])", 0.5)]
    CONTEXT: ClassVar[list[str]] = [
        "cvv",
        "cvc",
        "cv2",
        "cvv2",
        "csc",
        "security code",
        "security number",
        "card verification",
        "code on the back",
        "pin",
    ]
    CONTEXT_BEFORE = 30
    REQUIRES_CONTEXT = True
