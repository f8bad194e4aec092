"""Dates of birth: calendar dates next to "born", "DOB", "date of birth", "birthday"; a worded
date may have a two-digit year ("12th Mar 85")."""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer
from privacy.recognizers.dates import DAY, MONTH, NUMERIC_DATE, WORDED_DATE


class DateOfBirthRecognizer(BankingPatternRecognizer):
    """Finds birth dates; a date needs a birth context word before it; a two-digit year is read
    only where no amount follows ("born 3 March 85", not "3 March 20 pounds")."""

    ENTITY = Entity.DATE_OF_BIRTH
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("numeric_date", NUMERIC_DATE, 0.5),
        Pattern("worded_date", WORDED_DATE, 0.5),
        Pattern(
            "short_year",
            r"\b(?:" + DAY + r"(?: of)? " + MONTH + r"|" + MONTH + r" " + DAY + r"),? '?\d{2}\b"
            r"(?![:.]?\d|\s?(?:pounds?|quid|dollars?|euros?|gbp|usd|eur|%))",
            0.5,
        ),
        Pattern("day_month", r"\b(?:" + DAY + r"(?: of)? " + MONTH + r"|" + MONTH + r" " + DAY + r")\b", 0.5),
    ]
    CONTEXT: ClassVar[list[str]] = ["born", "dob", "d.o.b", "date of birth", "birthday", "birth date"]
    CONTEXT_BEFORE = 40
    CONTEXT_BOOST = 0.45
    REQUIRES_CONTEXT = True
