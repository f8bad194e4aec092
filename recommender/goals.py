"""The customer's goal as the recommender takes it, and its validation."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bank.errors import InvalidGoal
from recommender.catalogue import GOAL_TYPES

RISK_TOLERANCES = ("low", "medium", "high")
MAX_RISK_LEVEL = {"low": 2, "medium": 4, "high": 7}
TARGET_RISK_LEVEL = {"low": 1.5, "medium": 3.5, "high": 5.5}
MAX_TARGET_AMOUNT = 50_000_000.0
MAX_HORIZON_MONTHS = 600

_GOAL_PHRASES = {
    "save": "I want to save money",
    "borrow": "I want to borrow money",
    "invest": "I want to invest money for growth",
    "protect": "I want insurance to protect myself, my family and my things",
}


@dataclass(frozen=True)
class GoalRequest:
    """A financial goal, as collected by the bot's goal form.

    Attributes:
        goal_type: save, borrow, invest or protect.
        target_amount: The amount to save, borrow, invest or insure, in GBP.
        horizon_months: Months until the money is needed, or the repayment/cover period.
        risk_tolerance: low, medium or high.
        monthly_budget: What the customer can put in or repay each month, in GBP.
        text: The customer's own words about the goal, if any ("a deposit for a flat").
    """

    goal_type: str
    target_amount: float
    horizon_months: int
    risk_tolerance: str = "low"
    monthly_budget: float = 0.0
    text: str | None = None

    @classmethod
    def of(cls, **values: Any) -> GoalRequest:
        """Build and validate a goal from loose values (Decimal, str numbers, GoalView fields).

        Raises:
            InvalidGoal: With a message that says what to change.
        """
        def number(name: str, default: float | None = None) -> float:
            raw = values.get(name, default)
            if raw is None:
                raise InvalidGoal(f"The goal needs a {name.replace('_', ' ')}.")
            try:
                return float(Decimal(str(raw)))
            except (ArithmeticError, ValueError):
                raise InvalidGoal(f"The {name.replace('_', ' ')} must be a number.") from None

        horizon = number("horizon_months")
        if math.isfinite(horizon) and horizon != int(horizon):
            raise InvalidGoal("The horizon must be a whole number of months.")
        goal = cls(
            goal_type=str(values.get("goal_type", "")).strip().lower(),
            target_amount=number("target_amount"),
            horizon_months=int(horizon) if math.isfinite(horizon) else -1,
            risk_tolerance=str(values.get("risk_tolerance") or "low").strip().lower(),
            monthly_budget=number("monthly_budget", 0.0),
            text=(str(values["text"]).strip() or None) if values.get("text") else None,
        )
        goal.validate()
        return goal

    def validate(self) -> None:
        """Check the goal can be planned for.

        Raises:
            InvalidGoal: With a customer-readable message saying what to change.
        """
        if self.goal_type not in GOAL_TYPES:
            raise InvalidGoal("The goal type must be one of: save, borrow, invest or protect.")
        if self.risk_tolerance not in RISK_TOLERANCES:
            raise InvalidGoal("The risk tolerance must be low, medium or high.")
        if not math.isfinite(self.target_amount) or self.target_amount <= 0:
            raise InvalidGoal("The target amount must be more than £0.")
        if self.target_amount > MAX_TARGET_AMOUNT:
            raise InvalidGoal(
                f"A target above £{MAX_TARGET_AMOUNT:,.0f} is beyond what we can plan for here; "
                "please speak to one of our advisers."
            )
        if self.horizon_months <= 0:
            raise InvalidGoal("The time frame must be at least one month.")
        if self.horizon_months > MAX_HORIZON_MONTHS:
            raise InvalidGoal("The time frame must be 50 years or less.")
        if not math.isfinite(self.monthly_budget) or self.monthly_budget < 0:
            raise InvalidGoal("The monthly budget cannot be negative.")

    @property
    def max_risk_level(self) -> int:
        """The highest product risk level (1-7) this goal's risk tolerance allows."""
        return MAX_RISK_LEVEL[self.risk_tolerance]

    def describe(self) -> str:
        """The goal in words: "save £10,000 over 3 years"."""
        return f"{self.goal_type} {money(self.target_amount)} over {duration(self.horizon_months)}"

    def query_text(self) -> str:
        """The text embedded to search product descriptions: the customer's own words when
        given (the goal type is enforced by the filters), else a phrase for the goal type."""
        if self.text:
            return self.text
        return f"{_GOAL_PHRASES[self.goal_type]} over {duration(self.horizon_months)}."


def money(amount: float) -> str:
    """£1,234 or £1,234.50."""
    return f"£{amount:,.0f}" if float(amount).is_integer() else f"£{amount:,.2f}"


def duration(months: int) -> str:
    """'18 months', '1 year', '5 years'."""
    if months % 12 == 0:
        years = months // 12
        return "1 year" if years == 1 else f"{years} years"
    return "1 month" if months == 1 else f"{months} months"
