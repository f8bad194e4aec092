"""Per-stage turn timings from two scrapes of the API's ``/metrics``: the service's stages
(``turn_stage_seconds``) and Rasa's own (``rasa_stage_seconds``).

The difference between the scrapes is what the benchmark's turns added: per stage, how many
observations, the mean of one, the time per turn, a median estimated from the histogram's
buckets, and the share of the turn's total time (for Rasa's stages, of the ``rasa`` stage).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

METRIC = "turn_stage_seconds"
RASA_METRIC = "rasa_stage_seconds"
RASA = "rasa"
TOTAL = "total"
UNACCOUNTED = "unaccounted"  # total less the named stages: framework, threadpool hops, models


def _samples(exposition: str, metric: str = METRIC) -> dict[str, dict[str, Any]]:
    """Per stage: ``count``, ``sum`` and ``buckets`` (upper bound -> cumulative count)."""
    stages: dict[str, dict[str, Any]] = defaultdict(lambda: {"count": 0.0, "sum": 0.0, "buckets": {}})
    for family in text_string_to_metric_families(exposition):
        if family.name != metric:
            continue
        for s in family.samples:
            stage = s.labels.get("stage")
            if stage is None:
                continue
            if s.name.endswith("_count"):
                stages[stage]["count"] = s.value
            elif s.name.endswith("_sum"):
                stages[stage]["sum"] = s.value
            elif s.name.endswith("_bucket"):
                stages[stage]["buckets"][float(s.labels["le"])] = s.value
    return dict(stages)


def bucket_quantile(q: float, buckets: dict[float, float]) -> float:
    """The q-quantile (0-1) by linear interpolation inside the cumulative buckets, as
    Prometheus' ``histogram_quantile`` does; 0.0 without observations."""
    bounds = sorted(buckets)
    if not bounds or buckets[bounds[-1]] <= 0:
        return 0.0
    rank = q * buckets[bounds[-1]]
    lower, below = 0.0, 0.0
    for bound in bounds:
        count = buckets[bound]
        if count >= rank:
            if bound == float("inf"):
                return lower
            inside = count - below
            return lower + (bound - lower) * ((rank - below) / inside if inside else 0.0)
        lower, below = bound, count
    return lower


def stage_breakdown(before: str, after: str) -> dict[str, dict[str, float]]:
    """What the turns between two scrapes spent per stage, plus ``unaccounted`` (the
    total less the named stages); empty when no turn was observed."""
    old, new = _samples(before), _samples(after)
    turns = new.get(TOTAL, {}).get("count", 0.0) - old.get(TOTAL, {}).get("count", 0.0)
    if turns <= 0:
        return {}
    total_s = new[TOTAL]["sum"] - old.get(TOTAL, {}).get("sum", 0.0)
    breakdown = _differences(old, new, turns, total_s)
    named_s = sum(b["per_turn_ms"] for s, b in breakdown.items() if s != TOTAL) / 1000 * turns
    rest = max(total_s - named_s, 0.0)
    breakdown[UNACCOUNTED] = {"count": int(turns), "mean_ms": round(rest / turns * 1000, 3),
                              "per_turn_ms": round(rest / turns * 1000, 3), "p50_ms": 0.0,
                              "share": round(rest / total_s, 4) if total_s else 0.0}
    return breakdown


def rasa_breakdown(before: str, after: str) -> dict[str, dict[str, float]]:
    """Rasa's own stages between two scrapes, per turn of the service's ``total`` and as a
    share of its ``rasa`` stage; empty when no turn was observed."""
    service_old, service_new = _samples(before), _samples(after)
    turns = service_new.get(TOTAL, {}).get("count", 0.0) - service_old.get(TOTAL, {}).get("count", 0.0)
    if turns <= 0:
        return {}
    rasa_s = service_new.get(RASA, {}).get("sum", 0.0) - service_old.get(RASA, {}).get("sum", 0.0)
    return _differences(_samples(before, RASA_METRIC), _samples(after, RASA_METRIC), turns, rasa_s)


def _differences(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], turns: float,
                 whole_s: float) -> dict[str, dict[str, float]]:
    breakdown: dict[str, dict[str, float]] = {}
    for stage, now in new.items():
        was = old.get(stage, {"count": 0.0, "sum": 0.0, "buckets": {}})
        count, seconds = now["count"] - was["count"], now["sum"] - was["sum"]
        buckets = {b: c - was["buckets"].get(b, 0.0) for b, c in now["buckets"].items()}
        breakdown[stage] = {
            "count": int(count),
            "mean_ms": round(seconds / count * 1000, 3) if count else 0.0,
            "per_turn_ms": round(seconds / turns * 1000, 3),
            "p50_ms": round(bucket_quantile(0.5, buckets) * 1000, 3),
            "share": round(seconds / whole_s, 4) if whole_s else 0.0,
        }
    return breakdown
