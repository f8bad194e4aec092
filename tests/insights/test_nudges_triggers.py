"""The three triggers on hand-made facts, bad input included."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bank.enums import AccountKind, Category, Frequency, TransactionKind
from insights.nudges.triggers import add_month, idle_cash, salary_arrived, shortfall_before_bill
from tests.insights.nudge_factories import (
    NOW,
    account,
    everyday_spending,
    facts,
    salary,
    standing_order,
    txn,
)

UK = ZoneInfo("Europe/London")
TODAY = NOW.astimezone(UK).date()


# -- salary arrived ----------------------------------------------------------------------------


def test_a_salary_booked_today_is_found() -> None:
    found = salary_arrived(facts([account("100")], [salary(0.1), salary(30)]), NOW, UK)
    assert found is not None and found.amount == Decimal("2500.00")
    assert found.booked_at.astimezone(UK).date() == TODAY


def test_yesterdays_salary_or_none_is_not_today() -> None:
    assert salary_arrived(facts([account("100")], [salary(1)]), NOW, UK) is None
    assert salary_arrived(facts([account("100")], []), NOW, UK) is None


def test_a_salary_into_a_euro_account_or_a_refund_is_not_a_salary_nudge() -> None:
    euro = account("100", "acc_eur", currency="EUR")
    assert salary_arrived(facts([euro], [salary(0.1, account_id="acc_eur")]), NOW, UK) is None
    refund = txn(0.1, "40.00", "ZARA REFUND", Category.SHOPPING)
    assert salary_arrived(facts([account("100")], [refund]), NOW, UK) is None


# -- shortfall before a bill -------------------------------------------------------------------


def test_a_standing_order_the_balance_cannot_cover_is_found_with_its_figures() -> None:
    order = standing_order(TODAY + timedelta(days=5), "900.00")
    # 1000 - 5 days at 19.57 (90 days of £20 over 92 days) - 900 = 2.17: covered.
    assert (
        shortfall_before_bill(facts([account("1000")], everyday_spending("20.00"), [order]), NOW, UK, 14)
        is None
    )
    order = standing_order(TODAY + timedelta(days=5), "950.00")
    found = shortfall_before_bill(facts([account("1000")], everyday_spending("20.00"), [order]), NOW, UK, 14)
    assert found is not None
    assert found.bill.key == "so_rent" and found.days == 5
    assert found.daily_spend.quantize(Decimal("0.01")) == Decimal("19.57")
    assert found.short_by.quantize(Decimal("0.01")) == Decimal("47.83")


def test_a_covered_bill_or_one_beyond_the_horizon_finds_nothing() -> None:
    near = standing_order(TODAY + timedelta(days=3), "100.00")
    assert (
        shortfall_before_bill(facts([account("1000")], everyday_spending("20.00"), [near]), NOW, UK, 14)
        is None
    )
    far = standing_order(TODAY + timedelta(days=20), "5000.00")
    assert shortfall_before_bill(facts([account("1000")], [], [far]), NOW, UK, 14) is None


def test_a_direct_debit_seen_in_two_months_is_expected_again() -> None:
    debits = [
        txn(days, "-120.00", "DD OCTOPUS ENERGY 0041", Category.UTILITIES, TransactionKind.DIRECT_DEBIT)
        for days in (58, 28)
    ]  # 13 April and 13 May: next on 13 June
    found = shortfall_before_bill(facts([account("50")], debits), NOW, UK, 14)
    assert found is not None
    assert found.bill.name == "DD OCTOPUS ENERGY" and found.bill.due == add_month(
        (NOW - timedelta(days=28)).date()
    )
    assert found.bill.amount == Decimal("120.00")


def test_a_direct_debit_seen_once_is_not_a_known_bill() -> None:
    once = [txn(28, "-120.00", "DD GYM", Category.OTHER, TransactionKind.DIRECT_DEBIT)]
    assert shortfall_before_bill(facts([account("50")], once), NOW, UK, 14) is None


def test_a_salary_expected_before_the_bill_counts() -> None:
    order = standing_order(TODAY + timedelta(days=10), "900.00")
    history = [salary(25)]  # a month after: in 5 days, before the bill
    found = shortfall_before_bill(facts([account("400")], history, [order]), NOW, UK, 14)
    assert found is None


def test_weekly_orders_repeat_within_the_horizon() -> None:
    order = standing_order(TODAY + timedelta(days=1), "100.00", Frequency.WEEKLY)
    assert shortfall_before_bill(facts([account("250")], [], [order]), NOW, UK, 14) is None  # 2 x £100
    found = shortfall_before_bill(facts([account("150")], [], [order]), NOW, UK, 14)
    assert found is not None and found.bill.due == TODAY + timedelta(days=8) and found.bills_before == 100


def test_negative_balance_no_transactions_only_income_and_foreign_currency() -> None:
    order = standing_order(TODAY + timedelta(days=2), "10.00")
    overdrawn = shortfall_before_bill(facts([account("-50")], [], [order]), NOW, UK, 14)
    assert overdrawn is not None and overdrawn.short_by == Decimal("60.00")
    assert shortfall_before_bill(facts([account("-50")], []), NOW, UK, 14) is None  # no bill, no nudge
    assert shortfall_before_bill(facts([], []), NOW, UK, 14) is None  # no accounts at all
    only_income = facts([account("3000")], [salary(d) for d in (1, 31, 61)])
    assert shortfall_before_bill(only_income, NOW, UK, 14) is None
    euro_order = standing_order(TODAY + timedelta(days=2), "500.00", account_id="acc_eur")
    euro = account("10", "acc_eur", currency="EUR")
    assert shortfall_before_bill(facts([euro], [], [euro_order]), NOW, UK, 14) is None


def test_a_card_payment_in_euros_counts_in_pounds() -> None:
    order = standing_order(TODAY + timedelta(days=10), "500.00")
    abroad = [
        txn(d + 0.5, "-30.00", "CAFE DE FLORE", Category.EATING_OUT, original_currency="EUR")
        for d in range(92)
    ]
    found = shortfall_before_bill(facts([account("700")], abroad, [order]), NOW, UK, 14)
    assert found is not None and found.daily_spend == Decimal("30")  # the pound amount, not the euro one


# -- idle cash ---------------------------------------------------------------------------------


def test_cash_above_a_months_outgoings_for_the_whole_window_is_idle() -> None:
    found = idle_cash(facts([account("8000")], everyday_spending("20.00")), NOW, UK, 30, Decimal(1000))
    assert found is not None
    # lowest balance 8000 (spending only lowers it), buffer a month of £20 a day less the 2 quiet days
    assert found.buffer == Decimal("587") and found.amount == Decimal("7410")


def test_a_dip_in_the_window_lowers_the_idle_amount() -> None:
    moved = [
        txn(10, "-6000.00", "TO MY ISA", Category.TRANSFER, TransactionKind.TRANSFER),
        txn(5, "6000.00", "FROM MY ISA", Category.TRANSFER, TransactionKind.TRANSFER),
    ]
    found = idle_cash(
        facts([account("8000")], everyday_spending("20.00") + moved), NOW, UK, 30, Decimal(1000)
    )
    assert found is not None and Decimal(2000) < found.lowest_balance < Decimal(2200)
    assert found.amount == ((found.lowest_balance - Decimal(587)) // 10) * 10


def test_no_idle_cash_on_bad_input() -> None:
    assert idle_cash(facts([account("-300")], []), NOW, UK, 30, Decimal(1000)) is None
    assert idle_cash(facts([account("0")], []), NOW, UK, 30, Decimal(1000)) is None
    assert idle_cash(facts([], []), NOW, UK, 30, Decimal(1000)) is None
    euro = account("90000", "acc_eur", currency="EUR")
    assert idle_cash(facts([euro], []), NOW, UK, 30, Decimal(1000)) is None
    savings = account("90000", "acc_sav", kind=AccountKind.SAVINGS)
    assert idle_cash(facts([savings], []), NOW, UK, 30, Decimal(1000)) is None
    new = facts([account("9000")], [], opened=NOW - timedelta(days=3))
    assert idle_cash(new, NOW, UK, 30, Decimal(1000)) is None
    short_history = facts([account("9000")], [], lookback_days=10)
    assert idle_cash(short_history, NOW, UK, 30, Decimal(1000)) is None


def test_cash_that_arrived_inside_the_window_is_not_idle() -> None:
    history = everyday_spending("5.00") + [salary(3, "7000.00")]
    assert idle_cash(facts([account("7500")], history), NOW, UK, 30, Decimal(1000)) is None
