"""Features derived from transactions and balances (income, spending, savings rate)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from recommender.profile import SPEND_CATEGORIES, DerivedFeatures

WINDOW_DAYS = 90
_DAYS_PER_MONTH = 30.44
_NOT_SPENDING = {"salary", "transfer"}


@dataclass(frozen=True)
class TransactionFact:
    """The part of a transaction the features need: signed amount and category."""

    amount: float | Decimal
    category: str


@dataclass(frozen=True)
class BalanceFact:
    """An account or holding balance and its catalogue category."""

    category: str
    balance: float | Decimal


def derive_features(
    transactions: Iterable[TransactionFact],
    balances: Iterable[BalanceFact],
    declared_annual_income: float,
    window_days: int = WINDOW_DAYS,
) -> DerivedFeatures:
    """Summarise a customer's recent transactions and balances.

    Args:
        transactions: Transactions booked in the last ``window_days`` days.
        balances: Balances by catalogue category (``current_account``, ``savings``, ``isa``,
            ``investment_fund``, ``credit_card``, ``personal_loan``, ...).
        declared_annual_income: Used for the income estimate when no income was seen.
        window_days: The period the transactions cover.
    """
    months = max(window_days, 1) / _DAYS_PER_MONTH
    income = 0.0
    spend_by_cat = dict.fromkeys(SPEND_CATEGORIES, 0.0)
    for tx in transactions:
        amount = float(tx.amount)
        if tx.category == "transfer":
            continue
        if amount > 0:
            income += amount
        elif tx.category not in _NOT_SPENDING:
            category = tx.category if tx.category in spend_by_cat else "other"
            spend_by_cat[category] += -amount
    monthly_income = income / months
    if monthly_income <= 0:
        monthly_income = max(declared_annual_income, 0.0) * 0.75 / 12
    monthly_spend_by_cat = {k: round(v / months, 2) for k, v in spend_by_cat.items()}
    monthly_spend = sum(monthly_spend_by_cat.values())
    savings_rate = (monthly_income - monthly_spend) / monthly_income if monthly_income > 0 else 0.0

    totals: dict[str, float] = {}
    for bal in balances:
        totals[bal.category] = totals.get(bal.category, 0.0) + float(bal.balance)
    # Card balances are negative when owed; loan holdings record the amount outstanding.
    debt = -min(totals.get("credit_card", 0.0), 0.0) + abs(totals.get("personal_loan", 0.0))
    return DerivedFeatures(
        monthly_income=round(monthly_income, 2),
        monthly_spend=round(monthly_spend, 2),
        savings_rate=round(max(-1.0, min(1.0, savings_rate)), 4),
        spending_by_category=monthly_spend_by_cat,
        balance_current=round(totals.get("current_account", 0.0), 2),
        balance_savings=round(
            totals.get("savings", 0.0) + totals.get("isa", 0.0) + totals.get("fixed_term", 0.0), 2
        ),
        balance_investments=round(max(totals.get("investment_fund", 0.0), 0.0), 2),
        credit_debt=round(debt, 2),
    )
