"""The scorer: combines goal-text similarity, goal fit, lookalike and popularity signals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from recommender.catalogue import Product
from recommender.goals import TARGET_RISK_LEVEL, GoalRequest
from recommender.lookalike import LookalikeSignal
from recommender.results import CustomerFeedback
from recommender.suitability import Assessment


@dataclass(frozen=True)
class Weights:
    """How much each signal counts (and the feedback penalties)."""

    text: float = 0.35
    fit: float = 0.30
    lookalike: float = 0.25
    popularity: float = 0.10
    declined: float = 0.60
    declined_category: float = 0.10
    accepted_category: float = 0.15
    shown_fatigue: float = 0.02


@dataclass(frozen=True)
class ScoreParts:
    """Each signal's value in [0, 1] (feedback is a penalty <= 0) and the weighted total."""

    text: float
    fit: float
    lookalike: float
    popularity: float
    feedback: float
    total: float


@dataclass(frozen=True)
class Scored:
    """A candidate that passed the filters, with its score."""

    assessment: Assessment
    parts: ScoreParts

    @property
    def product(self) -> Product:
        return self.assessment.product


def _rescale(value: float, lo: float, hi: float) -> float:
    return 0.5 if hi - lo < 1e-9 else (value - lo) / (hi - lo)


def goal_fit(assessment: Assessment, goal: GoalRequest, peers: Sequence[Assessment]) -> float:
    """How well the product's attributes fit the goal, in [0, 1], relative to its peers."""
    p = assessment.product
    if goal.goal_type == "save":
        rates = [a.product.rate_pct or 0.0 for a in peers]
        rate = _rescale(p.rate_pct or 0.0, min(rates), max(rates))
        if p.access in ("fixed", "notice") and p.term_months_min:
            term = p.term_months_min / goal.horizon_months  # <= 1: using more of the horizon
        else:
            term = 1.0 if goal.horizon_months <= 12 else 0.6  # easy access suits short goals
        return 0.6 * rate + 0.4 * term
    if goal.goal_type == "invest":
        risk = 1.0 - abs(p.risk_level - TARGET_RISK_LEVEL[goal.risk_tolerance]) / 6.0
        net = [(a.product.rate_pct or 0.0) - a.product.ongoing_charge_pct for a in peers]
        value = _rescale((p.rate_pct or 0.0) - p.ongoing_charge_pct, min(net), max(net))
        return 0.6 * risk + 0.4 * value
    cost = assessment.monthly_cost or 0.0
    budget_left = max(1.0 - cost / goal.monthly_budget, 0.0) if goal.monthly_budget > 0 else 0.0
    if goal.goal_type == "protect":  # what is insured matters more than the price
        return 0.5 + 0.5 * budget_left
    costs = [a.monthly_cost or 0.0 for a in peers]
    cheapest = 1.0 - _rescale(cost, min(costs), max(costs))
    return 0.5 * budget_left + 0.5 * cheapest


def text_score(cosine: float, best: float, worst: float) -> float:
    """MiniLM cosine mapped to [0, 1]: half absolute (0.1: no match, 0.6: strong), half
    relative to the other candidates (the best match gets the full half)."""
    absolute = min(max((cosine - 0.1) / 0.5, 0.0), 1.0)
    return 0.5 * absolute + 0.5 * _rescale(cosine, worst, best)


def score_candidates(
    assessments: Sequence[Assessment],
    goal: GoalRequest,
    text_cosines: Mapping[str, float],
    popularity: Mapping[str, float],
    weights: Weights,
    signal: LookalikeSignal | None = None,
    feedback: CustomerFeedback | None = None,
    categories: Mapping[str, str] | None = None,
) -> list[Scored]:
    """Score suitable candidates, best first (ties broken by product id for determinism).

    Args:
        assessments: Candidates that passed every filter.
        goal: The goal.
        text_cosines: Product id -> cosine similarity of description and goal text.
        popularity: Product id -> share of customers holding it, in [0, 1].
        weights: Signal weights and penalties.
        signal: Similar customers' interactions (None when not personalised).
        feedback: The customer's own past answers (None when not personalised).
        categories: Product id -> category for every catalogue product (to spread feedback
            to a declined product's category).
    """
    top_pop = max(popularity.values(), default=0.0) or 1.0
    categories = categories or {a.product.id: a.product.category for a in assessments}
    declined_categories = {categories.get(p) for p in (feedback.declined if feedback else ())}
    accepted_categories = {categories.get(p) for p in (feedback.accepted if feedback else ())}
    cos = [text_cosines.get(a.product.id, 0.0) for a in assessments]
    best, worst = max(cos, default=0.0), min(cos, default=0.0)
    scored = []
    for a in assessments:
        p = a.product
        text = text_score(text_cosines.get(p.id, 0.0), best, worst)
        fit = goal_fit(a, goal, assessments)
        look = max(signal.share(p.id), 0.0) if signal else 0.0
        pop = popularity.get(p.id, 0.0) / top_pop
        penalty = 0.0
        if feedback:
            if p.id in feedback.declined:
                penalty -= weights.declined
            elif p.category in declined_categories:
                penalty -= weights.declined_category
            if p.category in accepted_categories:
                penalty -= weights.accepted_category
            penalty -= weights.shown_fatigue * min(feedback.shown_counts.get(p.id, 0), 5)
        w_look = weights.lookalike if signal else 0.0
        total = (
            weights.text * text + weights.fit * fit + w_look * look + weights.popularity * pop
        ) / (weights.text + weights.fit + w_look + weights.popularity) + penalty
        scored.append(Scored(a, ScoreParts(text, fit, look, pop, penalty, round(total, 6))))
    scored.sort(key=lambda s: (-s.parts.total, s.product.id))
    return scored

