"""Periods customers write, read into ranges of days relative to a given today."""

from datetime import date

import pytest

from bank.periods import PaydayUnknown, Period, find_period, parse_period

TODAY = date(2026, 12, 7)  # a Monday
PAYDAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("last month", date(2026, 11, 1), date(2026, 11, 30), "in November 2026"),
        ("this month", date(2026, 12, 1), TODAY, "this month"),
        ("in January", date(2026, 1, 1), date(2026, 1, 31), "in January 2026"),
        ("January 2026", date(2026, 1, 1), date(2026, 1, 31), "in January 2026"),
        ("in Jan 2025", date(2025, 1, 1), date(2025, 1, 31), "in January 2025"),
        ("last week", date(2026, 11, 30), date(2026, 12, 6), "last week"),
        ("this week", date(2026, 12, 7), TODAY, "this week"),
        ("this year", date(2026, 1, 1), TODAY, "this year"),
        ("last year", date(2025, 1, 1), date(2025, 12, 31), "in 2025"),
        ("last 30 days", date(2026, 11, 8), TODAY, "in the last 30 days"),
        ("over the past 7 days", date(2026, 12, 1), TODAY, "in the last 7 days"),
        ("in the last 3 months", date(2026, 9, 8), TODAY, "in the last 3 months"),
        ("the last two weeks", date(2026, 11, 24), TODAY, "in the last 2 weeks"),
        ("the last few days", date(2026, 12, 1), TODAY, "in the last few days"),
        ("the past month", date(2026, 11, 8), TODAY, "in the last month"),
        ("since payday", PAYDAY, TODAY, "since payday (25 November)"),
        ("since I got paid", PAYDAY, TODAY, "since payday (25 November)"),
        ("since my last payday", PAYDAY, TODAY, "since payday (25 November)"),
        ("yesterday", date(2026, 12, 6), date(2026, 12, 6), "yesterday"),
        ("today", TODAY, TODAY, "today"),
        ("since 3 March", date(2026, 3, 3), TODAY, "since 3 March"),
        ("since March 3rd", date(2026, 3, 3), TODAY, "since 3 March"),
        ("since the 3rd of March 2025", date(2025, 3, 3), TODAY, "since 3 March 2025"),
        ("since 25/11", date(2026, 11, 25), TODAY, "since 25 November"),
        ("since the 3rd", date(2026, 12, 3), TODAY, "since 3 December"),
        ("since the 20th", date(2026, 11, 20), TODAY, "since 20 November"),
        ("since Monday", date(2026, 11, 30), TODAY, "since Monday 30 November"),
        ("since Friday", date(2026, 12, 4), TODAY, "since Friday 4 December"),
        ("since March", date(2026, 3, 1), TODAY, "since March 2026"),
        ("since the start of the month", date(2026, 12, 1), TODAY, "this month"),
        ("between 1 and 15 March", date(2026, 3, 1), date(2026, 3, 15), "between 1 and 15 March"),
        ("from the 1st to the 15th of March", date(2026, 3, 1), date(2026, 3, 15), "between 1 and 15 March"),
        ("1-15 March", date(2026, 3, 1), date(2026, 3, 15), "between 1 and 15 March"),
        ("between 3 March and 4 April", date(2026, 3, 3), date(2026, 4, 4), "between 3 March and 4 April"),
        ("between March and May", date(2026, 3, 1), date(2026, 5, 31), "between March and May"),
        ("on 3 March", date(2026, 3, 3), date(2026, 3, 3), "on 3 March"),
        ("on 3/12/2026", date(2026, 12, 3), date(2026, 12, 3), "on 3 December"),
        ("in May", date(2026, 5, 1), date(2026, 5, 31), "in May 2026"),
        ("December", date(2026, 12, 1), date(2026, 12, 31), "in December 2026"),
        ("last weekend", date(2026, 12, 5), date(2026, 12, 6), "last weekend"),
        ("in 2025", date(2025, 1, 1), date(2025, 12, 31), "in 2025"),
        # inside a whole question, in any case
        ("How much at Tesco LAST MONTH?", date(2026, 11, 1), date(2026, 11, 30), "in November 2026"),
        ("show my Uber payments since payday", PAYDAY, TODAY, "since payday (25 November)"),
        ("all transactions over £100 this year", date(2026, 1, 1), TODAY, "this year"),
    ],
)
def test_periods(text: str, start: date, end: date, label: str) -> None:
    assert parse_period(text, TODAY, PAYDAY) == Period(start, end, label)


@pytest.mark.parametrize(
    ("today", "text", "start"),
    [
        (date(2026, 2, 10), "in December", date(2025, 12, 1)),  # the latest December not in the future
        (date(2026, 1, 15), "in January", date(2026, 1, 1)),  # the month we are in
        (date(2026, 1, 15), "in February", date(2025, 2, 1)),
        (date(2026, 3, 10), "between 1 and 15 March", date(2026, 3, 1)),  # started: this year's
        (date(2026, 2, 10), "between 1 and 15 March", date(2025, 3, 1)),
        (date(2026, 1, 5), "last month", date(2025, 12, 1)),
        (date(2026, 3, 31), "in the last month", date(2026, 3, 1)),  # 31 Mar - 1 month: 28 Feb, + 1 day
        (date(2026, 1, 2), "since the 20th", date(2025, 12, 20)),
        (date(2026, 12, 6), "last weekend", date(2026, 11, 28)),  # on a Sunday: not this weekend
    ],
)
def test_months_and_days_without_a_year_are_the_latest_not_in_the_future(
    today: date, text: str, start: date
) -> None:
    period = parse_period(text, today)
    assert period is not None and period.start == start and period.start <= today


@pytest.mark.parametrize(
    "text",
    [
        "",
        "how much did I spend at Tesco",
        "may I see my transactions",  # "may" is no month without "in"
        "march on",
        "31 February",  # no such day: no period, not "February"
        "since 3 March 2027",  # in the future
        "since <DATE_1>",  # a redacted date cannot be read
        "£1,200.50 at Tesco",
        "🙂🙂🙂",
        "x" * 5000,
        "since " * 1000,
        "last 0 days",
        "last 100000 days",
    ],
)
def test_no_period(text: str) -> None:
    assert parse_period(text, TODAY, PAYDAY) is None


def test_payday_may_be_looked_up_only_when_asked() -> None:
    calls: list[int] = []

    def payday() -> date:
        calls.append(1)
        return PAYDAY

    assert parse_period("last month", TODAY, payday) is not None and calls == []
    assert parse_period("since payday", TODAY, payday) == Period(PAYDAY, TODAY, "since payday (25 November)")
    assert calls == [1]


@pytest.mark.parametrize("payday", [None, lambda: None])
def test_since_payday_without_a_salary_says_so(payday: object) -> None:
    with pytest.raises(PaydayUnknown) as raised:
        parse_period("what have I spent since payday", TODAY, payday)  # type: ignore[arg-type]
    assert raised.value.code == "payday_unknown" and "since 25 November" in str(raised.value)


def test_find_period_says_where_it_is_written() -> None:
    text = "how much did I spend at Tesco last month please"
    found = find_period(text, TODAY)
    assert found is not None and text[found.start : found.end] == "last month"


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        Period(date(2026, 2, 1), date(2026, 1, 1), "backwards")
