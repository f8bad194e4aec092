"""Metrics, friction and control charts against the synthetic stream's own truth."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, select

from journeys.consumer import JourneyConsumer
from journeys.errors import GroupBelowK, InvalidFilter
from journeys.filters import Filters
from journeys.friction import control_chart, find_friction
from journeys.metrics import JourneyAnalytics
from journeys.models import Journey
from service.errors_http import domain_status
from simulation.journey_events import stream


@pytest.fixture
def loaded(journey_engine: Engine) -> tuple[JourneyAnalytics, list]:  # type: ignore[type-arg]
    events, truths = stream(400, seed=9, abandon_slot="goal_horizon_months", abandon_share=0.5)
    JourneyConsumer(journey_engine).ingest((None, e) for e in events)
    return JourneyAnalytics(journey_engine, k=10), truths


def test_overview_equals_the_truth(loaded) -> None:  # type: ignore[no-untyped-def]
    analytics, truths = loaded
    o = analytics.overview(Filters())
    n = len(truths)
    escalated = sum(t.escalated for t in truths)
    assert o["journeys"] == n
    assert o["containment"] == round((n - escalated) / n, 4)
    assert o["escalations"] == [{"reason": "customer_request", "journeys": escalated,
                                 "rate": round(escalated / n, 4)}]
    started = [t for t in truths if t.form_started]
    assert o["funnel"]["started"] == len(started)
    assert o["funnel"]["completed"] == sum(t.form_completed for t in started)
    for i, step in enumerate(o["funnel"]["steps"]):
        assert step["filled"] == sum(t.slots_filled > i for t in started)
    fallbacks = sum(t.fallbacks for t in truths)
    assert o["fallback_rate"] == round(fallbacks / sum(t.turns for t in truths), 4)
    web = analytics.overview(Filters(channel="web"))
    assert web["journeys"] == sum(t.channel == "web" for t in truths)


def test_planted_drop_off_is_the_top_friction(loaded) -> None:  # type: ignore[no-untyped-def]
    analytics, _ = loaded
    findings = find_friction(analytics, Filters())
    top = next(f for f in findings if f["kind"] == "form_drop_off")
    assert (top["step"], top["unusual"]) == ("goal_horizon_months", True)
    assert findings.index(top) < 5
    assert [f["step"] for f in findings if f["kind"] == "form_drop_off" and f["unusual"]] == [top["step"]]
    assert top["examples"] and "abandoned" in top["examples"][0]["path"]
    assert any(f["kind"] == "rephrase_loop" and f["step"] == "nlu_fallback" for f in findings)


def test_small_groups_are_refused_and_empty_filters_answer_empty(loaded) -> None:  # type: ignore[no-untyped-def]
    analytics, _ = loaded
    strict = JourneyAnalytics(analytics.engine, k=1000)
    with pytest.raises(GroupBelowK) as refused:
        strict.overview(Filters(channel="web"))
    assert refused.value.code == "group_below_k" and "fewer than 1000" in refused.value.message
    assert domain_status(refused.value) == 403
    empty = analytics.overview(Filters(date_from=date(2030, 1, 1)))
    assert empty["journeys"] == 0 and empty["empty"] is True
    segments = JourneyAnalytics(analytics.engine, k=10**6).breakdown
    with pytest.raises(GroupBelowK):
        segments(Filters(channel="app"), "segment")
    days = analytics.breakdown(Filters(), "day")
    assert all(d.get("suppressed") or d["journeys"] >= 10 for d in days)
    with pytest.raises(InvalidFilter):
        Filters(date_from=date(2026, 2, 1), date_to=date(2026, 1, 1))


def test_control_chart_flags_a_shift() -> None:
    series = [{"day": f"2026-01-{d:02d}", "journeys": 200, "escalated": 20, "abandoned": 0,
               "fallbacks": 0, "turns": 1} for d in range(1, 15)]
    series[11]["escalated"] = 60
    chart = control_chart(series, "escalation_rate", baseline_days=7)
    assert [a["day"] for a in chart["alerts"]] == ["2026-01-12"]
    assert chart["alerts"][0]["direction"] == "up"


def test_repeat_contact_counts_returns_within_the_window(loaded) -> None:  # type: ignore[no-untyped-def]
    analytics, _ = loaded
    with analytics.engine.connect() as connection:
        rows = connection.execute(select(Journey.customer_id, Journey.started_ts)).all()
    starts: dict[str, list[float]] = {}
    for customer, started in rows:
        starts.setdefault(customer, []).append(started)
    window = 7 * 86_400
    repeats = sum(1 for times in starts.values() for t in times
                  if any(t < other <= t + window for other in times))
    assert repeats > 0
    assert analytics.overview(Filters())["repeat_contact_rate"] == round(repeats / len(rows), 4)
