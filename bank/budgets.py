"""Monthly budgets per spending category, and how this month is going against them.

A budget's progress is this calendar month's spending in its category (``bank.spending``:
refunds lower it) so far, and a projection for the whole month at the rate so far ("at this
rate"), which the bot states as an assumption.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from bank.enums import Category
from bank.errors import InvalidBudget, NotABudgetCategory, UnknownBudget
from bank.models import Account, Budget
from bank.models import utcnow as _utcnow
from bank.periods import Period
from bank.policy import money_fact
from bank.search import UK
from bank.sessions import Store, writing
from bank.spending import ZERO, spent_by_category
from bank.values import new_id, require_customer

NOT_BUDGETED = frozenset({Category.SALARY})


def budget_limit() -> Decimal:
    """The largest monthly budget one category can have."""
    return money_fact("limits.budget_monthly_max")


@dataclass(frozen=True)
class BudgetView:
    category: Category
    monthly_limit: Decimal
    updated_at: datetime


@dataclass(frozen=True)
class BudgetProgress:
    """A budget this month: spent so far, what is left, and the month at this rate.

    Attributes:
        days_gone: days of the month so far, today included.
        projected: the month's spending if it goes on at the rate so far.
    """

    category: Category
    monthly_limit: Decimal
    spent: Decimal
    days_gone: int
    days_in_month: int
    projected: Decimal

    @property
    def left(self) -> Decimal:
        return self.monthly_limit - self.spent

    @property
    def projected_over(self) -> Decimal:
        """How far over the budget the month will end at this rate (0 if within it)."""
        return max(self.projected - self.monthly_limit, ZERO)


class BudgetStore(Store):
    """Set, change, remove and follow a customer's budgets."""

    def set_budget(self, customer_id: str, category: Category | str, monthly_limit: Decimal) -> BudgetView:
        """Set (or change) the monthly budget of a category.

        Raises:
            NotABudgetCategory: income, or no category of ours.
            InvalidBudget: not more than £0, more than ``budget_limit()``, or not to the penny.
            UnknownCustomer: no such customer.
        """
        category = _budget_category(category)
        if not isinstance(monthly_limit, Decimal) or not monthly_limit.is_finite():
            raise InvalidBudget()
        if not ZERO < monthly_limit <= budget_limit() or monthly_limit != monthly_limit.quantize(ZERO):
            raise InvalidBudget()
        with writing(self._sessions) as session:
            require_customer(session, customer_id)
            budget = session.scalars(
                select(Budget).where(Budget.customer_id == customer_id, Budget.category == category)
            ).one_or_none()
            now = _utcnow()
            if budget is None:
                budget = Budget(id=new_id("bdg"), customer_id=customer_id, category=category,
                                monthly_limit=monthly_limit, created_at=now, updated_at=now)
                session.add(budget)
            else:
                budget.monthly_limit, budget.updated_at = monthly_limit, now
            session.flush()
            return _view(budget)

    def remove_budget(self, customer_id: str, category: Category | str | None = None) -> int:
        """Remove the budget of ``category`` (every budget when None); how many went.

        Raises:
            UnknownBudget: no budget for that category (or none at all).
            NotABudgetCategory: no category of ours.
        """
        with writing(self._sessions) as session:
            require_customer(session, customer_id)
            query = select(Budget.id).where(Budget.customer_id == customer_id)
            if category is not None:
                query = query.where(Budget.category == _budget_category(category))
            ids = list(session.scalars(query))
            if not ids:
                raise UnknownBudget()
            session.execute(delete(Budget).where(Budget.id.in_(ids)))
            return len(ids)

    def budgets(self, customer_id: str) -> list[BudgetView]:
        """The customer's budgets, by category.

        Raises:
            UnknownCustomer: no such customer.
        """
        with self._sessions() as session:
            require_customer(session, customer_id)
            rows = session.scalars(select(Budget).where(Budget.customer_id == customer_id))
            return sorted((_view(b) for b in rows), key=lambda b: b.category.value)

    def progress(self, customer_id: str, today: date, zone: ZoneInfo = UK) -> list[BudgetProgress]:
        """Each budget against this calendar month's spending so far (``today`` included).

        Raises:
            UnknownCustomer: no such customer.
        """
        budgets = self.budgets(customer_id)
        if not budgets:
            return []
        days_in_month = calendar.monthrange(today.year, today.month)[1]
        month = Period(today.replace(day=1), today, "this month")
        with self._sessions() as session:
            accounts = list(session.scalars(select(Account.id).where(Account.customer_id == customer_id)))
            spent = spent_by_category(session, accounts, month, zone)
        result = []
        for budget in budgets:
            so_far = max(spent.get(budget.category, ZERO), ZERO)
            projected = (so_far * days_in_month / today.day).quantize(ZERO, rounding=ROUND_HALF_UP)
            result.append(BudgetProgress(budget.category, budget.monthly_limit, so_far, today.day,
                                         days_in_month, projected))
        return result


def _budget_category(category: Category | str) -> Category:
    try:
        found = Category(category)
    except ValueError:
        raise NotABudgetCategory() from None
    if found in NOT_BUDGETED:
        raise NotABudgetCategory()
    return found


def _view(budget: Budget) -> BudgetView:
    return BudgetView(budget.category, budget.monthly_limit, budget.updated_at)
