"""A person's age: "I'm 23 y/o", "aged 40", "a 62-year-old", "I just turned 54", "when he was 65.".

Only the number is redacted, and durations ("5 years", "2 years ago") are not ages.
"""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer

_NUMBER = r"(?:1[01]\d|\d{1,2})"


class AgeRecognizer(BankingPatternRecognizer):
    """Finds ages by the words around the number."""

    ENTITY = Entity.AGE
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("years_old", r"\b" + _NUMBER + r"(?=[ \-]?(?:years?|yrs?|yo)[ \-]old\b)", 0.7),
        Pattern("y_o", r"\b" + _NUMBER + r"(?= ?(?:y/o|y\.o\.|yo|yrs old)\b)", 0.7),
        Pattern("age_of", r"(?<=\b(?:age of|aged|age:?|ages) )" + _NUMBER + r"\b", 0.7),
        Pattern(
            "turned",
            r"(?<=\b(?:turn|turned|turning|turns|i'm|i am|he's|she's|(?:i|he|she) was) )"
            + _NUMBER
            + r"(?=(?: (?:this|next|last|on|in|today|tomorrow|soon|years? of age)\b|[.!,;]|$))",
            0.6,
        ),
    ]
