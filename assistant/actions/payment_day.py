"""When a payment goes: the day ("now", "tomorrow", "friday", "the 15th", "15 December",
"15/12") and how often (once, weekly or monthly: a standing order)."""

import re
from datetime import date, timedelta

from assistant.actions.parsing import ParseError
from bank.enums import Frequency

_NOW = re.compile(
    r"^\s*(?:now|today|right now|straight away|asap|immediately|as soon as possible|send it now)\s*[.!]?\s*$"
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_MONTH = r"(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DAY_MONTHS = (re.compile(rf"\b{_DAY}(?: of)? {_MONTH}\b"), re.compile(rf"\b{_MONTH} {_DAY}\b"))
_NUMERIC = re.compile(r"\b(?P<day>[0-3]?\d)/(?P<month>[01]?\d)(?:/(?P<year>\d{2}|\d{4}))?\b")
_DAY_ONLY = re.compile(rf"^(?:on )?(?:the )?{_DAY}$")
_IN_DAYS = re.compile(r"\bin (?P<n>\d{1,3}) days?\b")

ONCE, WEEKLY, MONTHLY = "once", Frequency.WEEKLY.value, Frequency.MONTHLY.value
# "every week", and "a week" except as a day ("a week on friday", "a week tomorrow").
_NOT_A_DAY = r"(?!\s+(?:on|today|tomorrow|from|after|later|ago)\b)"
_EVERY = rf"\b(?:every|each|per)\s+(?:{{unit}})\b|(?<!\bin )\b(?:once\s+)?a\s+(?:{{unit}})\b{_NOT_A_DAY}"
_FREQUENCIES = (
    (WEEKLY, re.compile(rf"\bweekly\b|{_EVERY.format(unit='week')}|\bevery\s+(?:{'|'.join(_WEEKDAYS)})\b")),
    (MONTHLY, re.compile(rf"\bmonthly\b|{_EVERY.format(unit='month')}")),
    (ONCE, re.compile(r"\b(?:once|one[- ]off|just the once|single payment|only this time)\b")),
)


def parse_frequency(text: str) -> str | None:
    """``weekly`` or ``monthly`` when ``text`` asks for a repeated payment ("every month",
    "weekly", "each friday"), ``once`` for a one-off ("just once"), else None ("next week"
    is a day, not a frequency)."""
    plain = " ".join(text.casefold().split())
    for frequency, pattern in _FREQUENCIES:
        if pattern.search(plain):
            return frequency
    return None


def parse_payment_day(text: str, today: date) -> date | None:
    """The day ``text`` names for a payment, or None for now (today).

    Raises:
        ParseError: ``missing`` when no day can be read, ``past`` for a day gone by.
    """
    plain = " ".join(text.casefold().replace(",", " ").split())
    if _NOW.match(plain):
        return None
    day = _read(plain, today)
    if day is None:
        raise ParseError("missing")
    if day < today:
        raise ParseError("past")
    return None if day == today else day


def _read(plain: str, today: date) -> date | None:
    if "tomorrow" in plain:
        return today + timedelta(days=1)
    if "next week" in plain:
        return today + timedelta(days=7)
    if match := _IN_DAYS.search(plain):
        return today + timedelta(days=int(match["n"]))
    for index, weekday in enumerate(_WEEKDAYS):
        if re.search(rf"\b{weekday[:3]}(?:{weekday[3:]})?\b", plain):
            ahead = (index - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
    for pattern in _DAY_MONTHS:
        if match := pattern.search(plain):
            month = next(i for i, m in enumerate(_MONTHS, start=1) if m.startswith(match["month"][:3]))
            return _next_date(today, int(match["day"]), month)
    if match := _NUMERIC.search(plain):
        year = match["year"]
        if year:
            full_year = int(year) + (2000 if len(year) == 2 else 0)
            return _valid(full_year, int(match["month"]), int(match["day"]))
        return _next_date(today, int(match["day"]), int(match["month"]))
    if match := _DAY_ONLY.match(plain):
        day = int(match["day"])
        this_month = _valid(today.year, today.month, day)
        if this_month and this_month >= today:
            return this_month
        month, year = (1, today.year + 1) if today.month == 12 else (today.month + 1, today.year)
        return _valid(year, month, day)
    return None


def _next_date(today: date, day: int, month: int) -> date | None:
    """The next ``day``/``month`` from today on (this year's, else next year's)."""
    this_year = _valid(today.year, month, day)
    if this_year is not None and this_year >= today:
        return this_year
    return _valid(today.year + 1, month, day)


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
