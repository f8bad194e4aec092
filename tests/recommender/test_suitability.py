"""Hard filters: eligibility and suitability, as rule tables and over the real pipeline."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from bank.errors import InvalidGoal
from recommender.catalogue import Catalogue
from recommender.goals import MAX_RISK_LEVEL, GoalRequest
from recommender.profile import CustomerProfile, DerivedFeatures
from recommender.recommender import Recommender
from recommender.results import EMPTY_CATALOGUE_NOTICE, NOTHING_SUITABLE_NOTICE
from recommender.suitability import assess, monthly_repayment

ADULT = CustomerProfile(
    customer_id="t1", age=35, annual_income=45_000, country="GB", credit_band="B",
    employment_status="employed",
    features=DerivedFeatures(monthly_income=2800, monthly_spend=2100, savings_rate=0.25,
                             balance_current=2000, balance_savings=15000),
    holdings=frozenset({"cur_everyday"}), held_categories=frozenset({"current_account"}),
)


def ok(catalogue: Catalogue, product_id: str, goal: GoalRequest, profile=ADULT) -> bool:
    return assess(catalogue.get(product_id), goal, profile).ok


SAVE_2Y = GoalRequest("save", 10_000, 24, "low", 300)
HOME_2Y = GoalRequest("save", 6000, 24, "low", 250)  # within two years of LISA allowance
CASES = [
    # (product, goal, profile changes, passes?)
    ("ftd_2y", SAVE_2Y, {}, True),
    ("ftd_3y", SAVE_2Y, {}, False),  # locked beyond the 2-year horizon
    ("sav_regular", GoalRequest("save", 3000, 12, "low", 250), {}, True),
    ("sav_regular", GoalRequest("save", 3000, 12, "low", 250), {"held_categories": frozenset()}, False),
    ("ftd_1y", SAVE_2Y, {"holdings": frozenset({"ftd_1y"})}, False),  # already held
    ("isa_lifetime", HOME_2Y, {}, True),
    ("isa_lifetime", SAVE_2Y, {}, False),  # £10,000 is more than two years' allowance
    ("isa_lifetime", HOME_2Y, {"age": 45}, False),  # opens up to 39
    ("isa_cash_fixed_2y", SAVE_2Y, {"holdings": frozenset({"isa_cash_easy"})}, False),
    ("sav_easy_access", SAVE_2Y, {"country": "FR"}, False),  # residency
    ("cur_basic", SAVE_2Y, {"country": "FR", "holdings": frozenset()}, True),
    ("sav_easy_access", SAVE_2Y, {"age": 16}, True),
    ("ftd_1y", SAVE_2Y, {"age": 17}, False),
    ("fund_balanced", GoalRequest("invest", 10_000, 120, "medium", 200), {}, True),
    ("fund_balanced", GoalRequest("invest", 10_000, 120, "low", 200), {}, False),  # risk 4 > low
    ("fund_balanced", GoalRequest("invest", 10_000, 24, "medium", 200), {}, False),  # horizon
    ("fund_growth", GoalRequest("invest", 10_000, 180, "high", 200), {}, True),
    ("fund_growth", GoalRequest("invest", 10_000, 180, "high", 200), {"annual_income": 20_000}, False),
    ("loan_car", GoalRequest("borrow", 12_000, 48, "low", 400), {}, True),
    ("loan_car", GoalRequest("borrow", 12_000, 48, "low", 100), {}, False),  # over budget
    ("loan_car", GoalRequest("borrow", 12_000, 48, "low", 400), {"credit_band": "E"}, False),
    ("loan_car", GoalRequest("borrow", 12_000, 120, "low", 400), {}, False),  # term too long
    ("loan_car", GoalRequest("borrow", 40_000, 60, "low", 2000), {}, False),  # above max amount
    ("loan_personal", GoalRequest("borrow", 20_000, 36, "low", 900),
     {"features": replace(ADULT.features, monthly_income=1500)}, False),  # > 40% of income
    ("cc_purchase_0", GoalRequest("borrow", 2000, 12, "low", 200), {}, True),
    ("cc_purchase_0", GoalRequest("borrow", 2000, 36, "low", 200), {}, False),  # cards are short
    ("mtg_fixed_5y", GoalRequest("borrow", 180_000, 300, "low", 1500), {}, True),
    ("mtg_fixed_5y", GoalRequest("borrow", 250_000, 300, "low", 2000), {}, False),  # > 4.5x income
    ("mtg_tracker", GoalRequest("borrow", 150_000, 300, "low", 1500), {"annual_income": 60_000}, False),
    ("ins_life", GoalRequest("protect", 200_000, 240, "low", 40), {}, True),
    ("ins_life", GoalRequest("protect", 200_000, 240, "low", 5), {}, False),  # premium > budget
    ("ins_life", GoalRequest("protect", 200_000, 240, "low", 40), {"age": 75}, False),
    ("ins_travel", GoalRequest("protect", 3000, 36, "low", 10), {}, True),  # renews yearly
    ("ins_travel", GoalRequest("save", 3000, 12, "low", 10), {}, False),  # wrong goal type
]


@pytest.mark.parametrize(("product_id", "goal", "changes", "passes"), CASES)
def test_filter_table(catalogue: Catalogue, product_id, goal, changes, passes):
    assert ok(catalogue, product_id, goal, replace(ADULT, **changes)) is passes


def test_without_a_profile_only_the_goal_is_checked(catalogue: Catalogue):
    goal = HOME_2Y
    assert assess(catalogue.get("isa_lifetime"), goal, None).ok  # age unknown: checked at applying
    assert not assess(catalogue.get("ftd_3y"), goal, None).ok  # but never beyond the horizon


def test_repayment_formula():
    assert monthly_repayment(1200, 0.0, 12) == pytest.approx(100)
    assert monthly_repayment(10_000, 6.9, 36) == pytest.approx(306.4, abs=1.0)


GOALS = [
    GoalRequest(goal_type, amount, horizon, risk, budget)
    for goal_type, amount, horizon, risk, budget in itertools.product(
        ("save", "borrow", "invest", "protect"),
        (50, 6000, 250_000, 49_000_000),
        (1, 9, 36, 300),
        ("low", "high"),
        (0, 60, 3000),
    )
]


def test_the_pipeline_never_recommends_an_unsuitable_product(recommender: Recommender):
    customers = ["cus_001", "cus_003", "cus_007"]  # cus_007: no consent, goal-only checks
    answered = 0
    for customer_id, goal in itertools.product(customers, GOALS[::3]):
        result = recommender.recommend(customer_id, goal, k=3)
        profile = recommender.profiles.profile(customer_id) if result.personalised else None
        for item in result.items:
            product = recommender.catalogue.get(item.product_id)
            assert assess(product, goal, profile).ok
            assert product.risk_level <= MAX_RISK_LEVEL[goal.risk_tolerance]
            assert goal.goal_type in product.goal_types
            assert product.min_horizon_months <= goal.horizon_months
            if product.access == "fixed" and not product.is_credit and product.term_months_min:
                assert product.term_months_min <= goal.horizon_months
        answered += bool(result.items)
        if not result.items:
            assert NOTHING_SUITABLE_NOTICE in (result.notice or "")
    assert answered > 20  # the grid is not all refusals


def test_absurd_amounts_get_a_clear_fallback_not_an_unsuitable_product(recommender: Recommender):
    result = recommender.recommend("cus_002", GoalRequest("save", 49_000_000, 24, "low", 100))
    assert result.items == () and result.notice == NOTHING_SUITABLE_NOTICE
    with pytest.raises(InvalidGoal):
        recommender.recommend("cus_002", GoalRequest("save", 1e12, 24, "low", 100))
    for horizon in (0, -5):
        with pytest.raises(InvalidGoal, match="at least one month"):
            recommender.recommend("cus_002", {"goal_type": "save", "target_amount": 500,
                                              "horizon_months": horizon})


def test_an_empty_catalogue_gives_a_clear_answer(make_recommender, repository):
    recommender = make_recommender(repository, Catalogue([]))
    result = recommender.recommend("cus_001", GoalRequest("save", 1000, 12))
    assert result.items == () and result.notice == EMPTY_CATALOGUE_NOTICE
