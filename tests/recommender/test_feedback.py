"""Feedback: accepted and declined answers change later rankings and the lookalike signal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from recommender.errors import InvalidFeedback, UnknownRecommendation
from recommender.goals import GoalRequest
from recommender.models import RecommendationEvent
from recommender.recommender import Recommender
from recommender.results import CustomerFeedback
from recommender.scoring import score_candidates
from recommender.store_repository import StoreRepository
from recommender.suitability import assess

GOAL = GoalRequest("save", 5000, 24, "low", 200, text="saving for a deposit on my first home")


def test_declined_product_drops_out_of_the_top(recommender: Recommender, repository, sessions):
    first = recommender.recommend("cus_001", GOAL)
    top = first.items[0]
    receipt = recommender.record_feedback("cus_001", top.rec_id, "not_for_me")
    assert (receipt.product_id, receipt.outcome) == (top.product_id, "declined")
    later = recommender.recommend("cus_001", GOAL)
    assert later.items[0].product_id != top.product_id
    assert top.product_id not in [i.product_id for i in later.items]
    with sessions() as session:
        events = session.scalars(
            select(RecommendationEvent.event).where(RecommendationEvent.rec_id == top.rec_id)
        ).all()
    assert sorted(map(str, events)) == ["declined", "shown"]

    rebuilt = Recommender.build(repository, recommender.settings, recommender.catalogue,
                                recommender.text_index.encoder, recommender.segments)
    assert rebuilt.recommend("cus_001", GOAL).items[0].product_id != top.product_id  # persisted


def test_accepted_product_is_not_offered_again(recommender: Recommender):
    first = recommender.recommend("cus_001", GOAL, k=10)
    chosen = first.items[0]
    recommender.record_feedback("cus_001", chosen.rec_id, "interested")
    later = [i.product_id for i in recommender.recommend("cus_001", GOAL, k=10).items]
    assert chosen.product_id not in later and later
    assert recommender.profiles.feedback("cus_001").accepted == {chosen.product_id}


def test_feedback_penalties_in_the_scorer(recommender: Recommender):
    goal = GoalRequest("save", 5000, 24, "low", 200)
    catalogue = recommender.catalogue
    assessments = [a for a in (assess(p, goal, None) for p in catalogue) if a.ok]
    cosines = {a.product.id: 0.3 for a in assessments}
    categories = {p.id: p.category for p in catalogue}
    weights = recommender.weights

    def scores(feedback: CustomerFeedback) -> dict[str, float]:
        ranked = score_candidates(assessments, goal, cosines, recommender.popularity, weights,
                                  feedback=feedback, categories=categories)
        return {s.product.id: s.parts.total for s in ranked}

    base = scores(CustomerFeedback())
    declined = scores(CustomerFeedback(declined=frozenset({"ftd_2y"})))
    accepted = scores(CustomerFeedback(accepted=frozenset({"ftd_1y"})))
    for pid, score in base.items():
        same_category = categories[pid] == "fixed_term"
        want_declined = score - (weights.declined if pid == "ftd_2y" else
                                 weights.declined_category if same_category else 0.0)
        assert declined[pid] == pytest.approx(want_declined, abs=1e-6)
        want_accepted = score - (weights.accepted_category if same_category else 0.0)
        assert accepted[pid] == pytest.approx(want_accepted, abs=1e-6)


def test_feedback_moves_the_lookalike_signal_other_customers_see(
    recommender: Recommender, repository: StoreRepository
):
    profile = repository.profile("cus_006")
    vector = recommender.features.vector(profile)
    before = recommender.lookalike.signal(vector, 50, exclude="cus_006").positive.get("ins_gadget", 0)
    goal = GoalRequest("protect", 1200, 12, "low", 30, text="insurance for my phone and laptop")
    for customer_id in ("cus_001", "cus_002", "cus_003"):
        result = recommender.recommend(customer_id, goal)
        gadget = next(i for i in result.items if i.product_id == "ins_gadget")
        recommender.record_feedback(customer_id, gadget.rec_id, "accepted")
    after = recommender.lookalike.signal(vector, 50, exclude="cus_006").positive.get("ins_gadget", 0)
    assert after == before + 3
    result = recommender.recommend("cus_006", goal)
    gadget = next(i for i in result.items if i.product_id == "ins_gadget")
    assert any("3 of" in r and "finances like yours" in r for r in gadget.reasons)


def test_more_info_is_recorded_without_changing_the_ranking(recommender: Recommender):
    first = recommender.recommend("cus_004", GOAL)
    recommender.record_feedback("cus_004", first.items[0].rec_id, "tell me more")
    fb = recommender.profiles.feedback("cus_004")
    assert not fb.accepted and not fb.declined


def test_bad_feedback_is_refused(recommender: Recommender):
    mine = recommender.recommend("cus_001", GOAL).items[0]
    with pytest.raises(UnknownRecommendation):
        recommender.record_feedback("cus_001", "rec_doesnotexist", "accepted")
    with pytest.raises(UnknownRecommendation):
        recommender.record_feedback("cus_002", mine.rec_id, "accepted")  # not theirs
    with pytest.raises(InvalidFeedback):
        recommender.record_feedback("cus_001", mine.rec_id, "maybe later")
