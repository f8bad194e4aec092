"""Hand-made money facts for the nudge tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bank.enums import AccountKind, Category, Frequency, StandingOrderStatus, TransactionKind
from bank.nudge_facts import MoneyFacts
from bank.views import AccountView, StandingOrderView, TransactionView

# Tuesday 10 June 2025, 12:00 in London (11:00 UTC).
NOW = datetime(2025, 6, 10, 11, 0, tzinfo=UTC)
OPENED = datetime(2023, 1, 1, tzinfo=UTC)


def account(
    balance: str, account_id: str = "acc_cur", currency: str = "GBP", kind: AccountKind = AccountKind.CURRENT
) -> AccountView:
    amount = Decimal(balance)
    return AccountView(account_id, kind, "Everyday", "****1234", currency, amount, amount)


def txn(
    days_ago: float,
    amount: str,
    description: str = "TESCO STORES",
    category: Category = Category.GROCERIES,
    kind: TransactionKind = TransactionKind.CARD_PAYMENT,
    account_id: str = "acc_cur",
    tid: str | None = None,
    original_currency: str | None = None,
) -> TransactionView:
    at = NOW - timedelta(days=days_ago)
    return TransactionView(
        tid or f"txn_{description[:4]}_{days_ago}_{amount}",
        account_id,
        at,
        Decimal(amount),
        "GBP",
        description,
        category,
        None,
        kind,
        original_amount=Decimal(amount) * Decimal("1.17") if original_currency else None,
        original_currency=original_currency,
    )


def standing_order(
    next_date: date, amount: str, frequency: Frequency = Frequency.MONTHLY, account_id: str = "acc_cur"
) -> StandingOrderView:
    return StandingOrderView(
        "so_rent",
        account_id,
        "pay_1",
        Decimal(amount),
        frequency,
        next_date,
        "RENT",
        StandingOrderStatus.ACTIVE,
        OPENED,
    )


def facts(
    accounts: list[AccountView],
    transactions: list[TransactionView] | None = None,
    orders: list[StandingOrderView] | None = None,
    lookback_days: int = 92,
    opened: datetime = OPENED,
) -> MoneyFacts:
    return MoneyFacts(
        customer_id="cus_001",
        accounts=tuple(accounts),
        opened_at={a.id: opened for a in accounts},
        transactions=tuple(sorted(transactions or [], key=lambda t: t.booked_at)),
        standing_orders=tuple(orders or []),
        since=(NOW - timedelta(days=lookback_days)).date(),
    )


def salary(days_ago: float, amount: str = "2500.00", account_id: str = "acc_cur") -> TransactionView:
    return txn(
        days_ago,
        amount,
        "ACME LTD SALARY",
        Category.SALARY,
        TransactionKind.BANK_TRANSFER_IN,
        account_id=account_id,
    )


def everyday_spending(per_day: str = "20.00", days: int = 90) -> list[TransactionView]:
    return [txn(d + 0.5, f"-{per_day}") for d in range(days)]
