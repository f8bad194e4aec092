"""Segments: k-means over profile vectors, kept on the profile, updated when it changes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy import update

from bank.models import Customer
from recommender.recommender import Recommender
from recommender.segments import SegmentModel
from recommender.store_repository import StoreRepository
from recommender.vectors import FeatureBuilder
from simulation.population import SyntheticPopulation


def test_kmeans_segments_have_distinct_names_and_stable_assignment(tmp_path: Path):
    features = FeatureBuilder()
    vectors = features.matrix(SyntheticPopulation.generate(5000, seed=2).columns)
    model = SegmentModel.fit(vectors, 6, features.names, seed=1)
    assert len(model.segments) == 6
    assert len({s.name for s in model.segments}) == 6
    assigned = model.assign_many(vectors)
    assert len(set(assigned.tolist())) == 6
    again = SegmentModel.fit(vectors, 6, features.names, seed=1)
    assert again.version == model.version and (again.assign_many(vectors) == assigned).all()
    model.save(tmp_path / "segments.npz")
    loaded = SegmentModel.load(tmp_path / "segments.npz")
    assert (loaded.assign_many(vectors) == assigned).all()
    assert loaded.segments == model.segments


def test_segment_is_kept_on_the_profile_and_shown_with_recommendations(
    recommender: Recommender, repository: StoreRepository
):
    segment = recommender.segment_of("cus_001")
    assert segment is not None and repository.saved_segment("cus_001") == segment
    assert repository.saved_features("cus_001") is not None
    assert recommender.recommend("cus_001", {"goal_type": "save", "target_amount": 1000,
                                             "horizon_months": 12}).segment == segment


def test_segment_and_lookalike_row_follow_a_changed_profile(
    recommender: Recommender, repository: StoreRepository, sessions
):
    before = recommender.segment_of("cus_003")  # Tom, a student
    rows_before = recommender.lookalike.index.ntotal
    with sessions.begin() as session:
        session.execute(
            update(Customer)
            .where(Customer.id == "cus_003")
            .values(birth_year=1948, employment_status="retired", annual_income=Decimal("95000"))
        )
    repository.add_holding("cus_003", "fund_cautious", Decimal("250000.00"))
    repository.add_holding("cus_003", "ftd_5y", Decimal("80000.00"))
    after = recommender.refresh_profile("cus_003")
    assert before is not None and after is not None and after.id != before.id
    assert repository.saved_segment("cus_003") == after
    assert recommender.lookalike.index.ntotal == rows_before + 1  # moved, old row retired
    assert recommender.segment_of("cus_003") == after  # unchanged profile: no new row
    assert recommender.lookalike.index.ntotal == rows_before + 1
    assert len(recommender.lookalike) == 6  # still six live customers (cus_007 has no consent)
