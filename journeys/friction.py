"""Friction: the steps where customers drop off, loop or turn negative, ranked.

Each finding compares a step's rate with the baseline over the other steps of its kind and
scores it by the excess journeys it costs (``journeys * (rate - baseline)``). Examples are
the most common paths (step names only, no text, at least k journeys each) through the step.
"""

from __future__ import annotations

from typing import Any

from journeys.filters import Filters
from journeys.metrics import JourneyAnalytics, rate

UNUSUAL_RATIO = 1.5  # a step counts as unusual at this multiple of its baseline


def _finding(kind: str, step: str, affected: int, base: int, baseline: float) -> dict[str, Any]:
    r = affected / base if base else 0.0
    return {"kind": kind, "step": step, "journeys": base, "affected": affected, "rate": round(r, 4),
            "baseline": round(baseline, 4), "score": round(affected - base * baseline, 2),
            "unusual": r >= UNUSUAL_RATIO * baseline and r > 0}


def _baselines(items: list[tuple[str, int, int]]) -> list[tuple[str, int, int, float]]:
    """Each item with the pooled rate of all the other items."""
    total_a = sum(a for _, a, _ in items)
    total_b = sum(b for _, _, b in items)
    out = []
    for step, affected, base in items:
        rest_b = total_b - base
        out.append((step, affected, base, (total_a - affected) / rest_b if rest_b else 0.0))
    return out


def find_friction(analytics: JourneyAnalytics, filters: Filters, limit: int = 10) -> list[dict[str, Any]]:
    """Ranked friction findings (unusual ones first, then by excess journeys)."""
    k = analytics.k
    findings: list[dict[str, Any]] = []
    funnel = analytics.funnel(filters)
    if not funnel:
        return []
    previous = funnel["started"]
    drops: list[tuple[str, int, int]] = []
    for step in funnel["steps"]:
        if previous is None or step.get("filled") is None:
            break
        drops.append((step["slot"], previous - step["filled"], previous))
        previous = step["filled"]
    for slot, lost, base, baseline in _baselines(drops):
        findings.append({**_finding("form_drop_off", slot, lost, base, baseline), "form": funnel["form"]})
    with analytics.engine.connect() as connection:
        eligible = [r for r in analytics.intents(connection, filters) if r.journeys >= k]
        for kind, column in (("rephrase_loop", "loops"), ("negative_sentiment", "negative_journeys")):
            items = [(r.intent, int(getattr(r, column)), r.journeys) for r in eligible]
            for step, affected, base, baseline in _baselines(items):
                if affected >= k:
                    findings.append(_finding(kind, step, affected, base, baseline))
        findings = [f for f in findings if f["affected"] > 0]
        findings.sort(key=lambda f: (not f["unusual"], -f["score"]))
        findings = findings[:limit]
        for finding in findings:  # only for what is shown: each is a query
            finding["examples"] = _examples(analytics, connection, filters, finding)
    return findings


def _examples(analytics: JourneyAnalytics, connection: Any, filters: Filters,
              finding: dict[str, Any]) -> list[dict[str, Any]]:
    """The three most common paths (step names only) through the finding, each of k or more."""
    counts = analytics.path_counts(connection, filters, (finding["kind"], finding["step"]))
    common = sorted((c for c in counts if c[1] >= analytics.k), key=lambda c: -c[1])[:3]  # ties: path order
    return [{"path": path.split(">"), "journeys": n} for path, n in common]


def control_chart(series: list[dict[str, Any]], metric: str, baseline_days: int = 7,
                  sigmas: float = 3.0) -> dict[str, Any]:
    """A p-chart of a daily rate: the first ``baseline_days`` set the centre line, each later
    day outside ``centre ± sigmas * sqrt(p(1-p)/n)`` is an alert.

    ``metric`` is escalation_rate, fallback_rate or abandonment_rate.
    """
    numerator, denominator = {"escalation_rate": ("escalated", "journeys"),
                              "fallback_rate": ("fallbacks", "turns"),
                              "abandonment_rate": ("abandoned", "journeys")}[metric]
    base = series[:baseline_days]
    n_base = sum(d[denominator] for d in base)
    centre = sum(d[numerator] for d in base) / n_base if n_base else 0.0
    points, alerts = [], []
    for day in series:
        n = day[denominator]
        value = rate(day[numerator], n)
        spread = sigmas * (centre * (1 - centre) / n) ** 0.5 if n else 0.0
        point = {"day": day["day"], "value": value, "n": n, "centre": round(centre, 4),
                 "lower": round(max(0.0, centre - spread), 4), "upper": round(min(1.0, centre + spread), 4)}
        points.append(point)
        outside = value is not None and not point["lower"] <= value <= point["upper"]
        if outside and len(points) > baseline_days:
            alerts.append({**point, "metric": metric,
                           "direction": "up" if value > point["upper"] else "down"})
    return {"metric": metric, "baseline_days": baseline_days, "points": points, "alerts": alerts}
