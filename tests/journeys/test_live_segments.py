"""Live segments on the real store (SQLite and PostgreSQL) with the real recommender: a saved
goal and then new salary payments re-profile the customer within seconds; the change is
recorded, journeys still going on move with it, the next recommendation sees it, and the
drift figures show it (suppressed under k)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine, select

from bank.models import Account, Transaction
from bank.seed import seed_demo_bank
from bank.store import ProfileStore
from bank.views import GoalInput
from database.engine import session_factory
from journeys.consumer import JourneyConsumer
from journeys.filters import Filters
from journeys.live_segments import SegmentWatcher, recommender_refresh
from journeys.metrics import JourneyAnalytics
from journeys.models import Journey, JourneyIntent, SegmentChange
from recommender.catalogue import load_catalogue
from recommender.demo_seed import seed_recommendations
from recommender.embeddings import MiniLMEncoder
from recommender.models import CustomerFeatures, CustomerSegment
from recommender.recommender import Recommender, fit_segments
from recommender.settings import RecommenderSettings
from recommender.store_repository import StoreRepository
from recommender.vectors import FeatureBuilder
from simulation.population import reference_columns

CUSTOMER = "cus_006"  # a student on a modest income in the demo bank
GOAL = GoalInput(goal_type="save", target_amount=Decimal(6000), horizon_months=36, risk_tolerance="low",
                 monthly_budget=Decimal(200))


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, ...]:
    settings = RecommenderSettings(cache_dir=tmp_path_factory.mktemp("rec-cache"), reference_population=4000,
                                   segments_k=6)
    features = FeatureBuilder()
    no_customers = np.zeros((0, features.dim), dtype=np.float32)
    segments = fit_segments(no_customers, features, settings, reference_columns)
    return settings, load_catalogue(), MiniLMEncoder(torch_threads=1), segments


def _conversation(cid: str, start: float) -> list[dict[str, Any]]:
    meta = {"customer_id": CUSTOMER, "channel": "web"}
    return [{"event": "user", "sender_id": cid, "timestamp": start + i, "text": "…", "metadata": meta,
             "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}
            for i, intent in enumerate(["greet", "check_balance"])]


class Poller:
    """The watcher polling in the background, as the API's loop does (every 0.5 s here)."""

    def __init__(self, watcher: SegmentWatcher) -> None:
        self.watcher, self.stop = watcher, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            self.watcher.poll()
            self.stop.wait(0.5)

    def __enter__(self) -> Poller:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join(timeout=30)


def _wait_for_change(engine: Engine, count: int, timeout_s: float = 10.0) -> float:
    """Seconds until the customer has ``count`` recorded segment changes."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout_s:
        with engine.connect() as connection:
            n = len(connection.scalars(select(SegmentChange.id).where(SegmentChange.customer_id == CUSTOMER))
                    .all())
        if n >= count:
            return time.perf_counter() - start
        time.sleep(0.1)
    raise AssertionError(f"no segment change within {timeout_s} s")


@pytest.fixture
def recommender(journey_engine: Engine, parts: tuple[Any, ...]) -> Iterator[Recommender]:
    settings, catalogue, encoder, segments = parts
    sessions = session_factory(journey_engine)
    seed_demo_bank(sessions, reset=True)
    seed_recommendations(sessions)
    yield Recommender.build(StoreRepository(sessions, catalogue), settings, catalogue, encoder, segments)


def test_profile_changes_move_the_segment_within_seconds(journey_engine: Engine,
                                                         recommender: Recommender) -> None:
    sessions = session_factory(journey_engine)
    consumer = JourneyConsumer(journey_engine)
    now = time.time()
    consumer.ingest((None, e) for e in _conversation("conv_old", now - 2 * 86_400)
                    + _conversation("conv_now", now - 300))
    watcher = SegmentWatcher(journey_engine, recommender_refresh(lambda: recommender),
                             since=datetime.now(UTC))
    assert watcher.poll().customers == 0, "nothing changed yet"

    with Poller(watcher):
        ProfileStore(sessions).save_goal(CUSTOMER, GOAL)  # a saved goal: first profile
        _wait_for_change(journey_engine, 1)
        with journey_engine.connect() as connection:
            first = connection.execute(select(SegmentChange)).one()
            income_before = connection.scalar(select(CustomerFeatures.monthly_income)
                                              .where(CustomerFeatures.customer_id == CUSTOMER))
        assert (first.customer_id, first.previous) == (CUSTOMER, None)
        consumer.rebuild_all()  # both journeys now carry that first segment

        with sessions.begin() as session:  # three monthly salaries arrive from the bank's feed
            account = session.scalars(select(Account).where(Account.customer_id == CUSTOMER)).first()
            assert account is not None
            for months in (2, 1, 0):
                session.add(Transaction(id=f"tx_{uuid.uuid4().hex[:20]}", account_id=account.id,
                                        booked_at=datetime.now(UTC) - timedelta(days=30 * months),
                                        amount=Decimal("9000.00"), description="Employer Ltd",
                                        category="salary"))
        waited = _wait_for_change(journey_engine, 2)
    assert waited < 5.0, f"re-profiled after {waited:.1f} s"

    with journey_engine.connect() as connection:
        moved = connection.execute(select(SegmentChange).order_by(SegmentChange.id.desc())).first()
        features = connection.execute(
            select(CustomerFeatures).where(CustomerFeatures.customer_id == CUSTOMER)).one()
        stored = connection.scalar(
            select(CustomerSegment.name).where(CustomerSegment.customer_id == CUSTOMER))
        journeys = dict(connection.execute(select(Journey.conversation_id, Journey.segment)).tuples().all())
        intents = set(connection.execute(select(JourneyIntent.conversation_id, JourneyIntent.segment)).all())
    assert moved is not None and moved.previous == first.segment and moved.segment != first.segment
    assert features.monthly_income > income_before, "features follow the new transactions"
    assert stored == moved.segment
    assert journeys == {"conv_old": first.segment, "conv_now": moved.segment}, \
        "a finished journey keeps its segment; one going on at the change moves"
    assert intents == {("conv_old", first.segment), ("conv_now", moved.segment)}, "per-intent rows too"
    segment = recommender.recommend(CUSTOMER, asdict(GOAL)).segment
    assert segment is not None and segment.name == moved.segment, "the next recommendation"

    drift = JourneyAnalytics(journey_engine, k=1).drift(Filters())
    today = moved.day
    assert drift["days"] == [{"day": today, "changes": 2, "new": 1, "moved": 1}]
    assert drift["moves"] == [{"from": first.segment, "to": moved.segment, "customers": 1}]
    assert drift["current"] == [{"segment": moved.segment, "customers": 1}]
    hidden = JourneyAnalytics(journey_engine, k=10).drift(Filters())
    assert hidden["moves"] == [] and hidden["suppressed_moves"] == 1
    assert hidden["days"] == [{"day": today, "changes": None, "suppressed": True}]
    assert JourneyAnalytics(journey_engine, k=1).drift(Filters(segment="no such segment"))["days"] == []


def test_customers_without_profiling_consent_are_not_profiled(journey_engine: Engine,
                                                              recommender: Recommender) -> None:
    watcher = SegmentWatcher(journey_engine, recommender_refresh(lambda: recommender),
                             since=datetime.now(UTC))
    store = ProfileStore(session_factory(journey_engine))
    store.save_goal("cus_007", GOAL)  # cus_007 said no to profiling
    report = watcher.poll()
    assert (report.customers, report.refreshed, report.changed) == (1, 1, [])
    store.save_goal("cus_003", GOAL)
    report = watcher.poll()
    assert report.customers == 1, "a change is acted on once"
    assert [c["customer_id"] for c in report.changed] == ["cus_003"]
    with journey_engine.connect() as connection:
        assert connection.scalars(select(SegmentChange.customer_id)).all() == ["cus_003"]
