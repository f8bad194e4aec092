"""The three triggers, as pure functions of a customer's :class:`~bank.nudge_facts.MoneyFacts`.

Only pound current accounts are read: the catalogue's products are in pounds, and a balance in
another currency is not money the customer can pay a pound bill from. A transaction's
``amount`` is in its account's currency, whatever currency the merchant charged.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bank.enums import AccountKind, Category, Frequency, TransactionKind
from bank.nudge_facts import MoneyFacts
from bank.views import AccountView, TransactionView

HOME_CURRENCY = "GBP"
# Kinds that are day-to-day spending (bills and payments to people are counted as bills or not at all).
DAY_TO_DAY = frozenset({TransactionKind.CARD_PAYMENT, TransactionKind.CASH_WITHDRAWAL, TransactionKind.OTHER})
MIN_DIRECT_DEBIT_MONTHS = 2  # a direct debit seen in this many months is expected again
ZERO = Decimal(0)


@dataclass(frozen=True)
class SalaryArrived:
    """A salary credit booked today."""

    transaction_id: str
    account_id: str
    amount: Decimal
    booked_at: datetime


@dataclass(frozen=True)
class Bill:
    """A payment expected out of a current account."""

    key: str  # a standing order id, or ``dd:`` and the direct debit's description
    name: str  # how the customer recognises it ("your standing order", "OCTOPUS ENERGY")
    due: date
    amount: Decimal  # positive


@dataclass(frozen=True)
class Shortfall:
    """The balance is expected to fall below zero by the time ``bill`` is paid."""

    account_id: str
    bill: Bill
    balance: Decimal
    daily_spend: Decimal
    days: int
    bills_before: Decimal  # other bills due first
    income_before: Decimal  # salary expected first
    projected: Decimal  # the balance just after the bill (negative)

    @property
    def short_by(self) -> Decimal:
        """How much more the account needs (positive)."""
        return -self.projected


@dataclass(frozen=True)
class IdleCash:
    """Cash that sat in a current account above a buffer for the whole window."""

    account_id: str
    lowest_balance: Decimal
    buffer: Decimal
    amount: Decimal  # what could move: the lowest balance less the buffer, in whole £10s
    days: int


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """The calendar day of ``moment`` where the customer lives."""
    return moment.astimezone(zone).date()


def current_accounts(facts: MoneyFacts) -> list[AccountView]:
    """The customer's pound current accounts."""
    return [a for a in facts.accounts if a.kind == AccountKind.CURRENT and a.currency == HOME_CURRENCY]


def _of_account(facts: MoneyFacts, account_id: str) -> list[TransactionView]:
    return [t for t in facts.transactions if t.account_id == account_id]


def salary_arrived(facts: MoneyFacts, now: datetime, zone: ZoneInfo) -> SalaryArrived | None:
    """The latest salary credit booked today (local day) into a pound account, if any."""
    today = local_day(now, zone)
    pound_accounts = {a.id for a in facts.accounts if a.currency == HOME_CURRENCY}
    found = [
        t for t in facts.transactions
        if t.category == Category.SALARY and t.amount > 0 and t.account_id in pound_accounts
        and local_day(t.booked_at, zone) == today and t.booked_at <= now
    ]
    if not found:
        return None
    latest = max(found, key=lambda t: (t.booked_at, t.id))
    return SalaryArrived(latest.id, latest.account_id, latest.amount, latest.booked_at)


def add_month(day: date) -> date:
    """The same day next month (the month's last day when it is shorter)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _payee_text(description: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^A-Za-z ]", " ", description)).strip().upper()


def expected_direct_debits(transactions: Iterable[TransactionView], zone: ZoneInfo, today: date,
                           until: date) -> list[Bill]:
    """Direct debits seen in at least two different months, expected a month after the last one."""
    by_name: dict[str, list[TransactionView]] = defaultdict(list)
    for t in transactions:
        if t.kind == TransactionKind.DIRECT_DEBIT and t.amount < 0:
            by_name[_payee_text(t.description)].append(t)
    bills = []
    for name, seen in by_name.items():
        months = {(local_day(t.booked_at, zone).year, local_day(t.booked_at, zone).month) for t in seen}
        if len(months) < MIN_DIRECT_DEBIT_MONTHS or not name:
            continue
        last = max(seen, key=lambda t: t.booked_at)
        due = add_month(local_day(last.booked_at, zone))
        if today <= due <= until:
            bills.append(Bill(f"dd:{name}", name, due, -last.amount))
    return bills


def standing_order_bills(facts: MoneyFacts, account_id: str, today: date, until: date) -> list[Bill]:
    """Each payment of the account's active standing orders due from today until ``until``."""
    bills = []
    for order in facts.standing_orders:
        if order.source_account_id != account_id:
            continue
        due = order.next_date
        while due <= until:
            if due >= today:
                bills.append(Bill(order.id, "your standing order", due, order.amount))
            due = due + timedelta(days=7) if order.frequency == Frequency.WEEKLY else add_month(due)
    return bills


def daily_spend(transactions: Sequence[TransactionView], days: int) -> Decimal:
    """Typical day-to-day spending a day: card payments, cash and other debits less refunds."""
    spent = sum((-t.amount for t in transactions if t.kind in DAY_TO_DAY and t.amount < 0), ZERO)
    refunded = sum((t.amount for t in transactions
                    if t.kind == TransactionKind.CARD_PAYMENT and t.amount > 0), ZERO)
    return max(spent - refunded, ZERO) / max(days, 1)


def _history_days(facts: MoneyFacts, account_id: str, today: date, zone: ZoneInfo) -> int:
    opened = local_day(facts.opened_at[account_id], zone) if account_id in facts.opened_at else facts.since
    return max((today - max(opened, facts.since)).days, 1)


def _expected_salary(transactions: Sequence[TransactionView], zone: ZoneInfo) -> tuple[date, Decimal] | None:
    salaries = [t for t in transactions if t.category == Category.SALARY and t.amount > 0]
    if not salaries:
        return None
    last = max(salaries, key=lambda t: t.booked_at)
    return add_month(local_day(last.booked_at, zone)), last.amount


def shortfall_before_bill(facts: MoneyFacts, now: datetime, zone: ZoneInfo,
                          horizon_days: int) -> Shortfall | None:
    """The first bill within ``horizon_days`` that a current account is expected not to cover.

    The expected balance on a bill's day is today's balance, less typical day-to-day spending
    (the daily average of the history read) for each day until then, less the bills due first,
    plus a salary expected by then (a month after the last one, the same amount).
    """
    today = local_day(now, zone)
    until = today + timedelta(days=horizon_days)
    for account in current_accounts(facts):
        history = _of_account(facts, account.id)
        bills = sorted(
            standing_order_bills(facts, account.id, today, until)
            + expected_direct_debits(history, zone, today, until),
            key=lambda b: (b.due, b.key),
        )
        if not bills:
            continue
        per_day = daily_spend(history, _history_days(facts, account.id, today, zone))
        salary = _expected_salary(history, zone)
        paid = ZERO
        for bill in bills:
            days = (bill.due - today).days
            income = salary[1] if salary and today < salary[0] <= bill.due else ZERO
            projected = account.balance - per_day * days - paid - bill.amount + income
            if projected < 0:
                return Shortfall(account.id, bill, account.balance, per_day, days, paid, income,
                                 projected)
            paid += bill.amount
    return None


def idle_cash(facts: MoneyFacts, now: datetime, zone: ZoneInfo, idle_days: int,
              min_amount: Decimal) -> IdleCash | None:
    """Cash that stayed above a month's outgoings in a current account for ``idle_days``.

    The buffer left in the account is the average month's money out of it (everything but
    transfers to the customer's own accounts) over the history read. An account opened less
    than ``idle_days`` ago, or history that does not reach back that far, finds nothing.
    """
    today = local_day(now, zone)
    start = now - timedelta(days=idle_days)
    if facts.since > local_day(start, zone):
        return None
    best: IdleCash | None = None
    for account in current_accounts(facts):
        opened = facts.opened_at.get(account.id)
        if opened is None or opened > start:
            continue
        history = _of_account(facts, account.id)
        balance = lowest = account.balance
        for t in sorted(history, key=lambda t: t.booked_at, reverse=True):
            if t.booked_at < start:
                break
            balance -= t.amount
            lowest = min(lowest, balance)
        out = sum((-t.amount for t in history if t.amount < 0 and t.kind != TransactionKind.TRANSFER), ZERO)
        buffer = (out / _history_days(facts, account.id, today, zone) * 30).quantize(Decimal(1))
        amount = ((lowest - buffer) // 10) * 10
        if amount >= min_amount and (best is None or amount > best.amount):
            best = IdleCash(account.id, lowest, buffer, amount, idle_days)
    return best
