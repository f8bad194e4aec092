"""Parsing what customers type: amounts, durations, risk levels and goal types."""

from decimal import Decimal

import pytest

from assistant.actions.parsing import (
    ParseError,
    is_negative_amount,
    parse_amount,
    parse_duration,
    parse_goal_type,
    parse_risk_level,
    words_to_number,
)
from bank.enums import GoalType, RiskTolerance


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£250", "250.00"),
        ("250 pounds", "250.00"),
        ("1,200.50", "1200.50"),
        ("£1,200.50", "1200.50"),
        ("75 quid", "75.00"),
        ("£99.99", "99.99"),
        ("10k", "10000.00"),
        ("£1.5k", "1500.00"),
        ("2 grand", "2000.00"),
        ("two hundred", "200.00"),
        ("two hundred and fifty pounds", "250.00"),
        ("a hundred", "100.00"),
        ("make it £300 a month", "300.00"),
        ("£40 to <PERSON_1>", "40.00"),
        ("GBP 75", "75.00"),
        ("$40", "40.00"),
        ("1,000,000", "1000000.00"),
    ],
)
def test_parse_amount_reads_amounts(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("£0", "not_positive"),
        ("0.00", "not_positive"),
        ("-50", "not_positive"),
        ("minus 20", "not_positive"),
        ("£-30", "not_positive"),
        ("12.345", "too_many_decimals"),
        ("£0.001", "too_many_decimals"),
        ("1,20", "unclear"),
        ("12,34,567", "unclear"),
        ("some money", "missing"),
        ("", "missing"),
        ("a", "missing"),
        ("5,000,000,000", "too_large"),
        ("<PERSON_1>", "missing"),
        ("<ACCOUNT_NUMBER_12>", "missing"),
    ],
)
def test_parse_amount_rejects_bad_amounts(text: str, code: str) -> None:
    with pytest.raises(ParseError) as error:
        parse_amount(text)
    assert error.value.code == code


def test_parse_amount_allows_zero_when_asked() -> None:
    assert parse_amount("0", allow_zero=True) == Decimal("0.00")
    with pytest.raises(ParseError):
        parse_amount("-1", allow_zero=True)


@pytest.mark.parametrize(
    ("text", "negative"),
    [("-50", True), ("move -£20 please", True), ("minus 5", True), ("£50", False), ("50-60", False)],
)
def test_is_negative_amount(text: str, negative: bool) -> None:
    assert is_negative_amount(text) is negative


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("5 years", 60),
        ("18 months", 18),
        ("two years", 24),
        ("a year", 12),
        ("eighteen months", 18),
        ("a decade", 120),
        ("1.5 years", 18),
        ("5 yrs", 60),
        ("3 weeks", 1),
        ("10 weeks", 3),
        ("a year and a half", 18),
        ("two and a half years", 30),
        ("half a year", 6),
        ("next year", 12),
        ("2 years and 6 months", 30),
        ("twenty five years", 300),
        ("actually make it 5 years", 60),
        ("in 3 years time", 36),
    ],
)
def test_parse_duration_reads_time_frames(text: str, months: int) -> None:
    assert parse_duration(text) == months


@pytest.mark.parametrize(
    ("text", "code"),
    [("soon", "missing"), ("", "missing"), ("0 months", "out_of_range"), ("60 years", "out_of_range"),
     ("<NUMBER_3> months", "missing")],
)
def test_parse_duration_rejects_bad_time_frames(text: str, code: str) -> None:
    with pytest.raises(ParseError) as error:
        parse_duration(text)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("low", RiskTolerance.LOW),
        ("I'm quite cautious", RiskTolerance.LOW),
        ("play it safe", RiskTolerance.LOW),
        ("Medium please", RiskTolerance.MEDIUM),
        ("something balanced", RiskTolerance.MEDIUM),
        ("HIGH", RiskTolerance.HIGH),
        ("I'm adventurous", RiskTolerance.HIGH),
    ],
)
def test_parse_risk_level(text: str, level: RiskTolerance) -> None:
    assert parse_risk_level(text) == level


@pytest.mark.parametrize(("text", "code"), [("no idea", "missing"), ("low or high", "unclear")])
def test_parse_risk_level_rejects(text: str, code: str) -> None:
    with pytest.raises(ParseError) as error:
        parse_risk_level(text)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("save", GoalType.SAVE),
        ("put money aside", GoalType.SAVE),
        ("a loan", GoalType.BORROW),
        ("borrowing", GoalType.BORROW),
        ("investing", GoalType.INVEST),
        ("insurance", GoalType.PROTECT),
        ("protect my family", GoalType.PROTECT),
    ],
)
def test_parse_goal_type(text: str, goal: GoalType) -> None:
    assert parse_goal_type(text) == goal


def test_parse_goal_type_rejects_unknown() -> None:
    with pytest.raises(ParseError):
        parse_goal_type("a holiday")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("seven", 7),
        ("twenty one", 21),
        ("two hundred and five", 205),
        ("three thousand", 3000),
        ("one million two hundred thousand", 1_200_000),
        ("banana", None),
    ],
)
def test_words_to_number(text: str, number: int | None) -> None:
    assert words_to_number(text) == number
