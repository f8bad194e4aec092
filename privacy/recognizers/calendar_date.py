"""Calendar dates, date-times and years of an event: "8/14/1996", "1970-09-24 09:34:31", "in 2004",
"a 1999 French film", and the compact forms of records ("21-May", "May-2021", "05/2021").

Relative dates ("last week", "next month", "on Thursday"), durations ("5 years") and a day or
month as a customer writes it in chat ("on 3 March", "in December 2025") are left alone: the
bot needs them and they identify no one.
"""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer
from privacy.recognizers.dates import COMPACT_DATE, NUMERIC_DATE, TIME, WORDED_DATE, YEAR


class CalendarDateRecognizer(BankingPatternRecognizer):
    """Finds absolute dates, four-digit years after "in", "during", "since" and the like, and
    years before a capitalised word ("a 1999 French film")."""

    ENTITY = Entity.DATE
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("numeric_date", NUMERIC_DATE + TIME, 0.6),
        Pattern("worded_date", WORDED_DATE + TIME, 0.6),
        Pattern("compact_date", COMPACT_DATE, 0.55),
        Pattern(
            "event_year",
            r"(?<=\b(?:in|during|since|from|until|till|by|of|year|around|circa|founded|established)"
            r"(?: the year)? )" + YEAR + r"\b(?!\s?(?:pounds|dollars|euros|gbp|usd|eur|%))",
            0.55,
        ),
        Pattern(
            "year_before_name",
            r"(?<=\b(?:a|an|the) )"
            + YEAR
            + r"(?= (?-i:\p{Lu}\p{Ll}))(?! (?:pounds?|dollars?|euros?|gbp|usd|eur)\b)",
            0.55,
        ),
    ]
