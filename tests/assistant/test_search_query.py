"""Reading customers' questions about their transactions into search queries (pure: no store)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from assistant.actions.search_query import (
    SearchRequest,
    category_of,
    next_page,
    query_from_slot,
    query_to_slot,
    read_query,
)
from bank.enums import Category
from bank.periods import PaydayUnknown, Period
from bank.search import Direction

TODAY = date(2026, 12, 7)
PAYDAY = date(2026, 11, 25)
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30), "in November 2026")
JANUARY = Period(date(2026, 1, 1), date(2026, 1, 31), "in January 2026")
OUT, IN, BOTH = Direction.OUT, Direction.IN, Direction.BOTH


def read(text: str, entities: list[dict[str, Any]] | None = None) -> SearchRequest:
    return read_query(text, today=TODAY, entities=entities or [], payday=PAYDAY)


# (message, name, category, period label, direction)
QUESTIONS = [
    ("how much did I spend at Tesco last month", "tesco", None, "in November 2026", OUT),
    ("show my Uber payments since payday", "uber", None, "since payday (25 November)", OUT),
    ("what did I spend on groceries in January", None, Category.GROCERIES, "in January 2026", OUT),
    ("how much did I earn in January", None, Category.SALARY, "in January 2026", IN),
    ("payments to Latisha", "latisha", None, None, OUT),
    ("all transactions over £100 this year", None, None, "this year", BOTH),
    ("How much did I spend at TESCO in November 2026?", "tesco", None, "in November 2026", OUT),
    ("what did I spend in Sainsbury's yesterday", "sainsbury's", None, "yesterday", OUT),
    ("did I pay Thames Water in November", "thames water", None, "in November 2026", OUT),
    ("my netflix direct debit", "netflix", None, None, OUT),
    ("tesco spending this week", "tesco", None, "this week", OUT),
    ("refunds from amazon", "amazon", None, None, IN),
    ("how much came in last month", None, None, "in November 2026", IN),
    ("how much did I get paid this year", None, Category.SALARY, "this year", IN),
    ("how much have I spent on eating out since the 1st", None, Category.EATING_OUT, "since 1 December", OUT),
    ("coffee spending this week", None, Category.EATING_OUT, "this week", OUT),
    ("what did my bills come to last month", None, Category.UTILITIES, "in November 2026", OUT),
    ("money in and out last month", None, None, "in November 2026", BOTH),
    ("show me transactions with Amazon", "amazon", None, None, BOTH),
    ("what did I spend at Pret this week? 🙂", "pret", None, "this week", OUT),
]


@pytest.mark.parametrize(("text", "name", "category", "period", "direction"), QUESTIONS)
def test_questions(
    text: str, name: str | None, category: Category | None, period: str | None, direction: Direction
) -> None:
    query = read(text).query
    assert query.text == name
    assert query.category == category
    assert (query.period.label if query.period else None) == period
    assert query.direction == direction
    assert query.page == 1


def test_spending_and_earning_leave_out_moves_between_own_accounts() -> None:
    assert read("how much did I spend last month").query.exclude_own_transfers
    assert read("how much did I earn last month").query.exclude_own_transfers
    assert not read("all my transactions last month").query.exclude_own_transfers
    assert not read("how much did I spend on transfers").query.exclude_own_transfers


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("all transactions over £100 this year", Decimal("100.00"), None),
        ("payments of more than 1,250.50 pounds", Decimal("1250.50"), None),
        ("show me everything I spent over 50 quid last month", Decimal("50.00"), None),
        ("transactions under £20", None, Decimal("20.00")),
        ("payments between £10 and £50 since 3 March", Decimal("10.00"), Decimal("50.00")),
        ("at least £1k", Decimal("1000.00"), None),
        ("between 1 and 15 March", None, None),  # days, not pounds
        ("over the last 3 months", None, None),
    ],
)
def test_amount_bounds(text: str, low: Decimal | None, high: Decimal | None) -> None:
    query = read(text).query
    assert (query.min_amount, query.max_amount) == (low, high)


@pytest.mark.parametrize(
    ("text", "account"),
    [
        ("how much did I spend on my credit card last month", "credit card"),
        ("transactions on my savings", "savings"),
        ("what went out of my current account", "current account"),
        ("show my card payments", None),  # a card payment names no account
    ],
)
def test_an_account_written_in_the_question(text: str, account: str | None) -> None:
    request = read(text)
    assert request.account == account and request.query.text is None


def test_spending_on_a_credit_card_is_money_out() -> None:
    assert read("how much did I spend on my credit card").query.direction == OUT


@pytest.mark.parametrize(
    "text",
    [
        "payments to <PERSON_1>",
        "how much did I send <PERSON_1> last month",
        "what did I pay <ORGANIZATION_2>",
    ],
)
def test_a_redacted_name_cannot_be_searched_and_says_so(text: str) -> None:
    request = read(text)
    assert request.hidden_name and request.query.text is None
    assert request.query.direction == OUT


def test_placeholders_are_no_numbers_or_dates() -> None:
    query = read("payments over £100 to <PERSON_12> since <DATE_3>").query
    assert query.min_amount == Decimal("100.00") and query.period is None


def test_rasa_entities_come_first() -> None:
    request = read(
        "how much at tesco",
        [{"entity": "date", "value": "last month"}, {"entity": "account_type", "value": "current"}],
    )
    assert request.query.text == "tesco" and request.query.period == NOVEMBER
    assert request.account == "current"


@pytest.mark.parametrize(
    "text", ["", "   ", "🙂🙂🙂", "x" * 5000, "<PERSON_1>", "?!?!", "£" * 5000, "since " * 1000]
)
def test_bad_input_reads_as_a_plain_query(text: str) -> None:
    query = read(text).query
    assert query.text is None and query.category is None and query.period is None


def test_a_long_message_is_read_from_its_start_only() -> None:
    query = read("how much did I spend at Tesco last month " + "blah " * 2000 + "in January").query
    assert query.text == "tesco" and query.period == NOVEMBER


def test_since_payday_without_a_salary() -> None:
    with pytest.raises(PaydayUnknown):
        read_query("what have I spent since payday", today=TODAY, payday=lambda: None)


@pytest.mark.parametrize(
    ("phrase", "category"),
    [
        ("groceries", Category.GROCERIES),
        ("Eating out", Category.EATING_OUT),
        ("eating_out", Category.EATING_OUT),
        ("bills", Category.UTILITIES),
        ("the tube", Category.TRANSPORT),
        ("my rent", Category.RENT),
        ("tesco", None),
        ("", None),
    ],
)
def test_category_of(phrase: str, category: Category | None) -> None:
    assert category_of(phrase) == category


def test_the_query_survives_a_slot_and_moves_a_page_on() -> None:
    request = read("how much did I spend at Tesco between £10 and £50 last month")
    saved = query_to_slot(request, "acc_001_current")
    restored = query_from_slot(saved)
    assert restored is not None
    assert restored.query == replace(request.query, account_id="acc_001_current")
    assert restored.name_preposition == "at" and not restored.hidden_name
    assert next_page(restored.query).page == 2


@pytest.mark.parametrize(
    "value",
    [None, "tesco", 3, [], {"period": ["not a date", "x", "y"]}, {"direction": "sideways"},
     {"min_amount": "lots"}, {"category": "caviar"}, {"page": "two"}],
)
def test_an_unreadable_slot_is_no_query(value: object) -> None:
    assert query_from_slot(value) is None
