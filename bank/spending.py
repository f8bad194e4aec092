"""Where a customer's money went in a period: spending by category against their usual, the
merchants they spent most at, and money in against money out.

Spending is money out of the customer's accounts to anyone else (card payments, direct debits,
cash, payments to payees); moves between their own accounts (transfers, card repayments) are
neither spending nor income. A refund (money back in a spending category) lowers that
category's spending and is never income. Income is money in from elsewhere: salary, transfers
in from other banks, deposits, interest. Declined and reverted transactions moved nothing and
are left out. Amounts are summed in SQL, grouped by category or merchant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from bank.enums import Category, TransactionKind
from bank.models import Account, Transaction
from bank.periods import Period
from bank.search import SEARCHED_STATUSES, UK, local_midnight
from bank.values import require_customer

ZERO = Decimal("0.00")
USUAL_PERIODS = 3  # the periods before the asked one that make "usual"
TOP_MERCHANTS = 5
# Money in these categories is income; in any other (but a transfer) it is a refund.
INCOME_CATEGORIES = frozenset({Category.SALARY, Category.TRANSFER, Category.OTHER})
INCOME_KINDS = frozenset({
    TransactionKind.BANK_TRANSFER_IN, TransactionKind.CASH_DEPOSIT, TransactionKind.CHEQUE_DEPOSIT,
    TransactionKind.INTEREST, TransactionKind.CARD_TOP_UP,
})
SPENDING_CATEGORIES = tuple(c for c in Category if c is not Category.SALARY)


@dataclass(frozen=True)
class CategorySpending:
    """Spent in one category: out minus refunds, and the usual amount for such a period
    (None when there is not enough history to say)."""

    category: Category
    spent: Decimal
    usual: Decimal | None


@dataclass(frozen=True)
class MerchantSpending:
    name: str  # as on the statement
    spent: Decimal
    payments: int


@dataclass(frozen=True)
class SpendingSummary:
    """A period's spending, biggest category first.

    Attributes:
        usual_total: the average total of the periods before (up to ``USUAL_PERIODS`` of
            them, those the customer's history covers), or None when it covers none.
        usual_periods: how many periods "usual" is the average of (0: none).
        history_start: the day of the customer's first transaction (None: no transactions).
    """

    period: Period
    categories: tuple[CategorySpending, ...]
    merchants: tuple[MerchantSpending, ...]
    spent: Decimal
    income: Decimal
    usual_total: Decimal | None
    usual_periods: int
    history_start: date | None

    @property
    def kept(self) -> Decimal:
        """Income less spending (negative: more went out than came in)."""
        return self.income - self.spent


def spending_summary(
    session: Session, customer_id: str, period: Period, zone: ZoneInfo = UK
) -> SpendingSummary:
    """What the customer spent in ``period``, by category and merchant, and what came in.

    Raises:
        UnknownCustomer: no such customer.
    """
    require_customer(session, customer_id)
    accounts = list(session.scalars(select(Account.id).where(Account.customer_id == customer_id)))
    history_start = _first_day(session, accounts, zone)
    spent = spent_by_category(session, accounts, period, zone)
    covered = [p for p in previous_periods(period) if history_start is not None and p.start >= history_start]
    earlier = [spent_by_category(session, accounts, p, zone) for p in covered]
    categories = []
    for category in SPENDING_CATEGORIES:
        usual = _average([e.get(category, ZERO) for e in earlier]) if earlier else None
        amount = spent.get(category, ZERO)
        if amount > 0 or (usual or ZERO) > 0:
            categories.append(CategorySpending(category, amount, usual))
    categories.sort(key=lambda c: (-c.spent, -(c.usual or ZERO), c.category.value))
    usual_total = _average([sum(e.values(), ZERO) for e in earlier]) if earlier else None
    return SpendingSummary(
        period=period,
        categories=tuple(categories),
        merchants=_merchants(session, accounts, period, zone),
        spent=sum(spent.values(), ZERO),
        income=_income(session, accounts, period, zone),
        usual_total=usual_total,
        usual_periods=len(earlier),
        history_start=history_start,
    )


def previous_periods(period: Period, count: int = USUAL_PERIODS) -> list[Period]:
    """The ``count`` periods like ``period`` just before it: for a month or the start of one
    ("this month" so far), the same days of the months before; else runs of as many days."""
    same_month = (period.start.year, period.start.month) == (period.end.year, period.end.month)
    if period.start.day == 1 and same_month:
        whole = period.end == _month_after(period.start) - timedelta(days=1)
        periods = []
        for n in range(1, count + 1):
            first = _month_before(period.start, n)
            last_day = _month_after(first) - timedelta(days=1)
            end = last_day if whole else min(first.replace(day=min(period.end.day, last_day.day)), last_day)
            periods.append(Period(first, end, f"in {first:%B %Y}"))
        return periods
    days = (period.end - period.start).days + 1
    return [
        Period(period.start - timedelta(days=days * n), period.end - timedelta(days=days * n),
               f"{n * days} days earlier")
        for n in range(1, count + 1)
    ]


def _month_before(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _month_after(first: date) -> date:
    return _month_before(first, -1)


def _in_period(period: Period, zone: ZoneInfo) -> tuple[ColumnElement[bool], ...]:
    return (
        Transaction.booked_at >= local_midnight(period.start, zone),
        Transaction.booked_at < local_midnight(period.end + timedelta(days=1), zone),
    )


def _spending_rows(accounts: list[str], period: Period, zone: ZoneInfo) -> tuple[ColumnElement[bool], ...]:
    """Money to or from anyone else in a spending category (refunds included)."""
    is_refund = (Transaction.amount > 0) & Transaction.category.not_in(INCOME_CATEGORIES) & (
        Transaction.kind.not_in(INCOME_KINDS))
    return (
        Transaction.account_id.in_(accounts),
        Transaction.status.in_(SEARCHED_STATUSES),
        Transaction.kind != TransactionKind.TRANSFER,
        (Transaction.amount < 0) | is_refund,
        *_in_period(period, zone),
    )


def spent_by_category(
    session: Session, accounts: list[str], period: Period, zone: ZoneInfo = UK
) -> dict[Category, Decimal]:
    """Spending (out minus refunds) of ``accounts`` in ``period``, by category."""
    rows = session.execute(
        select(Transaction.category, func.sum(-Transaction.amount))
        .where(*_spending_rows(accounts, period, zone))
        .group_by(Transaction.category)
    )
    return {Category(category): Decimal(total).quantize(ZERO) for category, total in rows}


def _merchants(
    session: Session, accounts: list[str], period: Period, zone: ZoneInfo
) -> tuple[MerchantSpending, ...]:
    spent = func.sum(-Transaction.amount)
    rows = session.execute(
        select(Transaction.description, spent, func.sum(case((Transaction.amount < 0, 1), else_=0)))
        .where(*_spending_rows(accounts, period, zone))
        .group_by(Transaction.description)
        .having(spent > 0)
        .order_by(spent.desc(), Transaction.description)
        .limit(TOP_MERCHANTS)
    )
    return tuple(
        MerchantSpending(name, Decimal(total).quantize(ZERO), int(count)) for name, total, count in rows
    )


def _income(session: Session, accounts: list[str], period: Period, zone: ZoneInfo) -> Decimal:
    total = session.scalar(
        select(func.sum(Transaction.amount)).where(
            Transaction.account_id.in_(accounts),
            Transaction.status.in_(SEARCHED_STATUSES),
            Transaction.kind != TransactionKind.TRANSFER,
            Transaction.amount > 0,
            Transaction.category.in_(INCOME_CATEGORIES) | Transaction.kind.in_(INCOME_KINDS),
            *_in_period(period, zone),
        )
    )
    return Decimal(total or 0).quantize(ZERO)


def _first_day(session: Session, accounts: list[str], zone: ZoneInfo) -> date | None:
    first = session.scalar(
        select(func.min(Transaction.booked_at)).where(Transaction.account_id.in_(accounts))
    )
    if first is None:
        return None
    return (first if first.tzinfo else first.replace(tzinfo=ZoneInfo("UTC"))).astimezone(zone).date()


def _average(values: list[Decimal]) -> Decimal:
    return (sum(values, ZERO) / len(values)).quantize(ZERO) if values else ZERO
