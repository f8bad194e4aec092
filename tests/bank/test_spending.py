"""Spending insights and budgets on SQLite and Postgres: spending by category net of refunds
(a refund is never income), own-account transfers left out, the customer's usual from the
months their history covers, top merchants, income against spending; budgets set, changed,
removed and followed with a projection; bad budgets refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from bank.budgets import BudgetStore
from bank.enums import (
    AccountKind,
    Category,
    CreditBand,
    EmploymentStatus,
    TransactionKind,
    TransactionStatus,
)
from bank.errors import InvalidBudget, NotABudgetCategory, UnknownBudget, UnknownCustomer
from bank.models import Account, Customer, Transaction
from bank.periods import Period
from bank.spending import previous_periods, spending_summary
from bank.store import ProfileStore
from database.engine import session_factory

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30), "in November 2026")
Row = tuple[date, str, Category, TransactionKind, str] | tuple[date, str, Category, TransactionKind, str, str]


@pytest.fixture
def customer(store: ProfileStore, profile_engine: Engine) -> Callable[[list[Row]], str]:
    """A new customer with a current account holding the given transactions."""
    sessions = session_factory(profile_engine)
    made = 0

    def make(rows: list[Row]) -> str:
        nonlocal made
        made += 1
        customer_id, account_id = f"cus_spend_{made}", f"acc_spend_{made}"
        with sessions.begin() as session:
            session.add(Customer(id=customer_id, first_name="Sam", birth_year=1990, country_of_residence="GB",
                                 credit_band=CreditBand.B, annual_income=Decimal(30000),
                                 employment_status=EmploymentStatus.EMPLOYED))
            session.flush()
            session.add(Account(id=account_id, customer_id=customer_id, kind=AccountKind.CURRENT,
                                name="Current", masked_number="****0001", balance=Decimal(0),
                                credit_limit=None))
            session.flush()
            for n, (day, amount, category, kind, description, *status) in enumerate(rows):
                session.add(Transaction(
                    id=f"txn_spend_{made}_{n}", account_id=account_id,
                    booked_at=datetime.combine(day, time(12), tzinfo=UTC), amount=Decimal(amount),
                    description=description, category=category, kind=kind,
                    status=TransactionStatus(status[0]) if status else TransactionStatus.BOOKED))
        return customer_id

    return make


def test_spending_by_category_net_of_refunds_without_own_transfers(
    customer: Callable[[list[Row]], str], profile_engine: Engine
) -> None:
    card, debit = TransactionKind.CARD_PAYMENT, TransactionKind.DIRECT_DEBIT
    rows: list[Row] = [
        (date(2026, 11, 3), "-60.00", Category.GROCERIES, card, "TESCO"),
        (date(2026, 11, 9), "-40.00", Category.GROCERIES, card, "TESCO"),
        (date(2026, 11, 10), "-120.00", Category.SHOPPING, card, "ZARA"),
        (date(2026, 11, 12), "30.00", Category.SHOPPING, card, "ZARA"),  # a refund
        (date(2026, 11, 15), "-500.00", Category.TRANSFER, TransactionKind.TRANSFER, "To savings"),
        (date(2026, 11, 25), "2000.00", Category.SALARY, TransactionKind.BANK_TRANSFER_IN, "ACME PAYROLL"),
        (date(2026, 11, 26), "-80.00", Category.UTILITIES, debit, "OCTOPUS ENERGY"),
        (date(2026, 11, 27), "-999.00", Category.SHOPPING, card, "DECLINED SHOP", "declined"),
        (date(2026, 10, 5), "-70.00", Category.GROCERIES, card, "TESCO"),
        (date(2026, 9, 5), "-90.00", Category.GROCERIES, card, "TESCO"),
    ]
    summary = spending_summary(session_factory(profile_engine)(), customer(rows), NOVEMBER)
    spent = {c.category: c.spent for c in summary.categories}
    assert spent[Category.GROCERIES] == Decimal("100.00") and spent[Category.SHOPPING] == Decimal("90.00")
    assert Category.TRANSFER not in spent, "a move to the customer's own savings is not spending"
    assert summary.spent == Decimal("270.00") and summary.income == Decimal("2000.00")
    assert summary.kept == Decimal("1730.00"), "the refund is not income"
    assert [m.name for m in summary.merchants][:2] == ["TESCO", "ZARA"]
    assert summary.merchants[0].payments == 2
    # The history starts on 5 September: October is covered, September is not, so "usual" is
    # October's alone.
    assert summary.usual_periods == 1
    usual = {c.category: c.usual for c in summary.categories}
    assert usual[Category.GROCERIES] == Decimal("70.00") and summary.usual_total == Decimal("70.00")


def test_no_history_only_income_and_unknown_customers(
    customer: Callable[[list[Row]], str], profile_engine: Engine
) -> None:
    session = session_factory(profile_engine)()
    empty = spending_summary(session, customer([]), NOVEMBER)
    assert (empty.categories, empty.spent, empty.income, empty.usual_total, empty.history_start) == (
        (), Decimal("0.00"), Decimal("0.00"), None, None)
    salary: Row = (date(2026, 11, 25), "1500", Category.SALARY, TransactionKind.BANK_TRANSFER_IN, "PAY")
    only_income = spending_summary(session, customer([salary]), NOVEMBER)
    assert only_income.spent == 0 and only_income.income == Decimal("1500.00")
    assert only_income.categories == ()
    with pytest.raises(UnknownCustomer):
        spending_summary(session, "cus_nobody", NOVEMBER)


def test_usual_is_the_same_days_of_the_months_before() -> None:
    so_far = Period(date(2026, 12, 1), date(2026, 12, 7), "this month")
    assert [(p.start, p.end) for p in previous_periods(so_far)] == [
        (date(2026, 11, 1), date(2026, 11, 7)), (date(2026, 10, 1), date(2026, 10, 7)),
        (date(2026, 9, 1), date(2026, 9, 7))]
    march_31 = Period(date(2026, 3, 1), date(2026, 3, 31), "in March 2026")
    assert previous_periods(march_31, 1)[0].end == date(2026, 2, 28)
    weeks = Period(date(2026, 12, 3), date(2026, 12, 16), "the last two weeks")
    assert previous_periods(weeks, 1)[0] == Period(date(2026, 11, 19), date(2026, 12, 2), "14 days earlier")


def test_budgets_are_set_changed_followed_and_removed(
    customer: Callable[[list[Row]], str], profile_engine: Engine
) -> None:
    card = TransactionKind.CARD_PAYMENT
    sam = customer([
        (date(2026, 12, 2), "-30.00", Category.EATING_OUT, card, "PRET"),
        (date(2026, 12, 5), "-60.00", Category.EATING_OUT, card, "NANDOS"),
        (date(2026, 12, 6), "20.00", Category.EATING_OUT, card, "NANDOS"),  # refunded in part
    ])
    budgets = BudgetStore(session_factory(profile_engine))
    assert budgets.progress(sam, date(2026, 12, 10)) == []
    budgets.set_budget(sam, "eating_out", Decimal("100.00"))
    budgets.set_budget(sam, Category.EATING_OUT, Decimal("150.00"))
    budgets.set_budget(sam, Category.GROCERIES, Decimal("200"))
    assert [(b.category, b.monthly_limit) for b in budgets.budgets(sam)] == [
        (Category.EATING_OUT, Decimal("150.00")), (Category.GROCERIES, Decimal("200.00"))]
    eating, groceries = budgets.progress(sam, date(2026, 12, 10))
    assert (eating.spent, eating.left, eating.days_gone, eating.days_in_month) == (
        Decimal("70.00"), Decimal("80.00"), 10, 31)
    assert eating.projected == Decimal("217.00") and eating.projected_over == Decimal("67.00")
    assert groceries.spent == 0 and groceries.projected_over == 0
    assert budgets.remove_budget(sam, "groceries") == 1
    with pytest.raises(UnknownBudget):
        budgets.remove_budget(sam, Category.GROCERIES)
    assert budgets.remove_budget(sam) == 1 and budgets.budgets(sam) == []


@pytest.mark.parametrize(
    ("category", "amount", "error"),
    [
        ("eating_out", "0", InvalidBudget),
        ("eating_out", "-5", InvalidBudget),
        ("eating_out", "1000000000", InvalidBudget),
        ("eating_out", "10.001", InvalidBudget),
        ("eating_out", "NaN", InvalidBudget),
        ("salary", "100", NotABudgetCategory),
        ("unicorns", "100", NotABudgetCategory),
        ("x' OR 1=1 --", "100", NotABudgetCategory),
    ],
)
def test_bad_budgets_are_refused(
    store: ProfileStore, profile_engine: Engine, category: str, amount: str, error: type[Exception]
) -> None:
    budgets = BudgetStore(session_factory(profile_engine))
    with pytest.raises(error):
        budgets.set_budget("cus_001", category, Decimal(amount))
    assert budgets.budgets("cus_001") == []
