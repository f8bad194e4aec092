"""US ABA routing numbers: nine digits with the 3-7-1 checksum and a valid prefix."""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer, digits_of

_VALID_PREFIXES = {f"{n:02d}" for n in [*range(0, 13), *range(21, 33), *range(61, 73), 80]}


def aba_valid(number: str) -> bool:
    """True when the nine digits pass the ABA checksum and start with a Federal Reserve prefix."""
    if len(number) != 9 or number[:2] not in _VALID_PREFIXES or len(set(number)) == 1:
        return False
    weights = (3, 7, 1) * 3
    return sum(int(d) * w for d, w in zip(number, weights, strict=True)) % 10 == 0


class AbaRoutingRecognizer(BankingPatternRecognizer):
    """Finds routing numbers; a checksum-valid number needs "routing"/"ABA" context."""

    ENTITY = Entity.ROUTING_NUMBER
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("aba", r"(?<![\d\-])\d{4}-?\d{4}-?\d(?![\d\-])", 0.4),
    ]
    CONTEXT: ClassVar[list[str]] = ["routing", "aba", "rtn", "transit number", "wire"]
    CONTEXT_BEFORE = 40
    CONTEXT_BOOST = 0.5
    REQUIRES_CONTEXT = True

    def accept(self, text: str, start: int, end: int) -> bool:
        """Keeps checksum-valid numbers only."""
        return aba_valid(digits_of(text[start:end]))
