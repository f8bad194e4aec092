"""The analytics API against the simulator's own record: seeded customers talked to the real
stack (trained bot, action server, API); the API's background consumer ingested Rasa's
tracker store and the service's handoffs. k stays 10: the cohort is sized so the groups
compared hold at least 10 journeys."""

from __future__ import annotations

import time
from collections import Counter

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from bank.models import Goal
from journeys.experiments import STRATEGY_EXPERIMENT
from journeys.forms import FUNNEL_FORM, form_slots
from journeys.models import ExperimentOutcome, SegmentChange
from journeys.summary import FALLBACK_INTENTS
from stack.processes import Stack
from stack.simulate import EXPERIMENTS, GOAL_ANSWERS, Customer, Record, button_titled, queued
from tests.journeys.live import Simulation, analyst

pytestmark = pytest.mark.stack

K = 10
NO_PROFILING = {"cus_007"}  # the demo customer who said no to profiling


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4)


def test_simulation_ran_in_time(simulation: Simulation) -> None:
    behaviours = Counter(r.behaviour for r in simulation.records)
    assert behaviours == {"goal": 12, "goal_abandon": 10, "fallback": 10, "human": 4, "quick": 4}
    assert simulation.seconds < 180, f"{simulation.seconds:.0f} s for {len(simulation.records)} customers"
    assert simulation.ingest_lag_s < 10, f"journeys {simulation.ingest_lag_s:.1f} s behind the customers"


def test_overview_equals_the_record(simulation: Simulation) -> None:
    records: list[Record] = simulation.records
    n = len(records)
    o = analyst(simulation.api_url).get("/v1/analytics/overview", params=simulation.filters).json()
    assert (o["journeys"], o["k"]) == (n, K)
    handed_off = [r for r in records if r.escalated]
    assert {r.behaviour for r in handed_off} == {"fallback", "human"}, "who the service queued"
    assert o["containment"] == _rate(n - len(handed_off), n)
    assert o["escalation_rate"] == _rate(len(handed_off), n)
    # The service's own repeated-fallback handoffs are in the journeys;
    # the handful who asked for a person stay below k and are suppressed.
    fallback = sum(r.behaviour == "fallback" for r in handed_off)
    assert o["escalations"][0] == {"reason": "repeated_fallback", "journeys": fallback,
                                   "rate": _rate(fallback, n)}
    assert o["escalations"][1:] == [{"reason": "customer_request", "journeys": None, "suppressed": True}]
    assert o["abandonment_rate"] == _rate(sum(r.abandon_slot is not None for r in records), n)

    started = [r for r in records if r.form_started]
    funnel = o["funnel"]
    assert funnel["started"] == len(started)
    assert funnel["completed"] == sum(r.goal_saved for r in started)
    for i, (step, slot) in enumerate(zip(funnel["steps"], form_slots()[FUNNEL_FORM], strict=True)):
        assert step["slot"] == slot
        assert step["filled"] == sum(len(r.slots_answered) > i for r in started), step
    customers = Counter(r.customer_id for r in records)
    assert o["repeat_contact_rate"] == _rate(n - len(customers), n), "same-day returns, 7-day window"


def test_paths_breakdown_and_friction(simulation: Simulation) -> None:
    http = analyst(simulation.api_url)
    records = simulation.records
    edges = {(e["from"], e["to"]): e["journeys"]
             for e in http.get("/v1/analytics/paths", params=simulation.filters).json()["edges"]}
    assert edges[("greet", "set_goal")] == sum(r.form_started for r in records)
    # The bot may call gibberish nlu_fallback (low confidence) or out_of_scope: both are fallbacks.
    not_understood = sum(r.behaviour == "fallback" for r in records)
    assert sum(edges.get(("greet", f), 0) for f in FALLBACK_INTENTS) == not_understood, edges
    assert sum(edges.get((f, "escalation"), 0) for f in FALLBACK_INTENTS) == not_understood, edges
    by_channel = http.get("/v1/analytics/breakdown", params={**simulation.filters, "by": "channel"}).json()
    assert [(row["channel"], row["journeys"]) for row in by_channel] == [("app", len(records))]

    findings = http.get("/v1/analytics/friction", params=simulation.filters).json()
    drops = [f for f in findings if f["kind"] == "form_drop_off" and f["unusual"]]
    planted = {r.abandon_slot for r in records if r.abandon_slot}
    assert [f["step"] for f in drops] == sorted(planted) == ["goal_horizon_months"]
    assert drops[0]["affected"] == sum(r.abandon_slot is not None for r in records)
    assert findings.index(drops[0]) < 3, "the planted drop-off ranks at the top"


def test_saved_goals_re_profile_customers_within_seconds(simulation: Simulation, stack: Stack) -> None:
    savers = {r.customer_id for r in simulation.records if r.goal_saved} - NO_PROFILING
    assert savers
    engine = create_engine(stack.config.database_url)
    try:
        start = time.perf_counter()
        while True:
            with engine.connect() as connection:
                profiled = set(connection.scalars(select(SegmentChange.customer_id).distinct()))
                goals = connection.scalar(select(Goal.id).where(Goal.customer_id.in_(savers)).limit(1))
            if savers <= profiled or time.perf_counter() - start > 60:
                break
            time.sleep(0.5)
    finally:
        engine.dispose()
    assert goals is not None, "the goals are in the profile store"
    assert savers <= profiled, f"not re-profiled: {sorted(savers - profiled)}"
    assert not profiled & NO_PROFILING
    drift = analyst(simulation.api_url).get("/v1/analytics/drift").json()
    assert drift["k"] == K and drift["days"], drift


def test_the_bots_experiments_ran_to_a_result(simulation: Simulation, stack: Stack) -> None:
    """Every answer to a suggestion is one outcome of each experiment (a bandit over ranking
    strategies, an A/B test of the introduction); the rewards are the acceptances. The API
    shows the totals and hides each arm with fewer than k outcomes."""
    answers = [r.answer for r in simulation.records if r.answer]
    assert len(answers) == sum(r.goal_saved for r in simulation.records) >= K, "each saver answered"
    engine = create_engine(stack.config.database_url)
    try:
        with engine.connect() as connection:
            logged = connection.execute(
                select(ExperimentOutcome.experiment, func.count(), func.sum(ExperimentOutcome.reward))
                .group_by(ExperimentOutcome.experiment)).all()
    finally:
        engine.dispose()
    assert {name: (n, reward) for name, n, reward in logged} == {
        name: (len(answers), answers.count("accepted")) for name in EXPERIMENTS}
    for name, (kind, arms) in EXPERIMENTS.items():
        result = simulation.experiments[name]
        assert (result["kind"], [a["arm"] for a in result["arms"]]) == (kind, list(arms))
        assert result["traffic"] == len(answers), name
        shown = [a for a in result["arms"] if not a.get("suppressed")]
        assert all(a["n"] is None for a in result["arms"] if a.get("suppressed"))
        for arm in shown:
            assert arm["n"] == 0 or arm["n"] >= K
            low, high = arm["credible_95"]
            assert 0 <= low <= arm["posterior_mean"] <= high <= 1 and 0 <= arm["p_best"] <= 1
        assert result["replay_uniform_policy"]["n"] == len(answers)


def test_a_handoff_after_suggestions_counts_against_the_arm(simulation: Simulation, stack: Stack) -> None:
    """The guardrail's input: a customer shown suggestions who then asks for a person is an
    escalation of their arm (on the web channel, outside the simulation's figures)."""

    def escalations() -> int:
        engine = create_engine(stack.config.database_url)
        try:
            with engine.connect() as connection:
                return int(connection.scalar(select(func.count()).select_from(ExperimentOutcome).where(
                    ExperimentOutcome.experiment == STRATEGY_EXPERIMENT,
                    ExperimentOutcome.customer_id == "cus_002", ExperimentOutcome.escalated)) or 0)
        finally:
            engine.dispose()

    before = escalations()
    with httpx.Client(base_url=simulation.api_url, timeout=120) as client:
        chat = Customer(client, "cus_002", "web")
        replies = chat.send("I want to set a savings goal")
        for _slot, answer in GOAL_ANSWERS:
            button = button_titled(replies, answer)
            replies = chat.send(answer, button["payload"] if button else None)
        assert button_titled(replies, "Tell me more"), "suggestions were shown"
        assert queued(chat.send("can I talk to a real person please"))
    deadline = time.perf_counter() + 10
    while escalations() == before and time.perf_counter() < deadline:
        time.sleep(0.2)
    assert escalations() == before + 1
