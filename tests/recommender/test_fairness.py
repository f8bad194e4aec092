"""No protected attribute reaches a ranking: enforced by allow-lists and checked by flipping."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

import numpy as np
import pytest
from sqlalchemy import event

from recommender.equality_monitoring import load_equality_monitoring, save_equality_monitoring
from recommender.errors import ProtectedAttributeError
from recommender.goals import GoalRequest
from recommender.memory_repository import MemoryRepository
from recommender.profile import (
    ALLOWED_PROFILE_FIELDS,
    PROTECTED_ATTRIBUTES,
    CustomerProfile,
    profile_from_record,
)
from recommender.recommender import Recommender
from recommender.store_repository import StoreRepository
from recommender.vectors import DEFAULT_FEATURES, Feature, FeatureBuilder
from simulation.population import PROTECTED_VALUES, SyntheticPopulation
from tests.recommender.conftest import reseed

GOALS = [
    GoalRequest("save", 5000, 24, "low", 200, text="a deposit for my first home"),
    GoalRequest("invest", 15_000, 120, "high", 250, text="long-term growth"),
    GoalRequest("borrow", 6000, 36, "low", 300, text="a car"),
    GoalRequest("protect", 150_000, 240, "low", 40, text="life cover for my family"),
]
CUSTOMERS = ["cus_001", "cus_002", "cus_003", "cus_004", "cus_005", "cus_006"]
ANSWERS = {
    "gender": ("female", "male"), "ethnicity": ("asian", "white"), "religion": ("muslim", "none"),
    "marital_status": ("married", "single"), "disability": ("yes", "no"),
}


@pytest.mark.parametrize("name", sorted(PROTECTED_ATTRIBUTES))
def test_feature_builder_refuses_protected_inputs(name: str):
    with pytest.raises(ProtectedAttributeError, match=name):
        FeatureBuilder([*DEFAULT_FEATURES, Feature(name, (name,), lambda c: c[name])])
    with pytest.raises(ProtectedAttributeError, match=name):  # hidden behind another name
        FeatureBuilder([Feature("harmless", (name,), lambda c: c[name])])
    with pytest.raises(ProtectedAttributeError):
        profile_from_record({}, allowed=(*ALLOWED_PROFILE_FIELDS, name))


def test_profiles_cannot_hold_protected_attributes():
    assert not PROTECTED_ATTRIBUTES & {f.name for f in fields(CustomerProfile)}
    assert not PROTECTED_ATTRIBUTES & set(FeatureBuilder().inputs)
    population = SyntheticPopulation.generate(50, seed=5)
    record = population.record(0)
    assert PROTECTED_ATTRIBUTES <= set(record)  # the source has them ...
    profile = profile_from_record(record)  # ... the profile does not
    assert not any(hasattr(profile, name) for name in PROTECTED_ATTRIBUTES)


def _top3(recommender: Recommender) -> list[list[tuple[str, float]]]:
    return [
        [(i.product_id, i.score) for i in recommender.recommend(c, g).items]
        for c in CUSTOMERS
        for g in GOALS
    ]


def test_flipping_protected_attributes_in_the_store_changes_nothing(
    make_recommender, catalogue, sessions, engine
):
    now = datetime.now(UTC)
    repository = StoreRepository(sessions, catalogue, clock=lambda: now)  # same 90-day window
    for customer_id in CUSTOMERS:
        save_equality_monitoring(sessions, customer_id, {k: v[0] for k, v in ANSWERS.items()})
    statements: list[str] = []

    def capture(conn, cursor, statement, *args):  # noqa: ANN001
        statements.append(statement.lower())

    event.listen(engine, "before_cursor_execute", capture)
    try:
        before = _top3(make_recommender(repository))
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert statements and not any("equality_monitoring" in s for s in statements)

    reseed(sessions)  # same bank, fresh history, flipped answers
    for customer_id in CUSTOMERS:
        save_equality_monitoring(sessions, customer_id, {k: v[1] for k, v in ANSWERS.items()})
    assert load_equality_monitoring(sessions, "cus_001")["gender"] == "male"
    after = _top3(make_recommender(repository))
    assert after == before
    assert sum(len(x) for x in before) >= 40  # most requests were answered


def test_counterfactual_fairness_on_synthetic_profiles(make_recommender, catalogue):
    population = SyntheticPopulation.generate(3000, seed=11, catalogue=catalogue)
    repo_a, repo_b = MemoryRepository(), MemoryRepository()
    rng = np.random.default_rng(0)
    for i in range(3000):
        record = population.record(i)
        flipped = dict(record)
        for attr, values in PROTECTED_VALUES.items():
            flipped[attr] = next(v for v in rng.permutation(values) if v != record[attr])
        repo_a.add(record)
        repo_b.add(flipped)
    rec_a, rec_b = make_recommender(repo_a), make_recommender(repo_b)
    for i in range(150):
        goal, _, _ = population.goal(i)
        a = [(x.product_id, x.score) for x in rec_a.recommend(f"syn_{i:07d}", goal).items]
        b = [(x.product_id, x.score) for x in rec_b.recommend(f"syn_{i:07d}", goal).items]
        assert a == b
