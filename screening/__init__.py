"""Sanctions screening of new payees against the UK consolidated list (OFSI ``ConList.csv``).

``Screener.from_settings().screen("Aleksandr Petrushenko")`` gives a ``ScreeningResult``:
``clear``, or ``review`` (a possible match: the payment waits for a person, it is not refused).
"""

from screening.errors import InvalidQueryError, ListFormatError, ScreeningError
from screening.sanctions_list import ListedName, ListEntry, PartialDate, load_list
from screening.screener import Decision, Screener, ScreeningResult
from screening.settings import ScreeningSettings

__all__ = [
    "Decision",
    "InvalidQueryError",
    "ListEntry",
    "ListFormatError",
    "ListedName",
    "PartialDate",
    "Screener",
    "ScreeningError",
    "ScreeningResult",
    "ScreeningSettings",
    "load_list",
]
