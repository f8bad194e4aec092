"""Experiments: sticky logged assignment, Thompson sampling, guardrails, IPW replay."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import Engine

from assistant.actions.recommendations import INTROS
from journeys.errors import ExperimentError, UnknownExperiment
from journeys.experiments import (
    INTRO_EXPERIMENT,
    INTRO_VARIANTS,
    STRATEGY_EXPERIMENT,
    Experiments,
    beta_interval,
    ipw_estimate,
)
from recommender.strategies import STRATEGIES

TRUE_RATES = {"score": 0.2, "low_risk_first": 0.35, "low_fee_first": 0.1}


def test_assignment_is_sticky_and_logged_with_propensity(sqlite_engine: Engine) -> None:
    experiments = Experiments(sqlite_engine)
    experiments.create("wording", "ab", ["short", "long"])
    first = experiments.assign("wording", "cus_001")
    again = experiments.assign("wording", "cus_001")
    assert first.new and not again.new and first.arm == again.arm and first.propensity == 0.5
    arms = {experiments.assign("wording", f"cus_{i:03d}").arm for i in range(40)}
    assert arms == {"short", "long"}


def test_bandit_finds_the_best_arm_and_replay_estimates_it(sqlite_engine: Engine) -> None:
    experiments = Experiments(sqlite_engine, seed=3)
    experiments.create("strategy", "bandit", list(TRUE_RATES))
    rng = np.random.default_rng(4)
    for i in range(400):
        a = experiments.assign("strategy", f"c{i}")
        experiments.record("strategy", f"c{i}", float(rng.random() < TRUE_RATES[a.arm]))
    results = experiments.results("strategy")
    best = max(results["arms"], key=lambda r: r["p_best"])
    assert best["arm"] == "low_risk_first"
    assert max(results["arms"], key=lambda r: r["n"])["arm"] == "low_risk_first"
    low, high = best["credible_95"]
    assert low < TRUE_RATES["low_risk_first"] < high
    uniform = results["replay_uniform_policy"]
    assert uniform["ipw_low"] < np.mean(list(TRUE_RATES.values())) < uniform["ipw_high"]


def test_guardrail_stops_an_arm_that_escalates(sqlite_engine: Engine) -> None:
    experiments = Experiments(sqlite_engine)
    experiments.create("tone", "ab", ["calm", "pushy"])
    rng = np.random.default_rng(0)
    for i in range(300):
        a = experiments.assign("tone", f"c{i}")
        escalates = rng.random() < (0.4 if a.arm == "pushy" else 0.05)
        experiments.record("tone", f"c{i}", 0.0, escalated=bool(escalates))
    assert "pushy" in experiments.results("tone")["stopped"]
    assert all(experiments.assign("tone", f"new{i}").arm == "calm" for i in range(20))


def test_bad_experiments_are_refused(sqlite_engine: Engine) -> None:
    experiments = Experiments(sqlite_engine)
    with pytest.raises(ExperimentError):
        experiments.create("one", "ab", ["only"])
    with pytest.raises(ExperimentError):
        experiments.create("dupes", "bandit", ["a", "a"])
    with pytest.raises(UnknownExperiment):
        experiments.assign("missing", "c1")
    experiments.create("quiet", "ab", ["a", "b"])
    quiet = experiments.results("quiet")
    assert quiet["traffic"] == 0 and "No traffic" in quiet["message"]
    with pytest.raises(ExperimentError):
        ipw_estimate([], [], [], lambda a: 1.0)


def test_the_bots_experiments_take_only_arms_the_bot_has(sqlite_engine: Engine) -> None:
    experiments = Experiments(sqlite_engine)
    with pytest.raises(ExperimentError, match="low_risk_first"):
        experiments.create(STRATEGY_EXPERIMENT, "bandit", ["score", "most_profitable"])
    experiments.create(STRATEGY_EXPERIMENT, "bandit", list(STRATEGIES))
    with pytest.raises(ExperimentError, match="reasons_first"):
        experiments.create(INTRO_EXPERIMENT, "ab", ["plain", "shouty"])
    experiments.create(INTRO_EXPERIMENT, "ab", list(INTRO_VARIANTS))


def test_outcomes_go_only_where_the_customer_was_assigned(sqlite_engine: Engine) -> None:
    experiments = Experiments(sqlite_engine)
    experiments.create("a", "ab", ["x", "y"])
    experiments.create("b", "ab", ["x", "y"])
    experiments.assign("a", "cus_001")
    assert experiments.assignment("b", "cus_001") is None
    assert experiments.record_where_assigned(["a", "b", "missing"], "cus_001", 0.0, escalated=True) == ["a"]
    assert experiments.results("a")["traffic"] == 1 and experiments.results("b")["traffic"] == 0
    assigned = experiments.assignment("a", "cus_001")
    assert assigned is not None
    assert experiments.results("a")["arms"][["x", "y"].index(assigned.arm)]["escalation_rate"] == 1.0


def test_beta_interval() -> None:
    mean, low, high = beta_interval(30, 100)
    assert low < 0.3 < high and abs(mean - 31 / 102) < 1e-9


def test_every_intro_variant_has_a_wording() -> None:
    assert set(INTROS) == set(INTRO_VARIANTS)
    assert all("{n}" in text for text in INTROS.values())
