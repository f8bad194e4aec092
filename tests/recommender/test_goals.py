"""Goal validation: bad input gets a clear error that says what to change."""

import math
from decimal import Decimal

import pytest

from bank.errors import InvalidGoal
from recommender.goals import GoalRequest


def test_goal_from_loose_values_such_as_a_saved_goal():
    goal = GoalRequest.of(
        goal_type="Save", target_amount=Decimal("10000.00"), horizon_months=36,
        risk_tolerance="medium", monthly_budget="250", text="a deposit for a flat",
    )
    assert goal == GoalRequest("save", 10000.0, 36, "medium", 250.0, "a deposit for a flat")
    assert goal.describe() == "save £10,000 over 3 years"
    assert goal.query_text() == "a deposit for a flat"
    assert "save money" in GoalRequest("save", 10, 18).query_text()


INVALID = [
    ({"horizon_months": 0}, "at least one month"),
    ({"horizon_months": -12}, "at least one month"),
    ({"horizon_months": 12.5}, "whole number"),
    ({"horizon_months": 601}, "50 years"),
    ({"target_amount": 0}, "more than £0"),
    ({"target_amount": -500}, "more than £0"),
    ({"target_amount": math.nan}, "more than £0"),
    ({"target_amount": math.inf}, "more than £0"),
    ({"target_amount": 1e12}, "advisers"),
    ({"target_amount": "lots"}, "must be a number"),
    ({"monthly_budget": -1}, "cannot be negative"),
    ({"goal_type": "gamble"}, "save, borrow, invest or protect"),
    ({"risk_tolerance": "reckless"}, "low, medium or high"),
]


@pytest.mark.parametrize(("override", "message"), INVALID)
def test_invalid_goals_are_refused(override: dict, message: str):
    values = {"goal_type": "save", "target_amount": 1000, "horizon_months": 12,
              "risk_tolerance": "low", "monthly_budget": 100, **override}
    with pytest.raises(InvalidGoal, match=message):
        GoalRequest.of(**values)
