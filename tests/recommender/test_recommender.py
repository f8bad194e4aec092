"""Recommendations on the real store: explained top-k, consent, bad input."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from bank.errors import UnknownCustomer
from recommender.goals import GoalRequest
from recommender.recommender import Recommender
from recommender.results import NO_CONSENT_NOTICE
from recommender.store_repository import StoreRepository
from recommender.strategies import STRATEGIES

FIRST_HOME = GoalRequest("save", 5000, 24, "low", 200, text="saving for a deposit on my first home")


def test_top_three_with_reasons_in_words(recommender: Recommender, repository: StoreRepository):
    result = recommender.recommend("cus_001", FIRST_HOME, k=3)
    assert result.personalised and result.notice is None
    assert len(result.items) == 3
    assert [i.score for i in result.items] == sorted((i.score for i in result.items), reverse=True)
    for item in result.items:
        assert item.rec_id.startswith("rec_")
        assert len(item.reasons) >= 2
        assert "£5,000" in item.reasons[0] and "2 years" in item.reasons[0]  # which goal
        assert all(r.endswith(".") and "_" not in r for r in item.reasons)  # words, not codes
    assert result.segment is not None and result.segment == recommender.segment_of("cus_001")
    assert "isa_lifetime" in [i.product_id for i in result.items]  # first-home ISA for Alex (35)
    assert sum(repository.feedback("cus_001").shown_counts.values()) == 3  # recorded as shown
    json.dumps(result.to_dict())


def test_strategies_reorder_the_suitable_products_and_add_none(recommender: Recommender):
    """The experiments' arms: every strategy picks among the same suitable, scored products."""
    goal = GoalRequest("invest", 20_000, 120, "high", 300, text="grow my money over ten years")
    every = recommender.recommend("cus_002", goal, k=10)
    suitable = {i.product_id for i in every.items}
    for strategy in STRATEGIES:
        items = recommender.recommend("cus_002", goal, k=3, strategy=strategy).items
        assert len(items) == 3 and {i.product_id for i in items} <= suitable, strategy
    risks = [recommender.catalogue.get(i.product_id).risk_level
             for i in recommender.recommend("cus_002", goal, k=10, strategy="low_risk_first").items]
    assert risks == sorted(risks) and len(set(risks)) > 1
    fees = [(p.monthly_fee * 12 + p.annual_fee) for p in (
        recommender.catalogue.get(i.product_id)
        for i in recommender.recommend("cus_002", goal, k=10, strategy="low_fee_first").items)]
    assert fees == sorted(fees)
    with pytest.raises(ValueError, match="unknown strategy"):
        recommender.recommend("cus_002", goal, strategy="most_profitable")


def test_goal_text_steers_the_ranking(recommender: Recommender):
    ethical = recommender.recommend(
        "cus_002", GoalRequest("invest", 20_000, 120, "high", 300, text="ethical and green")
    )
    assert ethical.items[0].product_id == "fund_ethical"
    retirement = recommender.recommend(
        "cus_002", GoalRequest("invest", 20_000, 180, "high", 300, text="my retirement")
    )
    assert retirement.items[0].product_id == "pension_sipp"


def test_similar_customers_are_cited_when_enough_of_them_hold_it(
    recommender: Recommender, repository: StoreRepository
):
    for customer_id in ("cus_002", "cus_003", "cus_004", "cus_005", "cus_006"):
        repository.add_holding(customer_id, "ins_travel")
    recommender = Recommender.build(repository, recommender.settings, recommender.catalogue,
                                    recommender.text_index.encoder, recommender.segments)
    result = recommender.recommend("cus_001", GoalRequest("protect", 3000, 12, "low", 20,
                                                          text="travel insurance for my trips"))
    travel = next(i for i in result.items if i.product_id == "ins_travel")
    assert any("customers with finances like yours" in r for r in travel.reasons)


def test_no_profiling_consent_gives_a_general_answer_that_says_so(
    recommender: Recommender, repository: StoreRepository
):
    assert not repository.has_consent("cus_007", "profiling")
    result = recommender.recommend("cus_007", FIRST_HOME)
    assert not result.personalised and result.notice == NO_CONSENT_NOTICE
    assert result.segment is None and recommender.segment_of("cus_007") is None
    assert result.items and all(
        i.reasons[-1] == "Eligibility is checked when you apply." for i in result.items
    )
    assert not any("finances like yours" in r for i in result.items for r in i.reasons)

    repository.set_consent("cus_007", "profiling", True, channel="web_chat")
    assert recommender.recommend("cus_007", FIRST_HOME).personalised
    repository.set_consent("cus_001", "profiling", False, channel="branch")  # latest answer wins
    assert not recommender.recommend("cus_001", FIRST_HOME).personalised


def test_unknown_customer_is_an_error_everywhere(recommender: Recommender):
    with pytest.raises(UnknownCustomer, match="couldn.t find"):
        recommender.recommend("cus_999", FIRST_HOME)
    with pytest.raises(UnknownCustomer):
        recommender.segment_of("cus_999")
    with pytest.raises(UnknownCustomer):
        recommender.record_feedback("cus_999", "rec_x", "accepted")


def test_a_saved_goal_mapping_and_k_bounds(recommender: Recommender):
    saved = {"goal_type": "borrow", "target_amount": Decimal("8000.00"), "horizon_months": 36,
             "risk_tolerance": "low", "monthly_budget": Decimal("400.00")}
    assert len(recommender.recommend("cus_002", saved, k=1).items) == 1
    assert 1 <= len(recommender.recommend("cus_002", saved, k=50).items) <= 10
