"""A/B tests and Thompson-sampling bandits over recommendation strategies or reply variants.

Assignment is sticky (a customer keeps their arm) and logged with its propensity, the
probability the policy had of choosing that arm, so a new policy can be estimated offline by
inverse propensity weighting. Guardrails stop an arm whose escalation or complaint rate is
credibly worse than the best other arm. Arms only reorder or reword what is already
suitable: a strategy (``recommender.strategies``) reorders the candidates the suitability
filter has passed and cannot add any.

The bot runs two experiments when an analyst has created them (``BOT_EXPERIMENTS``): the
recommendation strategy, and the wording of the recommendations' introduction. Each answer to
a suggestion is an outcome (accepted 1, declined 0); a handoff after suggestions were shown is
an escalation (a complaint too when a complaint or anger triggered it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from journeys.errors import ExperimentError, UnknownExperiment
from journeys.events import SHOWN_SLOT
from journeys.models import Experiment, ExperimentAssignment, ExperimentOutcome
from recommender.strategies import STRATEGIES

KINDS = ("ab", "bandit")
PROPENSITY_DRAWS = 2000
GUARDRAIL_PROBABILITY = 0.95
GUARDRAIL_MIN_N = 30
GUARDRAIL_MARGIN = 0.05

STRATEGY_EXPERIMENT = "recommendation_strategy"
INTRO_EXPERIMENT = "recommendation_intro"
INTRO_VARIANTS = ("plain", "reasons_first")
# The experiments the bot reads, and the arms each may have.
BOT_EXPERIMENTS: dict[str, tuple[str, ...]] = {
    STRATEGY_EXPERIMENT: STRATEGIES, INTRO_EXPERIMENT: INTRO_VARIANTS,
}
# Handoff reasons that count as a complaint for the guardrail (beside the escalation itself).
COMPLAINT_REASONS = frozenset({"complaint", "negative_sentiment"})


def stable_uniform(*parts: str) -> float:
    """A number in [0, 1) fixed by ``parts`` (sticky, reproducible assignment)."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def beta_interval(successes: float, trials: float, level: float = 0.95, draws: int = 20_000,
                  seed: int = 0) -> tuple[float, float, float]:
    """Posterior mean and equal-tailed credible interval of a Beta(1 + s, 1 + f) rate."""
    rng = np.random.default_rng(seed)
    samples = rng.beta(1 + successes, 1 + trials - successes, draws)
    tail = (1 - level) / 2
    return (float((1 + successes) / (2 + trials)), float(np.quantile(samples, tail)),
            float(np.quantile(samples, 1 - tail)))


def thompson_probabilities(successes: np.ndarray, failures: np.ndarray, rng: np.random.Generator,
                           draws: int = PROPENSITY_DRAWS) -> np.ndarray:
    """Each arm's probability of being chosen by Thompson sampling (Monte Carlo)."""
    samples = rng.beta(1 + successes[:, None], 1 + failures[:, None], (len(successes), draws))
    wins = np.bincount(samples.argmax(axis=0), minlength=len(successes))
    return wins / draws


def ipw_estimate(rewards: Sequence[float], propensities: Sequence[float], logged_arms: Sequence[str],
                 policy: Callable[[str], float]) -> dict[str, float]:
    """Offline value of ``policy`` (its probability of each arm) from logged data: inverse
    propensity weighting and its self-normalised variant, with a normal 95% interval."""
    if not rewards:
        raise ExperimentError("No logged traffic to replay.")
    r = np.asarray(rewards, dtype=float)
    p = np.asarray(propensities, dtype=float)
    if np.any(p <= 0):
        raise ExperimentError("Logged propensities must be positive.")
    w = np.asarray([policy(a) for a in logged_arms], dtype=float) / p
    values = w * r
    ipw = float(values.mean())
    half = float(1.96 * values.std(ddof=1) / np.sqrt(len(values))) if len(values) > 1 else float("nan")
    snips = float(values.sum() / w.sum()) if w.sum() > 0 else float("nan")
    return {"ipw": ipw, "ipw_low": ipw - half, "ipw_high": ipw + half, "snips": snips, "n": float(len(r))}


@dataclass(frozen=True)
class Assignment:
    experiment: str
    customer_id: str
    arm: str
    propensity: float
    new: bool


class Experiments:
    """Creates experiments, assigns customers, records outcomes and reports results."""

    def __init__(self, engine: Engine, seed: int = 0, k: int = 1) -> None:
        self.engine = engine
        self.rng = np.random.default_rng(seed)
        self.k = k  # results of an arm with fewer outcomes than this are suppressed

    def create(self, name: str, kind: str, arms: Sequence[str]) -> dict[str, Any]:
        if kind not in KINDS:
            raise ExperimentError(f"kind must be one of {', '.join(KINDS)}.", kind=kind)
        arms = list(dict.fromkeys(arms))
        if len(arms) < 2:
            raise ExperimentError("An experiment needs at least two different arms.", arms=arms)
        known = BOT_EXPERIMENTS.get(name)
        if known is not None and not set(arms) <= set(known):
            raise ExperimentError(f"The bot's {name} experiment takes arms among: {', '.join(known)}.",
                                  arms=arms, known=list(known))
        with self.engine.begin() as connection:
            if connection.scalar(select(Experiment.name).where(Experiment.name == name)):
                raise ExperimentError("An experiment with this name exists.", name=name)
            connection.execute(insert(Experiment).values(name=name, kind=kind, arms=arms, stopped={}))
        return {"name": name, "kind": kind, "arms": arms}

    def _get(self, connection: Any, name: str) -> Any:
        row = connection.execute(select(Experiment).where(Experiment.name == name)).first()
        if row is None:
            raise UnknownExperiment("No such experiment.", name=name)
        return row

    @staticmethod
    def _assigned(connection: Any, name: str, customer_id: str) -> Any:
        return connection.execute(
            select(ExperimentAssignment.arm, ExperimentAssignment.propensity).where(
                ExperimentAssignment.experiment == name, ExperimentAssignment.customer_id == customer_id)
        ).first()

    def _counts(self, connection: Any, name: str, arms: Sequence[str]) -> dict[str, dict[str, float]]:
        counts = {a: {"n": 0.0, "reward": 0.0, "escalated": 0.0, "complaint": 0.0} for a in arms}
        rows = connection.execute(
            select(ExperimentOutcome.arm, ExperimentOutcome.reward, ExperimentOutcome.escalated,
                   ExperimentOutcome.complaint).where(ExperimentOutcome.experiment == name)
        )
        for arm, reward, escalated, complaint in rows:
            if arm in counts:
                c = counts[arm]
                c["n"] += 1
                c["reward"] += reward
                c["escalated"] += bool(escalated)
                c["complaint"] += bool(complaint)
        return counts

    def assign(self, name: str, customer_id: str) -> Assignment:
        """The customer's arm: the logged one if any, else a new draw (logged with propensity)."""
        with self.engine.begin() as connection:
            experiment = self._get(connection, name)
            existing = self._assigned(connection, name, customer_id)
            if existing is not None:
                return Assignment(name, customer_id, existing.arm, existing.propensity, False)
            live = [a for a in experiment.arms if a not in experiment.stopped]
            if not live:
                raise ExperimentError("Every arm of this experiment is stopped.", name=name)
            if experiment.kind == "ab":
                probabilities = np.full(len(live), 1 / len(live))
                index = min(int(stable_uniform(name, customer_id) * len(live)), len(live) - 1)
            else:
                counts = self._counts(connection, name, live)
                s = np.array([counts[a]["reward"] for a in live])
                f = np.array([counts[a]["n"] - counts[a]["reward"] for a in live])
                probabilities = thompson_probabilities(s, f, self.rng)
                probabilities = np.maximum(probabilities, 1e-3)
                probabilities = probabilities / probabilities.sum()
                index = int(self.rng.choice(len(live), p=probabilities))
            arm, propensity = live[index], float(probabilities[index])
            connection.execute(insert(ExperimentAssignment).values(
                experiment=name, customer_id=customer_id, arm=arm, propensity=propensity))
            return Assignment(name, customer_id, arm, propensity, True)

    def record(self, name: str, customer_id: str, reward: float, escalated: bool = False,
               complaint: bool = False) -> None:
        """Log an outcome for the customer's assigned arm, then check the guardrails."""
        if not self._record_if_assigned(name, customer_id, reward, escalated, complaint):
            with self.engine.connect() as connection:
                self._get(connection, name)  # an unknown experiment says so first
            raise ExperimentError("This customer has no assignment in the experiment.", name=name)

    def assignment(self, name: str, customer_id: str) -> Assignment | None:
        """The customer's logged arm in ``name``; None when unassigned or no such experiment."""
        with self.engine.connect() as connection:
            row = self._assigned(connection, name, customer_id)
        return None if row is None else Assignment(name, customer_id, row.arm, row.propensity, False)

    def record_where_assigned(self, names: Iterable[str], customer_id: str, reward: float,
                              escalated: bool = False, complaint: bool = False) -> list[str]:
        """Log the outcome in each of ``names`` that has assigned the customer; those names."""
        return [name for name in names
                if self._record_if_assigned(name, customer_id, reward, escalated, complaint)]

    def _record_if_assigned(self, name: str, customer_id: str, reward: float, escalated: bool,
                            complaint: bool) -> bool:
        """Log the outcome and check the guardrails when the customer has an arm in ``name``."""
        if not 0.0 <= reward <= 1.0:
            raise ExperimentError("reward must be between 0 and 1.", reward=reward)
        with self.engine.begin() as connection:
            assignment = self._assigned(connection, name, customer_id)
            if assignment is None:
                return False
            connection.execute(insert(ExperimentOutcome).values(
                experiment=name, customer_id=customer_id, arm=assignment.arm,
                propensity=assignment.propensity, reward=reward, escalated=escalated, complaint=complaint))
        self.check_guardrails(name)
        return True

    def check_guardrails(self, name: str) -> dict[str, str]:
        """Stop every arm whose escalation-or-complaint rate is credibly (95%) more than
        ``GUARDRAIL_MARGIN`` above the best other arm's; return the stopped arms."""
        with self.engine.begin() as connection:
            experiment = self._get(connection, name)
            arms, stopped = list(experiment.arms), dict(experiment.stopped)
            counts = self._counts(connection, name, arms)
            rng = np.random.default_rng(7)
            harm = {a: rng.beta(1 + max(c["escalated"], c["complaint"]),
                                1 + c["n"] - max(c["escalated"], c["complaint"]), 4000)
                    for a, c in counts.items()}
            for arm in arms:
                others = [a for a in arms if a != arm and a not in stopped]
                if arm in stopped or not others or counts[arm]["n"] < GUARDRAIL_MIN_N:
                    continue
                best = min(others, key=lambda a: float(harm[a].mean()))
                p_worse = float(np.mean(harm[arm] > harm[best] + GUARDRAIL_MARGIN))
                if p_worse >= GUARDRAIL_PROBABILITY:
                    stopped[arm] = f"escalations or complaints above {best} (P={p_worse:.2f})"
            if stopped != experiment.stopped:
                connection.execute(update(Experiment).where(Experiment.name == name).values(stopped=stopped))
            return stopped

    def results(self, name: str) -> dict[str, Any]:
        """Per arm: traffic, reward rate with a 95% credible interval, harm rate, P(best);
        an arm with fewer than ``k`` outcomes shows none of them (``suppressed``)."""
        with self.engine.connect() as connection:
            experiment = self._get(connection, name)
            counts = self._counts(connection, name, experiment.arms)
            logged = connection.execute(
                select(ExperimentOutcome.arm, ExperimentOutcome.propensity, ExperimentOutcome.reward)
                .where(ExperimentOutcome.experiment == name)
            ).all()
        total = sum(c["n"] for c in counts.values())
        out: dict[str, Any] = {"name": name, "kind": experiment.kind, "traffic": int(total),
                               "stopped": experiment.stopped, "arms": []}
        if total == 0:
            out["message"] = "No traffic yet: no outcome has been recorded."
        s = np.array([counts[a]["reward"] for a in experiment.arms])
        f = np.array([counts[a]["n"] - counts[a]["reward"] for a in experiment.arms])
        p_best = thompson_probabilities(s, f, np.random.default_rng(1), 20_000)
        for i, arm in enumerate(experiment.arms):
            c = counts[arm]
            if 0 < c["n"] < self.k:
                out["arms"].append({"arm": arm, "n": None, "suppressed": True,
                                    "stopped": arm in experiment.stopped})
                continue
            mean, low, high = beta_interval(c["reward"], c["n"])
            out["arms"].append({
                "arm": arm, "n": int(c["n"]),
                "reward_rate": round(c["reward"] / c["n"], 4) if c["n"] else None,
                "posterior_mean": round(mean, 4), "credible_95": [round(low, 4), round(high, 4)],
                "escalation_rate": round(c["escalated"] / c["n"], 4) if c["n"] else None,
                "complaint_rate": round(c["complaint"] / c["n"], 4) if c["n"] else None,
                "p_best": round(float(p_best[i]), 4), "stopped": arm in experiment.stopped,
            })
        if logged and total >= self.k:
            uniform = 1 / len(experiment.arms)
            out["replay_uniform_policy"] = ipw_estimate(
                [r.reward for r in logged], [r.propensity for r in logged], [r.arm for r in logged],
                lambda _arm: uniform)
        return out

    def all_results(self) -> list[dict[str, Any]]:
        """Every experiment's results, newest first."""
        with self.engine.connect() as connection:
            names = list(connection.scalars(
                select(Experiment.name).order_by(Experiment.created_at.desc(), Experiment.name)))
        return [self.results(name) for name in names]


def saw_suggestions(events: Iterable[dict[str, Any]]) -> bool:
    """Whether the conversation (Rasa tracker events) showed the customer suggestions."""
    return any(e.get("event") == "slot" and e.get("name") == SHOWN_SLOT and e.get("value") for e in events)


class EscalationOutcomes:
    """Called by the service when it hands a conversation to a colleague: when the bot had
    shown suggestions in it, the handoff is an outcome (reward 0, escalated; a complaint too
    for ``COMPLAINT_REASONS``) of each bot experiment the customer is in."""

    def __init__(self, experiments: Experiments) -> None:
        self.experiments = experiments

    def __call__(self, customer_id: str, events: Sequence[dict[str, Any]],
                 reasons: Sequence[str]) -> list[str]:
        if not saw_suggestions(events):
            return []
        return self.experiments.record_where_assigned(
            BOT_EXPERIMENTS, customer_id, 0.0, escalated=True,
            complaint=bool(COMPLAINT_REASONS & set(reasons)))
