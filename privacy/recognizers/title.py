"""Honorifics before a name ("Mr.", "Dr", "Mrs"): they reveal gender or profession."""

from typing import ClassVar

import regex
from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer


class TitleRecognizer(BankingPatternRecognizer):
    """Finds honorifics followed by a capitalised or lower-case name."""

    ENTITY = Entity.TITLE
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "honorific",
            r"\b(?:[Mm]r|[Mm]rs|[Mm]s|[Mm]iss|[Mm]x|[Dd]r|[Pp]rof|Sir|Dame|Lady|Lord|Rev|Fr)\.?(?= [A-Za-z])",
            0.6,
        ),
    ]
    FLAGS = regex.MULTILINE

    def accept(self, text: str, start: int, end: int) -> bool:
        """Keeps "Dr" when it is a title, not the street suffix ("Oak Dr")."""
        value = text[start:end]
        if value.rstrip(".") in {"Dr", "dr"} and start > 0:
            before = text[max(0, start - 2) : start]
            return not (before.endswith(" ") and before[:1].isalpha())
        return True
