"""Reasons for each recommendation, in words a customer understands.

Each item gets up to four sentences: how it fits the goal (which goal, which attribute), a
key attribute, what similar customers did (when enough of them did it), and how it matches
what the customer described.
"""

from __future__ import annotations

from typing import Any

from recommender.catalogue import Product
from recommender.goals import GoalRequest, duration, money
from recommender.lookalike import LookalikeSignal
from recommender.scoring import Scored

MAX_REASONS = 4


def _pct(value: float | None) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + "%" if value is not None else "n/a"


def _term(months: int) -> str:
    """'2-year', '3-month' (as an adjective)."""
    return f"{months // 12}-year" if months % 12 == 0 else f"{months}-month"


def goal_reason(scored: Scored, goal: GoalRequest) -> str:
    """How the product fits the goal's amount, time frame, budget or risk."""
    p = scored.product
    a = scored.assessment
    horizon = duration(goal.horizon_months)
    if p.is_credit:
        return (
            f"Borrowing {money(goal.target_amount)} over {horizon} would cost about "
            f"{money(round(a.monthly_cost or 0.0))} a month, within your "
            f"{money(goal.monthly_budget)} monthly budget."
        )
    if p.category == "insurance":
        return (
            f"Cover of {money(goal.target_amount)} from about {money(round(a.monthly_cost or 0.0))} "
            f"a month, within your {money(goal.monthly_budget)} monthly budget."
        )
    if goal.goal_type == "invest":
        return (
            f"Risk level {p.risk_level} of 7 is within the {goal.risk_tolerance} risk you are "
            f"comfortable with, and a time frame of {horizon} gives it time to grow."
        )
    if p.access in ("fixed", "notice") and p.term_months_min:
        locked = "notice period" if p.access == "notice" else "fixed term"
        return (
            f"Its {_term(p.term_months_min)} {locked} fits inside your plan to save "
            f"{money(goal.target_amount)} over {horizon}, at {_pct(p.rate_pct)} a year."
        )
    if p.access == "instant":
        return (
            f"You can pay in and take money out at any time while you save "
            f"{money(goal.target_amount)} over {horizon}, earning {_pct(p.rate_pct)} a year."
        )
    return (
        f"Built for saving towards a goal like yours ({money(goal.target_amount)} over "
        f"{horizon}), earning {_pct(p.rate_pct)} a year."
    )


def attribute_reason(p: Product) -> str | None:
    """One standout attribute of the product."""
    tags = set(p.tags)
    if "tax_free" in tags and p.category == "isa":
        return "What it earns is tax-free, within your yearly ISA allowance."
    if "zero_interest" in tags and p.promo_months:
        return f"0% interest for {p.promo_months} months, then {_pct(p.rate_pct)} APR."
    if "bonus" in tags:
        return "The government adds a 25% bonus to what you pay in."
    if "ethical" in tags:
        return "Your money supports ethical and sustainable causes."
    if p.is_credit and p.rate_pct is not None:
        return f"Representative {_pct(p.rate_pct)} APR, fixed monthly payments you can plan around." \
            if p.category != "credit_card" else f"Representative {_pct(p.rate_pct)} APR."
    if p.category == "investment_fund" or p.category == "isa":
        return f"Ongoing charge of {_pct(p.ongoing_charge_pct)} a year; values can fall as well as rise."
    if p.monthly_fee == 0 and p.annual_fee == 0 and p.category != "insurance":
        return "No monthly or annual fees."
    return None


def similar_customers_reason(
    p: Product, signal: LookalikeSignal | None, min_support: int
) -> str | None:
    """What similar customers did, when at least ``min_support`` of them did it."""
    if signal is None or signal.neighbours == 0:
        return None
    count = signal.positive.get(p.id, 0)
    if count < min_support:
        return None
    return (
        f"{count} of {signal.neighbours} customers with finances like yours hold or chose this "
        f"{p.category_label}."
    )


def explain(
    scored: Scored,
    goal: GoalRequest,
    signal: LookalikeSignal | None,
    min_support: int,
    personalised: bool,
) -> tuple[str, ...]:
    """The reasons for one item, most important first."""
    reasons = [goal_reason(scored, goal)]
    attribute = attribute_reason(scored.product)
    if attribute:
        reasons.append(attribute)
    similar = similar_customers_reason(scored.product, signal, min_support)
    if similar:
        reasons.append(similar)
    if goal.text and scored.parts.text >= 0.75:
        reasons.append(f"It is a close match for the {goal.goal_type} goal you described.")
    if not personalised:
        return (*reasons[: MAX_REASONS - 1], "Eligibility is checked when you apply.")
    return tuple(reasons[:MAX_REASONS])


def facts(scored: Scored) -> dict[str, Any]:
    """Key figures for an item card."""
    p = scored.product
    out: dict[str, Any] = {"risk_level": p.risk_level, "access": p.access}
    if p.rate_pct is not None:
        out["rate_pct"] = p.rate_pct
    if p.monthly_fee:
        out["monthly_fee"] = p.monthly_fee
    if p.annual_fee:
        out["annual_fee"] = p.annual_fee
    if scored.assessment.monthly_cost is not None:
        out["monthly_cost"] = round(scored.assessment.monthly_cost, 2)
    if p.term_months_min:
        out["term_months"] = [p.term_months_min, p.term_months_max]
    return out
