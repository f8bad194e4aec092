"""The rollups against the journeys they sum (SQLite and PostgreSQL).

Events arrive shuffled in random batches (each journey is rebuilt, and its old summary taken
out of the rollups, as its steps come in), some are replayed, customers move segment
part-way, more customers arrive and some are erased. Then every dashboard figure read from the
rollups equals the same figure computed straight from the per-journey tables (the queries
before the rollups, below), for every filter, and the rollups equal a rebuild from scratch.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

import pytest
from sqlalchemy import Engine, and_, case, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from journeys.consumer import JourneyConsumer
from journeys.errors import GroupBelowK
from journeys.filters import Filters
from journeys.forms import form_slots
from journeys.friction import find_friction
from journeys.live_segments import SegmentWatcher
from journeys.metrics import Headline, JourneyAnalytics, Totals
from journeys.models import Journey, JourneyIntent, JourneyRecommendation
from journeys.payments import PAYMENT_FIELDS
from journeys.rollups import DAY_S, ROLLUPS, rebuild, repeat_changes, within_days
from service.compliance.erasure import delete_conversations
from simulation.journey_events import stream

START = 1_767_225_600.0  # 2026-01-01, the synthetic stream's first day
MEANS = {"start", "mean", "end"}  # float means: sums in another order may differ in the last bits


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _total(column: Any) -> Any:
    return func.coalesce(func.sum(column), 0)


class StraightFromJourneys(JourneyAnalytics):
    """Every sum computed straight from the per-journey tables."""

    def totals(self, connection: Connection, filters: Filters, by: str | None = None) -> list[Totals]:
        j = Journey
        query = select(func.count(), _count_if(j.escalated), _count_if(j.abandoned), _total(j.fallbacks),
                       _total(j.turns)).where(*filters.conditions())
        if by is None:
            return [Totals(None, *connection.execute(query).one())]
        group = getattr(j, by)
        return [Totals(r[-1], *r[:-1]) for r in connection.execute(query.add_columns(group).group_by(group)
                                                                    .order_by(group))]

    def headline(self, connection: Connection, filters: Filters) -> Headline:
        j = Journey
        in_form, resolved = j.form_name == self.funnel_form, and_(~j.escalated, ~j.abandoned)
        slots = form_slots().get(self.funnel_form, ())
        row = connection.execute(select(
            func.count(), _count_if(j.escalated), _count_if(j.abandoned), _total(j.fallbacks),
            _total(j.turns), _count_if(in_form), _count_if(and_(in_form, j.form_completed)),
            func.count(j.sentiment_mean), func.avg(j.sentiment_first), func.avg(j.sentiment_mean),
            func.avg(j.sentiment_last),
            _count_if(resolved), func.avg(case((resolved, j.ended_ts - j.started_ts))),
            *(_count_if(and_(in_form, j.form_slots_filled >= i + 1)) for i in range(len(slots))),
        ).where(*filters.conditions())).one()
        journeys, escalated, abandoned, fallbacks, turns, started, completed = row[:7]
        return Headline(None, journeys, escalated, abandoned, fallbacks, turns, started, completed,
                        tuple(row[13:]), row[7], tuple(row[8:11]), row[11], row[12])

    def escalation_counts(self, connection: Connection, filters: Filters) -> list[tuple[str | None, int]]:
        count = func.count()
        rows = connection.execute(
            select(Journey.escalation_reason, count).where(*filters.conditions(), Journey.escalated)
            .group_by(Journey.escalation_reason).order_by(count.desc(), Journey.escalation_reason))
        return [(reason, n) for reason, n in rows]

    def intents(self, connection: Connection, filters: Filters) -> list[Any]:
        i = JourneyIntent
        return list(connection.execute(
            select(i.intent, func.count().label("journeys"), func.sum(i.turns).label("turns"),
                   func.sum(i.fallbacks).label("fallbacks"), func.sum(i.negative).label("negative"),
                   _count_if(i.fallbacks >= 2).label("loops"),
                   _count_if(i.negative >= 1).label("negative_journeys"))
            .where(*filters.conditions(i)).group_by(i.intent).order_by(i.intent)))

    def recommendation_counts(self, connection: Connection, filters: Filters) -> list[Any]:
        r = JourneyRecommendation
        return list(connection.execute(
            select(r.product_id, r.segment, func.count().label("shown"),
                   _count_if(r.outcome == "accepted").label("accepted"),
                   _count_if(r.outcome == "declined").label("declined"))
            .where(*filters.conditions(r)).group_by(r.product_id, r.segment)
            .order_by(r.product_id, r.segment)))

    def payment_counts(self, connection: Connection, filters: Filters) -> dict[str, int]:
        row = connection.execute(select(*(_total(getattr(Journey, name)) for name in PAYMENT_FIELDS))
                                 .where(*filters.conditions())).one()
        return dict(zip(PAYMENT_FIELDS, row, strict=True))

    def repeat_counts(self, connection: Connection, filters: Filters) -> tuple[int, int]:
        return self.repeat_counts_from_journeys(connection, filters)

    def path_counts(self, connection: Connection, filters: Filters,
                    through: tuple[str, str] = ("all", "")) -> list[tuple[str, int]]:
        kind, step = through
        query = select(Journey.path, func.count()).where(*filters.conditions())
        if kind == "form_drop_off":
            query = query.where(Journey.form_abandon_slot == step)
        elif kind != "all":
            i = JourneyIntent
            marked = i.fallbacks >= 2 if kind == "rephrase_loop" else i.negative >= 1
            query = (select(Journey.path, func.count()).join(i, i.conversation_id == Journey.conversation_id)
                     .where(*filters.conditions(i), i.intent == step, marked))
        rows = connection.execute(query.group_by(Journey.path).order_by(Journey.path))
        return [(path, n) for path, n in rows]

    def median_duration(self, connection: Connection, filters: Filters, n: int) -> float:
        duration = Journey.ended_ts - Journey.started_ts
        middle = list(connection.scalars(
            select(duration).where(*filters.conditions(), ~Journey.escalated, ~Journey.abandoned)
            .order_by(duration).offset((n - 1) // 2).limit(2 - n % 2)))
        return sum(middle) / len(middle)


FILTERS = [
    Filters(), Filters(channel="web"), Filters(channel="app"), Filters(segment="savers"),
    Filters(segment="unknown", channel="app"), Filters(date_from=date(2026, 1, 4)),
    Filters(date_to=date(2026, 1, 8)), Filters(date_from=date(2026, 1, 3), date_to=date(2026, 1, 9)),
    Filters(date_from=date(2026, 1, 2), date_to=date(2026, 1, 10), channel="web", segment="unknown"),
    Filters(date_to=date(2026, 1, 11), segment="students"),
]


def _figures(analytics: JourneyAnalytics, filters: Filters) -> dict[str, Any]:
    figures: dict[str, Callable[[], Any]] = {
        "overview": lambda: analytics.overview(filters),
        **{f"by_{by}": partial(analytics.breakdown, filters, by)
           for by in ("segment", "channel", "day")},
        "paths": lambda: analytics.paths(filters), "friction": lambda: find_friction(analytics, filters),
        "daily": lambda: analytics.daily_series(filters), "segments": analytics.segments,
    }
    out: dict[str, Any] = {}
    for name, figure in figures.items():
        try:
            out[name] = figure()
        except GroupBelowK:
            out[name] = "refused"
    return out


def _means(value: Any, found: list[float]) -> Any:
    """``value`` without its float means, which go to ``found``."""
    if isinstance(value, list):
        return [_means(v, found) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, v in value.items():
        if key in MEANS and isinstance(v, float):
            found.append(v)
        else:
            out[key] = _means(v, found)
    return out


def _assert_same(ours: Any, straight: Any) -> None:
    our_means: list[float] = []
    straight_means: list[float] = []
    assert _means(ours, our_means) == _means(straight, straight_means)
    assert our_means == pytest.approx(straight_means, abs=2e-3)


def _snapshot(engine: Engine) -> dict[tuple[Any, ...], list[Any]]:
    out: dict[tuple[Any, ...], list[Any]] = {}
    with engine.connect() as connection:
        for rollup in ROLLUPS:
            for row in connection.execute(select(rollup.table.__table__)):
                out[(rollup.name, *row[:len(rollup.keys)])] = list(row[len(rollup.keys):])
    return out


def _in_random_batches(consumer: JourneyConsumer, events: list[dict[str, Any]], rng: random.Random) -> None:
    events = events[:]
    rng.shuffle(events)
    while events:
        size = rng.randint(1, 250)
        consumer.ingest((None, e) for e in events[:size])
        del events[:size]


@pytest.fixture
def scrambled(journey_engine: Engine) -> Engine:
    """A store through every kind of change the rollups follow."""
    rng = random.Random(11)
    consumer = JourneyConsumer(journey_engine)
    first, _ = stream(160, seed=21, days=12, customers=30, abandon_share=0.5)
    _in_random_batches(consumer, first, rng)
    _in_random_batches(consumer, rng.sample(first, len(first) // 3), rng)  # replayed: duplicates
    watcher = SegmentWatcher(journey_engine, lambda _: None, session_s=3 * 86_400)
    for n in range(12):  # journeys going on at the change (within 3 days before it) move
        at = datetime.fromtimestamp(START + rng.uniform(2, 11) * 86_400, UTC)
        watcher.record(f"cus_{n:05d}", "savers" if n % 2 else "students", at)
    second, _ = stream(120, seed=22, days=12, customers=40)
    for event in second:
        event["sender_id"] = event["sender_id"].replace("conv_syn_", "conv_two_")
    _in_random_batches(consumer, second + rng.sample(first, 200), rng)
    with journey_engine.connect() as connection:
        erased = list(connection.scalars(select(Journey.conversation_id)
                                         .where(Journey.customer_id.in_(["cus_00003", "cus_00014"]))))
    assert erased
    with Session(journey_engine) as session:
        assert delete_conversations(session, erased)["journeys"] == len(erased)
        session.commit()
    return journey_engine


@pytest.mark.parametrize(("k", "repeat_days"), [(3, 7), (10, 2)])
def test_figures_from_the_rollups_equal_the_journeys(scrambled: Engine, k: int, repeat_days: int) -> None:
    ours = JourneyAnalytics(scrambled, k=k, repeat_days=repeat_days)
    straight = StraightFromJourneys(scrambled, k=k, repeat_days=repeat_days)
    for filters in FILTERS:
        figures = _figures(ours, filters)
        _assert_same(figures, _figures(straight, filters))
    everything = _figures(ours, Filters())["overview"]
    assert everything["repeat_contact_rate"] and everything["time_to_resolution_s"]["median"]
    assert {"savers", "students"} <= set(ours.segments())


def test_rollups_equal_a_rebuild(scrambled: Engine) -> None:
    kept = _snapshot(scrambled)
    assert all(values[0] > 0 for values in kept.values()), "no empty or negative rows"
    with scrambled.begin() as connection:
        rebuild(connection)
    rebuilt = _snapshot(scrambled)
    assert kept.keys() == rebuilt.keys()
    for key, values in kept.items():
        assert values == pytest.approx(rebuilt[key], abs=1e-6), key


def test_within_days_is_the_windows_own_test() -> None:
    started = START + 0.123456
    for gap, days in ((0.0, 0), (1.0, 1), (DAY_S, 1), (7 * DAY_S, 7), (7 * DAY_S + 1e-3, 8)):
        assert within_days(started, started + gap) == days
    first = (started, "2026-01-01", "web", "unknown")
    week = (started + 7 * DAY_S, "2026-01-08", "web", "unknown")
    eight = (started + 8 * DAY_S, "2026-01-09", "web", "unknown")
    changes = dict(repeat_changes([first], [week], []))
    assert changes[("2026-01-01", "web", "unknown", "any", "2026-01-08", 7)] == 1, "a week to the second"
    assert not dict(repeat_changes([first], [eight], [])), "eight days later is no repeat contact"
