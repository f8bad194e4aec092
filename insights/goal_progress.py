"""How a customer's saving or investing goal is going, and the assumptions that says it.

The money counted towards a goal is what the customer holds in savings and ISA accounts (the
bank cannot tell which pounds are meant for which goal, so every such goal counts all of it).
The projection assumes they keep putting aside the monthly amount they gave when they set the
goal, with no interest or growth, until the goal's horizon.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_UP, Decimal

from bank.enums import GoalType
from bank.views import GoalView

TRACKED = frozenset({GoalType.SAVE, GoalType.INVEST})
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class GoalProgress:
    """A goal against the money held for it today.

    Attributes:
        months_gone: whole months since the goal was set.
        months_left: months to the goal's horizon (0 once it has passed).
        projected: what will be held at the horizon on the assumptions above.
        needed_monthly: what would have to be put aside each month from now to reach the target
            by the horizon (0 when it is reached already; the whole gap when no month is left).
    """

    goal: GoalView
    held: Decimal
    months_gone: int
    months_left: int
    projected: Decimal

    @property
    def reached(self) -> bool:
        return self.held >= self.goal.target_amount

    @property
    def on_track(self) -> bool:
        return self.projected >= self.goal.target_amount

    @property
    def share(self) -> Decimal:
        """How much of the target is held, 0 to 1."""
        if self.goal.target_amount <= 0:
            return Decimal(1)
        return min(max(self.held / self.goal.target_amount, Decimal(0)), Decimal(1))

    @property
    def needed_monthly(self) -> Decimal:
        gap = max(self.goal.target_amount - self.held, ZERO)
        if gap == 0:
            return ZERO
        return (gap / max(self.months_left, 1)).quantize(ZERO, rounding=ROUND_UP)


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (0 when ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(months, 0)


def goal_progress(goal: GoalView, held: Decimal, today: date) -> GoalProgress:
    """The progress of a saving or investing goal, ``held`` being the savings and ISA balances."""
    gone = months_between(goal.created_at.date(), today)
    left = max(goal.horizon_months - gone, 0)
    projected = max(held, ZERO) + goal.monthly_budget * left
    return GoalProgress(goal, max(held, ZERO), gone, left, projected.quantize(ZERO))
