"""Periods a customer writes ("last month", "since payday", "between 1 and 15 March") read as
ranges of days.

Everything is relative to the ``today`` passed in: nothing here reads the clock. A month or
day written without a year is the most recent one that is not in the future ("in January"
in December 2026 is January 2026; in February 2026 "in December" is December 2025). "Last N
days, weeks or months" is the N units that end today, today included.
"""

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bank.errors import ProfileStoreError

PaydaySource = date | Callable[[], date | None] | None
"""The date of the customer's latest salary credit, or a callable that looks it up (called
only when the text mentions payday), or None when unknown."""


class PaydayUnknown(ProfileStoreError):
    """The customer said "since payday" but no salary credit is known."""

    code = "payday_unknown"
    default_message = (
        "I can't see a salary payment on your accounts recently, so I don't know when payday was. "
        'Please tell me a date instead, like "since 25 November".'
    )


@dataclass(frozen=True)
class Period:
    """A range of days, both ends included; ``label`` says it in a sentence ("in March 2026")."""

    start: date
    end: date
    label: str

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError("A period cannot end before it starts.")


@dataclass(frozen=True)
class PeriodMatch:
    """A period and where in the (lowercased) text it was written."""

    period: Period
    start: int
    end: int


MONTHS: dict[str, int] = {
    name: number
    for number in range(1, 13)
    for name in {calendar.month_name[number].lower(), calendar.month_abbr[number].lower()}
}
MONTHS["sept"] = 9
WEEKDAYS: dict[str, int] = {calendar.day_name[n].lower(): n for n in range(7)}
NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "thirty": 30,
    "sixty": 60, "ninety": 90, "couple": 2, "a couple": 2, "a couple of": 2, "couple of": 2,
    "few": 3, "a few": 3,
}  # fmt: skip
FEW_DAYS = 7  # "the last few days": a week

_PLACEHOLDER = re.compile(r"<[A-Z_]+_\d+>")
_MONTH = r"(?P<{name}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{name}>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<{name}>(?:19|20)\d{{2}})"
_COUNT = r"(?P<count>\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = r"(?P<unit>days?|weeks?|wks?|months?|mths?|years?|yrs?)"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"


def _m(name: str) -> str:
    return _MONTH.format(name=name)


def _d(name: str) -> str:
    return _DAY.format(name=name)


def _y(name: str) -> str:
    return _YEAR.format(name=name)


def _day_month(suffix: str) -> str:
    """ "3 March", "3rd of March", "March 3rd", with an optional year."""
    day, month, year = f"day{suffix}", f"month{suffix}", f"year{suffix}"
    return (
        rf"(?:(?:the\s+)?{_d(day)}(?:\s+of)?\s+{_m(month)}|{_m(month + 'b')}\s+(?:the\s+)?{_d(day + 'b')})"
        rf"(?:,?\s+{_y(year)})?"
    )


_NUMERIC_DATE = r"(?P<nday>[12]\d|3[01]|0?[1-9])/(?P<nmonth>1[0-2]|0?[1-9])(?:/(?P<nyear>(?:19|20)?\d{2}))?"


def _pattern(body: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w£$€.,/]){body}(?![\w/]|[.,]\d)")


_PAYDAY = _pattern(
    r"since\s+(?:(?:my|the)\s+)?(?:last\s+)?(?:payday|pay\s+day|salary(?:\s+(?:came\s+in|day))?"
    r"|(?:i\s+)?(?:last\s+)?(?:got|was|get|been)\s+paid|i\s+was\s+last\s+paid|wages?)"
)
_BETWEEN_DAYS = _pattern(
    rf"(?:between|from)\s+(?:the\s+)?{_d('first')}\s+(?:and|to|until|till|-)\s+(?:the\s+)?{_day_month('')}"
)
_DAY_RANGE = _pattern(rf"{_d('first')}\s*(?:-|–|to)\s*{_day_month('')}")
_BETWEEN_DATES = _pattern(
    rf"(?:between|from)\s+{_day_month('1')}\s+(?:and|to|until|till|-)\s+{_day_month('2')}"
)
_BETWEEN_MONTHS = _pattern(
    rf"(?:between|from)\s+{_m('month1')}(?:\s+{_y('year1')})?\s+(?:and|to|until|till|-)\s+"
    rf"{_m('month2')}(?:\s+{_y('year2')})?"
)
_SINCE_DATE = _pattern(rf"(?:since|from|after)\s+(?:the\s+)?(?:{_day_month('')}|{_NUMERIC_DATE})")
_SINCE_DAY = _pattern(r"since\s+the\s+(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?")
_SINCE_WEEKDAY = _pattern(rf"since\s+(?:last\s+)?{_WEEKDAY}")
_SINCE_MONTH = _pattern(rf"since\s+(?:the\s+(?:start|beginning)\s+of\s+)?{_m('month')}(?:\s+{_y('year')})?")
_SINCE_START = _pattern(
    r"since\s+the\s+(?:start|beginning)\s+of\s+(?:the\s+|this\s+)?(?P<unit>week|month|year)"
)
_LAST_N = _pattern(rf"(?:(?:in|over|during|for)\s+)?(?:the\s+)?(?:last|past|previous)\s+{_COUNT}\s+{_UNIT}")
_LAST_FEW_DAYS = _pattern(
    r"(?:(?:in|over|during|for)\s+)?(?:the\s+)?(?:last|past)\s+(?:few|couple\s+of)\s+days"
)
_NAMED = _pattern(
    r"(?:(?:in|for|during|over|from)\s+)?(?P<named>today|yesterday|(?:this|last|previous|past)\s+"
    r"(?:week(?:end)?|month|year)|the\s+(?:last|past|previous)\s+(?:week(?:end)?|month|year)"
    r"|this\s+morning|tonight|so\s+far\s+this\s+(?:week|month|year)|year\s+to\s+date|ytd|this\s+calendar\s+year)"
)
_ON_DATE = _pattern(rf"(?:(?:on|for)\s+)?(?:the\s+)?(?:{_day_month('')}|{_NUMERIC_DATE})")
_MONTH_YEAR = _pattern(rf"(?:(?:in|for|during|of)\s+)?{_m('month')}\s+{_y('year')}")
_MONTH_ONLY = _pattern(rf"(?P<prep>(?:in|for|during|over|since|of|throughout)\s+)?{_m('month')}")
_YEAR_ONLY = _pattern(rf"(?:in|for|during)\s+(?:the\s+year\s+)?{_y('year')}")
_AMBIGUOUS_MONTHS = frozenset({"may", "mar", "march", "jan", "sep", "dec", "oct", "aug", "jun"})


def parse_period(text: str, today: date, payday: PaydaySource = None) -> Period | None:
    """The period ``text`` names, relative to ``today``.

    Args:
        text: a customer's words ("how much did I spend last month"); redaction placeholders
            (``<DATE_1>``) are ignored.
        today: the customer's today.
        payday: the latest salary credit, or a callable returning it (see ``PaydaySource``).

    Returns:
        The period, or None when the text names none (or an impossible date, "31 February").

    Raises:
        PaydayUnknown: the text says "since payday" and ``payday`` gives no date.
    """
    found = find_period(text, today, payday)
    return found.period if found else None


def find_period(text: str, today: date, payday: PaydaySource = None) -> PeriodMatch | None:
    """Like ``parse_period``, with where the period is written in ``normalise_text(text)``."""
    lowered = normalise_text(text)
    read: list[tuple[int, int]] = []  # spans a more specific reader has had: "31 February" is no February
    for pattern, build in _READERS:
        for match in pattern.finditer(lowered):
            if any(match.start() < end and start < match.end() for start, end in read):
                continue
            period = build(match, today, payday)
            if period is not None:
                return PeriodMatch(period, match.start(), match.end())
            read.append(match.span())
    return None


def normalise_text(text: str) -> str:
    """Lowercased, placeholders and typographic quotes blanked, same length as ``text``."""
    blanked = _PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), text)
    return blanked.replace("’", "'").lower()


# -- readers: each builds a period from its pattern's match, or None -----------------------------


Reader = Callable[[re.Match[str], date, PaydaySource], Period | None]


def _since_payday(match: re.Match[str], today: date, payday: PaydaySource) -> Period | None:
    when = payday() if callable(payday) else payday
    if when is None:
        raise PaydayUnknown()
    when = min(when, today)
    return Period(when, today, f"since payday ({day_label(when, today)})")


def _between_days(match: re.Match[str], today: date, payday: PaydaySource) -> Period | None:
    last_day, month, year = _day_month_parts(match, "")
    first = int(match["first"])
    if year is None:
        year = _latest_year(month, first, today)
    start, end = _safe_date(year, month, first), _safe_date(year, month, last_day)
    if start is None or end is None or start > end:
        return None
    return Period(start, end, f"between {start.day} and {day_label(end, today)}")


def _between_dates(match: re.Match[str], today: date, payday: PaydaySource) -> Period | None:
    day1, month1, year1 = _day_month_parts(match, "1")
    day2, month2, year2 = _day_month_parts(match, "2")
    in_order = (month1, day1) <= (month2, day2)
    if year1 is None and year2 is None:
        year1 = _latest_year(month1, day1, today)
    if year1 is None:
        assert year2 is not None
        year1 = year2 if in_order else year2 - 1
    if year2 is None:
        year2 = year1 if in_order else year1 + 1
    start, end = _safe_date(year1, month1, day1), _safe_date(year2, month2, day2)
    if start is None or end is None or end < start:
        return None
    return Period(start, end, f"between {day_label(start, today)} and {day_label(end, today)}")


def _between_months(match: re.Match[str], today: date, payday: PaydaySource) -> Period | None:
    first, last = MONTHS[match["month1"]], MONTHS[match["month2"]]
    year2 = int(match["year2"]) if match["year2"] else None
    year1 = int(match["year1"]) if match["year1"] else None
    if year2 is None:
        year2 = _latest_year(last, 1, today)
        if year1 is not None and year1 > year2:
            year2 = year1
    if year1 is None:
        year1 = year2 if first <= last else year2 - 1
    start, end = date(year1, first, 1), _month_end(year2, last)
    if end < start:
        return None
    return Period(start, end, f"between {month_label(start, today)} and {month_label(end, today)}")


def _since_date(match: re.Match[str], today: date, payday: PaydaySource) -> Period | None:
    start = _date_of(match, "", today) if match["day"] or match["dayb"] else _numeric_date(match, today)
    if start is None or start > today:
        return None
    return Period(start, today, f"since {day_label(start, today)}")


def _since_day(match: re.Match[str], today: date, payday: PaydaySource) -> Period | None:
    day = int(match["day"])
    start = _safe_date(today.year, today.month, day)
    if start is None or start > today:
        previous = _add_months(date(today.year, today.month, 1), -1)
        start = _safe_date(previous.year, previous.month, day)
    if start is None:
        return None
    return Period(start, today, f"since {day_label(start, today)}")


def _since_weekday(match: re.Match[str], today: date, payday: PaydaySource) -> Period | None:
    back = (today.weekday() - WEEKDAYS[match["weekday"]]) % 7 or 7  # "since Monday" on a Monday: a week ago
    start = today - timedelta(days=back)
    return Period(start, today, f"since {match['weekday'].capitalize()} {day_label(start, today)}")


def _since_month(match: re.Match[str], today: date, payday: PaydaySource) -> Period | None:
    month = MONTHS[match["month"]]
    year = int(match["year"]) if match["year"] else _latest_year(month, 1, today)
    start = date(year, month, 1)
    if start > today:
        return None
    return Period(start, today, f"since {month_label(start, today, always_year=True)}")


def _last_n(match: re.Match[str], today: date, payday: PaydaySource) -> Period | None:
    count_text = match["count"]
    count = int(count_text) if count_text.isdigit() else NUMBER_WORDS[count_text]
    unit = match["unit"].rstrip("s")
    unit = {"wk": "week", "mth": "month", "yr": "year"}.get(unit, unit)
    if not 1 <= count <= 3660 // {"day": 1, "week": 7, "month": 30, "year": 365}[unit]:
        return None
    if unit in ("day", "week"):
        start = today - timedelta(days=count * (7 if unit == "week" else 1) - 1)
    else:
        start = _add_months(today, -count * (12 if unit == "year" else 1)) + timedelta(days=1)
    plural = unit if count == 1 else f"{unit}s"
    label = f"in the last {unit}" if count == 1 else f"in the last {count} {plural}"
    return Period(start, today, label)


def _last_few_days(match: re.Match[str], today: date, payday: PaydaySource) -> Period | None:
    return Period(today - timedelta(days=FEW_DAYS - 1), today, "in the last few days")


def _named(match: re.Match[str], today: date, payday: PaydaySource) -> Period | None:
    words = match["named"].split()
    if words[0] in ("today", "tonight") or words[:2] == ["this", "morning"]:
        return Period(today, today, "today")
    if words[0] == "yesterday":
        yesterday = today - timedelta(days=1)
        return Period(yesterday, yesterday, "yesterday")
    if words[0] in ("ytd", "year") or words[-2:] == ["calendar", "year"]:
        return Period(date(today.year, 1, 1), today, "this year")
    unit = words[-1]
    this = words[0] in ("this", "so")
    if "past" in words or words[0] == "the":  # "the past month": the month that ends today
        return _rolling(unit, today)
    if unit == "week":
        monday = today - timedelta(days=today.weekday())
        if this:
            return Period(monday, today, "this week")
        return Period(monday - timedelta(days=7), monday - timedelta(days=1), "last week")
    if unit == "weekend":
        saturday = today - timedelta(days=(today.weekday() - 5) % 7)
        if this:
            return Period(saturday, min(today, saturday + timedelta(days=1)), "this weekend")
        if today.weekday() >= 5:
            saturday -= timedelta(days=7)
        return Period(saturday, saturday + timedelta(days=1), "last weekend")
    if unit == "month":
        first = date(today.year, today.month, 1)
        if this:
            return Period(first, today, "this month")
        start = _add_months(first, -1)
        return Period(start, first - timedelta(days=1), f"in {month_label(start, today, always_year=True)}")
    if this:
        return Period(date(today.year, 1, 1), today, "this year")
    return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31), f"in {today.year - 1}")


def _since_start(match: re.Match[str], today: date, payday: PaydaySource) -> Period | None:
    unit = match["unit"]
    if unit == "week":
        return Period(today - timedelta(days=today.weekday()), today, "this week")
    if unit == "month":
        return Period(date(today.year, today.month, 1), today, "this month")
    return Period(date(today.year, 1, 1), today, "this year")


def _rolling(unit: str, today: date) -> Period:
    """The week, month or year that ends today ("the past month")."""
    if unit in ("week", "weekend"):
        return Period(today - timedelta(days=6), today, "in the last week")
    months = 1 if unit == "month" else 12
    return Period(_add_months(today, -months) + timedelta(days=1), today, f"in the last {unit}")


def _on_date(match: re.Match[str], today: date, payday: PaydaySource) -> Period | None:
    day = _date_of(match, "", today) if match["day"] or match["dayb"] else _numeric_date(match, today)
    if day is None:
        return None
    return Period(day, day, f"on {day_label(day, today)}")


def _month_year(match: re.Match[str], today: date, payday: PaydaySource) -> Period | None:
    start = date(int(match["year"]), MONTHS[match["month"]], 1)
    label = f"in {month_label(start, today, always_year=True)}"
    return Period(start, _month_end(start.year, start.month), label)


def _month_only(match: re.Match[str], today: date, payday: PaydaySource) -> Period | None:
    name = match["month"]
    if name in _AMBIGUOUS_MONTHS and not match["prep"]:
        return None  # "may I see", "march", "dec" alone are not periods
    month = MONTHS[name]
    if match["prep"] and match["prep"].strip() == "since":
        return None  # read by _since_month
    start = date(_latest_year(month, 1, today), month, 1)
    end = _month_end(start.year, start.month)
    return Period(start, end, f"in {month_label(start, today, always_year=True)}")


def _year_only(match: re.Match[str], today: date, payday: PaydaySource) -> Period | None:
    year = int(match["year"])
    if year == today.year:
        return Period(date(year, 1, 1), today, "this year")
    return Period(date(year, 1, 1), date(year, 12, 31), f"in {year}")


# Most specific first: "between 1 and 15 March" before "15 March", "March 2026" before "March".
_READERS: tuple[tuple[re.Pattern[str], Reader], ...] = (
    (_PAYDAY, _since_payday),
    (_BETWEEN_DATES, _between_dates),
    (_BETWEEN_DAYS, _between_days),
    (_DAY_RANGE, _between_days),
    (_BETWEEN_MONTHS, _between_months),
    (_SINCE_START, _since_start),
    (_SINCE_DATE, _since_date),
    (_SINCE_DAY, _since_day),
    (_SINCE_WEEKDAY, _since_weekday),
    (_SINCE_MONTH, _since_month),
    (_LAST_FEW_DAYS, _last_few_days),
    (_LAST_N, _last_n),
    (_NAMED, _named),
    (_ON_DATE, _on_date),
    (_MONTH_YEAR, _month_year),
    (_YEAR_ONLY, _year_only),
    (_MONTH_ONLY, _month_only),
)


# -- dates and labels ------------------------------------------------------------------------------


def day_label(day: date, today: date) -> str:
    """ "3 March", or "3 March 2025" when not in ``today``'s year."""
    text = f"{day.day} {calendar.month_name[day.month]}"
    return text if day.year == today.year else f"{text} {day.year}"


def month_label(first: date, today: date, always_year: bool = False) -> str:
    """ "March", or "March 2025" when not in ``today``'s year (or ``always_year``)."""
    name = calendar.month_name[first.month]
    return f"{name} {first.year}" if always_year or first.year != today.year else name


def _day_month_parts(match: re.Match[str], suffix: str) -> tuple[int, int, int | None]:
    """Day, month and year (None when not written) of a ``_day_month`` group."""
    groups = match.groupdict()
    day_text = groups.get(f"day{suffix}") or groups[f"day{suffix}b"]
    month_text = groups.get(f"month{suffix}") or groups[f"month{suffix}b"]
    year_text = groups.get(f"year{suffix}")
    return int(day_text), MONTHS[month_text], int(year_text) if year_text else None


def _date_of(match: re.Match[str], suffix: str, today: date) -> date | None:
    """The date of a ``_day_month`` group; without a year, the latest one not after today."""
    day, month, year = _day_month_parts(match, suffix)
    return _safe_date(year if year is not None else _latest_year(month, day, today), month, day)


def _numeric_date(match: re.Match[str], today: date) -> date | None:
    """ "3/11" or "3/11/2026": day first, as in the UK."""
    day, month = int(match["nday"]), int(match["nmonth"])
    if match["nyear"]:
        year = int(match["nyear"])
        return _safe_date(year + 2000 if year < 100 else year, month, day)
    return _safe_date(_latest_year(month, day, today), month, day)


def _latest_year(month: int, day: int, today: date) -> int:
    """The year of the latest ``day`` of ``month`` not after today (29 Feb counts as 28)."""
    return today.year if (month, day) <= (today.month, today.day) else today.year - 1


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), kept inside a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
