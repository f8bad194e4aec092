"""Hard filters: eligibility (may the customer hold it?) and suitability (does it fit the goal?).

A product reaches a customer only if :func:`assess` finds no problem. Problems are short
sentences, kept for the decision log and for tests; they are never shown as recommendations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from recommender.catalogue import Product
from recommender.goals import GoalRequest
from recommender.profile import CustomerProfile

MAX_REPAYMENT_SHARE_OF_INCOME = 0.40
MAX_MORTGAGE_INCOME_MULTIPLE = 4.5
MAX_UNSECURED_SHARE_OF_INCOME = 0.60
MIN_PAYMENT_SHARE_CREDIT_CARD = 0.03


@dataclass(frozen=True)
class Assessment:
    """The filters' verdict on one product for one goal (and profile, when personalised).

    Attributes:
        product: The product assessed.
        problems: Why it is ineligible or unsuitable; empty when it passes.
        monthly_cost: Repayment or premium per month for credit and insurance, else None.
        term_months: The term the plan would use (repayment, deposit or cover period).
    """

    product: Product
    problems: tuple[str, ...]
    monthly_cost: float | None = None
    term_months: int | None = None

    @property
    def ok(self) -> bool:
        """True when the product may be recommended."""
        return not self.problems


def monthly_repayment(amount: float, apr_pct: float, months: int) -> float:
    """Level monthly repayment that clears ``amount`` in ``months`` at an annual APR."""
    if months <= 0:
        return math.inf
    monthly_rate = (1.0 + apr_pct / 100.0) ** (1.0 / 12.0) - 1.0
    if monthly_rate <= 0:
        return amount / months
    return amount * monthly_rate / (1.0 - (1.0 + monthly_rate) ** -months)


def credit_cost(product: Product, goal: GoalRequest) -> tuple[float, int]:
    """Monthly repayment and term for borrowing the goal amount over the goal horizon."""
    term = goal.horizon_months
    if product.category == "credit_card":
        promo = product.promo_months or 0
        rate = product.promo_rate_pct if term <= promo and product.promo_rate_pct is not None else (
            product.rate_pct or 0.0
        )
        payment = monthly_repayment(goal.target_amount, rate, term)
        payment = max(payment, goal.target_amount * MIN_PAYMENT_SHARE_CREDIT_CARD)
    else:
        payment = monthly_repayment(goal.target_amount, product.rate_pct or 0.0, term)
    return payment + product.monthly_fee + product.annual_fee / 12.0, term


def insurance_premium(product: Product, goal: GoalRequest) -> float:
    """Estimated monthly premium for the goal's cover amount."""
    return max(product.monthly_fee, product.premium_per_1000 * goal.target_amount / 1000.0)


def eligibility_problems(product: Product, profile: CustomerProfile) -> list[str]:
    """Why the customer may not hold the product (empty when eligible)."""
    rules = product.eligibility
    problems = []
    if profile.age < rules.min_age:
        problems.append(f"minimum age is {rules.min_age}")
    if rules.max_age is not None and profile.age > rules.max_age:
        problems.append(f"maximum age is {rules.max_age}")
    if profile.annual_income < rules.min_income:
        problems.append(f"minimum income is £{rules.min_income:,.0f}")
    if profile.country not in rules.residency:
        problems.append("not available in the country of residence")
    if profile.credit_band not in rules.credit_bands:
        problems.append("credit band not accepted")
    for needed in rules.requires_holdings:
        if not profile.holds(needed):
            problems.append(f"requires holding {needed}")
    for excluded in rules.excludes_holdings:
        if profile.holds(excluded):
            problems.append(f"not available alongside {excluded}")
    if product.id in profile.holdings:
        problems.append("already held")
    return problems


def _capacity(product: Product, goal: GoalRequest) -> float:
    """The most the product can take over the horizon (annual allowances renew each year)."""
    if product.category == "isa" or product.max_monthly is not None:
        return product.max_amount * math.ceil(goal.horizon_months / 12)
    return product.max_amount


def suitability_problems(
    product: Product, goal: GoalRequest, profile: CustomerProfile | None
) -> tuple[list[str], float | None, int | None]:
    """Why the product does not fit the goal, plus the monthly cost and term it implies."""
    problems: list[str] = []
    horizon = goal.horizon_months
    cost: float | None = None
    term: int | None = None
    if goal.goal_type not in product.goal_types:
        problems.append(f"not a product for goals to {goal.goal_type}")
        return problems, cost, term
    if product.risk_level > goal.max_risk_level:
        problems.append(f"risk level {product.risk_level} above the {goal.risk_tolerance} limit")
    if product.min_horizon_months > horizon:
        problems.append(f"needs a horizon of {product.min_horizon_months} months or more")

    if product.is_credit:
        lo, hi = product.term_months_min or 1, product.term_months_max or 1
        if not lo <= horizon <= hi:
            problems.append(f"repayment period must be {lo} to {hi} months")
        if not product.min_amount <= goal.target_amount <= product.max_amount:
            problems.append("amount outside the borrowing range")
        cost, term = credit_cost(product, goal)
        if cost > goal.monthly_budget:
            problems.append("repayments above the monthly budget")
        if profile is not None:
            income = profile.annual_income
            if cost > MAX_REPAYMENT_SHARE_OF_INCOME * max(profile.features.monthly_income, 0.0):
                problems.append("repayments too high for the income")
            if product.category == "mortgage":
                if goal.target_amount > MAX_MORTGAGE_INCOME_MULTIPLE * income:
                    problems.append("loan above 4.5 times income")
            elif goal.target_amount + profile.features.credit_debt > (
                MAX_UNSECURED_SHARE_OF_INCOME * income
            ):
                problems.append("unsecured borrowing too high for the income")
    elif product.category == "insurance":
        if not product.min_amount <= goal.target_amount <= product.max_amount:
            problems.append("cover amount outside the policy's range")
        renews_yearly = product.term_months_min == product.term_months_max == 12
        lo, hi = product.term_months_min or 1, product.term_months_max or 1
        if not renews_yearly and not lo <= horizon <= hi:
            problems.append(f"cover period must be {lo} to {hi} months")
        cost = insurance_premium(product, goal)
        term = horizon
        if cost > goal.monthly_budget:
            problems.append("premium above the monthly budget")
    else:  # saving and investing
        if product.access in ("fixed", "notice") and (product.term_months_min or 0) > horizon:
            problems.append("money would be locked beyond the horizon")
        if product.min_amount > goal.target_amount:
            problems.append("minimum deposit above the target")
        if goal.target_amount > _capacity(product, goal):
            problems.append("target above what the product can hold")
        if profile is not None and product.max_monthly is None:
            can_fund = profile.features.liquid_balance + goal.monthly_budget
            if product.min_amount > can_fund:
                problems.append("minimum deposit above available funds")
        term = product.term_months_min or horizon
    return problems, cost, term


def assess(product: Product, goal: GoalRequest, profile: CustomerProfile | None) -> Assessment:
    """Apply every hard filter to one product.

    Args:
        product: The candidate.
        goal: A validated goal.
        profile: The customer's profile, or None for a non-personalised answer (then only the
            goal's own figures are checked and eligibility is confirmed at application).
    """
    problems, cost, term = suitability_problems(product, goal, profile)
    if profile is not None:
        problems = eligibility_problems(product, profile) + problems
    return Assessment(product, tuple(problems), cost, term)
