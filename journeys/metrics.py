"""Journey metrics over the store, with every group under k suppressed.

Each figure aggregates journeys matching ``Filters``. A group (a segment, a day, a product)
with fewer than ``k`` journeys is reported as suppressed, never with its figures; asking for
such a group as the filter itself is refused (``GroupBelowK``).

The sums are read from the rollups the consumer keeps per day, channel and segment
(``journeys.rollups``), so a query reads a few rows per day however many journeys there are;
the median time to resolution walks the index of contained journeys by duration. The methods
under "sums" are all that reads them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, false, func, select
from sqlalchemy.engine import Connection, Engine

from journeys.errors import GroupBelowK
from journeys.filters import Filters
from journeys.forms import FUNNEL_FORM, form_slots
from journeys.models import (
    Journey,
    JourneyIntentRollup,
    JourneyPathRollup,
    JourneyRecommendationRollup,
    JourneyRepeatRollup,
    JourneyRollup,
    SegmentChange,
)
from journeys.payments import PAYMENT_FIELDS
from journeys.rollups import DAY_S, REPEAT_DAYS_MAX

ALL_PATHS = ("all", "")  # (kind, step) of every journey's path in the path rollup


def rate(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _rates(row: Any) -> dict[str, Any]:
    n = row.journeys
    return {"journeys": n, "containment": rate(n - row.escalated, n),
            "escalation_rate": rate(row.escalated, n), "fallback_rate": rate(row.fallbacks, row.turns),
            "abandonment_rate": rate(row.abandoned, n)}


def _sum(column: Any, condition: Any = None) -> Any:
    """SUM of ``column`` (over the rows meeting ``condition``), 0 over no rows."""
    return func.coalesce(func.sum(column if condition is None else case((condition, column), else_=0)), 0)


def _totals() -> tuple[Any, ...]:
    """Journeys, escalated, abandoned, fallbacks and turns, summed over the rollup."""
    r = JourneyRollup
    return (_sum(r.journeys), _sum(r.journeys, r.escalated), _sum(r.journeys, r.abandoned),
            _sum(r.fallbacks), _sum(r.turns))


def _mean(total: float, n: int) -> float | None:
    return total / n if n else None


def _add(*counts: int | None) -> int | None:
    """The sum of counts, None when one is suppressed (it would reveal it)."""
    return None if None in counts else sum(c or 0 for c in counts)


def _less(total: int | None, *parts: int | None) -> int | None:
    """``total`` less its parts, None when one is suppressed."""
    return None if total is None or None in parts else total - sum(p or 0 for p in parts)


def _ratio(part: int | None, whole: int | None) -> float | None:
    return None if part is None or whole is None else rate(part, whole)


@dataclass(frozen=True)
class Totals:
    """Journeys, escalated, abandoned, fallbacks and turns of a group (``group``: its name)."""

    group: Any
    journeys: int
    escalated: int
    abandoned: int
    fallbacks: int
    turns: int


@dataclass(frozen=True)
class Headline(Totals):
    """The totals with the goal-form funnel, sentiment and contained (resolved) journeys."""

    started: int
    completed: int
    filled: tuple[int, ...]  # per funnel slot: journeys that filled it and every slot before
    sentiment_n: int
    sentiment: tuple[float | None, float | None, float | None]  # mean first, mean, last
    resolved: int
    resolved_mean: float | None


class JourneyAnalytics:
    """Reads the journey store for the dashboard and the API."""

    def __init__(self, engine: Engine, k: int = 10, repeat_days: int = 7,
                 funnel_form: str = FUNNEL_FORM) -> None:
        self.engine = engine
        self.k = k
        self.repeat_days = repeat_days
        self.funnel_form = funnel_form

    # -- sums ----------------------------------------------------------------------------------

    def totals(self, connection: Connection, filters: Filters, by: str | None = None) -> list[Totals]:
        """Totals overall (one row), or per ``by`` (segment, channel or day, in order; groups
        with journeys only)."""
        group = getattr(JourneyRollup, by) if by else None
        query = select(*_totals()).where(*filters.conditions(JourneyRollup))
        if group is None:
            return [Totals(None, *connection.execute(query).one())]
        rows = connection.execute(query.add_columns(group).group_by(group).order_by(group))
        return [Totals(row[-1], *row[:-1]) for row in rows if row[0]]

    def headline(self, connection: Connection, filters: Filters) -> Headline:
        """The totals, the funnel, sentiment and resolved journeys in one pass over the rollup."""
        r = JourneyRollup
        in_form = r.form_name == self.funnel_form
        resolved = and_(~r.escalated, ~r.abandoned)
        slots = form_slots().get(self.funnel_form, ())
        row = connection.execute(select(
            *_totals(), _sum(r.journeys, in_form), _sum(r.journeys, and_(in_form, r.form_completed)),
            _sum(r.sentiment_n), _sum(r.sentiment_first), _sum(r.sentiment_mean), _sum(r.sentiment_last),
            _sum(r.journeys, resolved), _sum(r.duration_s, resolved),
            *(_sum(r.journeys, and_(in_form, r.form_slots_filled >= i + 1)) for i in range(len(slots))),
        ).where(*filters.conditions(r))).one()
        journeys, escalated, abandoned, fallbacks, turns, started, completed, n, first, mean, last, \
            resolved_n, duration = row[:13]
        return Headline(None, journeys, escalated, abandoned, fallbacks, turns, started, completed,
                        tuple(row[13:]), n, (_mean(first, n), _mean(mean, n), _mean(last, n)), resolved_n,
                        _mean(duration, resolved_n))

    def escalation_counts(self, connection: Connection, filters: Filters) -> list[tuple[str | None, int]]:
        """Escalated journeys per reason, most first."""
        r = JourneyRollup
        count = _sum(r.journeys)
        rows = connection.execute(
            select(r.escalation_reason, count).where(*filters.conditions(r), r.escalated)
            .group_by(r.escalation_reason).order_by(count.desc(), r.escalation_reason))
        return [(reason or None, n) for reason, n in rows if n]

    def intents(self, connection: Connection, filters: Filters) -> list[Any]:
        """Per intent (in order): journeys, turns, fallbacks, negative turns, journeys with a
        rephrasing loop (``loops``) and with a negative turn (``negative_journeys``)."""
        i = JourneyIntentRollup
        rows = connection.execute(
            select(i.intent, *(_sum(c).label(c.key) for c in (i.journeys, i.turns, i.fallbacks, i.negative,
                                                               i.loops, i.negative_journeys)))
            .where(*filters.conditions(i)).group_by(i.intent).order_by(i.intent))
        return [row for row in rows if row.journeys]

    def recommendation_counts(self, connection: Connection, filters: Filters) -> list[Any]:
        """Per product and segment (in order): recommendations shown, accepted and declined."""
        r = JourneyRecommendationRollup
        rows = connection.execute(
            select(r.product_id, r.segment, _sum(r.journeys).label("shown"),
                   _sum(r.journeys, r.outcome == "accepted").label("accepted"),
                   _sum(r.journeys, r.outcome == "declined").label("declined"))
            .where(*filters.conditions(r)).group_by(r.product_id, r.segment)
            .order_by(r.product_id, r.segment))
        return [row for row in rows if row.shown]

    def payment_counts(self, connection: Connection, filters: Filters) -> dict[str, int]:
        """Payment form runs: each of ``PAYMENT_FIELDS`` summed over the journeys."""
        r = JourneyRollup
        row = connection.execute(select(*(_sum(getattr(r, name)) for name in PAYMENT_FIELDS))
                                 .where(*filters.conditions(r))).one()
        return {name: int(n) for name, n in zip(PAYMENT_FIELDS, row, strict=True)}

    def repeat_counts(self, connection: Connection, filters: Filters) -> tuple[int, int]:
        """Journeys with a customer, and those the customer followed with another within the
        window (among the journeys the filters select: the next one must match them too)."""
        if self.repeat_days > REPEAT_DAYS_MAX:
            return self.repeat_counts_from_journeys(connection, filters)
        r = JourneyRepeatRollup
        scope = {(False, False): "any", (True, False): "channel", (False, True): "segment",
                 (True, True): "both"}[(filters.channel is not None, filters.segment is not None)]
        soon = [r.scope == scope, r.within_days <= self.repeat_days]
        if filters.date_to:
            soon.append(r.next_day <= filters.date_to.isoformat())
        total = connection.execute(select(_sum(JourneyRollup.identified))
                                   .where(*filters.conditions(JourneyRollup))).scalar_one()
        repeats = connection.execute(select(_sum(r.journeys))
                                     .where(*filters.conditions(r), *soon)).scalar_one()
        return int(total), int(repeats)

    def repeat_counts_from_journeys(self, connection: Connection, filters: Filters) -> tuple[int, int]:
        """:meth:`repeat_counts` from the journeys, for a window longer than the rollup's (each
        journey's next start, by ``LEAD`` over the customer's journeys, from an index)."""
        following = func.lead(Journey.started_ts).over(partition_by=Journey.customer_id,
                                                       order_by=Journey.started_ts)
        starts = (select(Journey.started_ts.label("started"), following.label("following"))
                  .where(*filters.conditions(), Journey.customer_id.is_not(None)).subquery())
        soon = starts.c.following <= starts.c.started + self.repeat_days * DAY_S
        total, repeats = connection.execute(select(func.count(), _sum(1, soon))).one()
        return int(total), int(repeats)

    def path_counts(self, connection: Connection, filters: Filters,
                    through: tuple[str, str] = ALL_PATHS) -> list[tuple[str, int]]:
        """Journeys per path (in order): all, or those ``through`` a friction finding's (kind, step)."""
        p = JourneyPathRollup
        count = _sum(p.journeys)
        rows = connection.execute(
            select(p.path, count).where(*filters.conditions(p), p.kind == through[0], p.step == through[1])
            .group_by(p.path).order_by(p.path))
        return [(path, n) for path, n in rows if n]

    def median_duration(self, connection: Connection, filters: Filters, n: int) -> float:
        """The median duration of the ``n`` contained journeys the filters select (the middle
        one or two, read from the index of contained journeys by duration)."""
        duration = Journey.ended_ts - Journey.started_ts
        middle = list(connection.scalars(
            select(duration).where(Journey.escalated == false(), Journey.abandoned == false(),
                                   *filters.conditions())
            .order_by(duration).offset((n - 1) // 2).limit(2 - n % 2)))
        return sum(middle) / len(middle)

    # -- helpers -----------------------------------------------------------------------------

    def _shown(self, n: int) -> bool:
        return n == 0 or n >= self.k

    def check_group(self, connection: Any, filters: Filters) -> int:
        """The number of journeys the filters select; refused when between 1 and k - 1."""
        return self._refuse_small(self.totals(connection, filters)[0].journeys, filters)

    def _grouped(self, connection: Any, filters: Filters, by: str) -> list[dict[str, Any]]:
        return [{by: row.group, **_rates(row)} if self._shown(row.journeys)
                else {by: row.group, "journeys": None, "suppressed": True}
                for row in self.totals(connection, filters, by)]

    # -- the figures -------------------------------------------------------------------------

    def overview(self, filters: Filters) -> dict[str, Any]:
        """Every headline figure for the filters (containment, escalation, funnel, ...)."""
        with self.engine.connect() as connection:
            head = self.headline(connection, filters)
            n = self._refuse_small(head.journeys, filters)
            result: dict[str, Any] = {"filters": filters.as_dict(), "k": self.k, "journeys": n}
            if n == 0:
                return {**result, "empty": True, "message": "No journeys match these filters."}
            result.update(_rates(head))
            result["escalations"] = self._escalations(connection, filters, n)
            result["funnel"] = self._funnel_of(head)
            result["fallback_by_intent"] = self._fallback_by_intent(connection, filters)
            result["time_to_resolution_s"] = self._resolution(connection, filters, head)
            result["sentiment"] = self._sentiment_of(head)
            result["recommendations"] = self._recommendations(connection, filters)
            result["payments"] = self._payments_of(self.payment_counts(connection, filters))
            identified, repeats = self.repeat_counts(connection, filters)
            result["repeat_contact_rate"] = rate(repeats, identified)
            return result

    def _refuse_small(self, n: int, filters: Filters) -> int:
        if 0 < n < self.k:
            raise GroupBelowK(
                f"These filters select fewer than {self.k} journeys; groups that small are not shown "
                "to protect customers. Widen the date range or drop a filter.",
                k=self.k, filters=filters.as_dict(),
            )
        return n

    def _escalations(self, connection: Any, filters: Filters, n: int) -> list[dict[str, Any]]:
        return [
            {"reason": reason, "journeys": count, "rate": rate(count, n)} if self._shown(count)
            else {"reason": reason, "journeys": None, "suppressed": True}
            for reason, count in self.escalation_counts(connection, filters)
        ]

    def _funnel_of(self, head: Headline) -> dict[str, Any]:
        """The goal form's funnel from the headline (steps under k suppressed)."""
        slots = form_slots().get(self.funnel_form, ())
        steps, previous = [], head.started
        for slot, reached in zip(slots, head.filled, strict=True):
            ok = self._shown(reached) and self._shown(previous)
            steps.append({"slot": slot, "filled": reached if ok else None,
                          "drop_off": rate(previous - reached, previous) if ok else None,
                          **({} if ok else {"suppressed": True})})
            previous = reached
        shown = self._shown(head.started)
        return {"form": self.funnel_form, "started": head.started if shown else None,
                "completed": head.completed if shown and self._shown(head.completed) else None,
                "steps": steps}

    def _payments_of(self, counts: Mapping[str, int]) -> dict[str, Any]:
        """Payment and card repayment form runs (runs, not journeys: a journey may pay twice).
        Each count under k is suppressed, and so is any total or rate made from one."""
        shown = {name: n if self._shown(n) else None for name, n in counts.items()}
        pay = {name.removeprefix("payments_"): n for name, n in shown.items() if name.startswith("payments_")}
        warned = _add(pay["warned_caution"], pay["warned_stop"])
        payment = {
            "started": pay["started"], "warned": warned, "warned_caution": pay["warned_caution"],
            "warned_stop": pay["warned_stop"], "stopped": pay["stopped"],
            "stopped_after_warning": pay["stopped_after_warning"], "completed": pay["completed"],
            "unfinished": _less(pay["started"], pay["stopped"], pay["completed"]),
            "completion_rate": _ratio(pay["completed"], pay["started"]),
            "stop_rate_after_warning": _ratio(pay["stopped_after_warning"], warned),
        }
        repay = {name.removeprefix("repayments_"): n for name, n in shown.items()
                 if name.startswith("repayments_")}
        card_repayment = {
            "started": repay["started"], "stopped": repay["stopped"], "completed": repay["completed"],
            "unfinished": _less(repay["started"], repay["stopped"], repay["completed"]),
            "completion_rate": _ratio(repay["completed"], repay["started"]),
        }
        hidden = {"suppressed": True}
        return {"payment": {**payment, **(hidden if None in pay.values() else {})},
                "card_repayment": {**card_repayment, **(hidden if None in repay.values() else {})}}

    def _fallback_by_intent(self, connection: Any, filters: Filters) -> list[dict[str, Any]]:
        out = [{"intent": r.intent, "journeys": r.journeys, "turns": r.turns,
                "fallback_rate": rate(r.fallbacks, r.turns), "negative_rate": rate(r.negative, r.turns)}
               for r in self.intents(connection, filters) if r.journeys >= self.k]
        return sorted(out, key=lambda r: (-(r["fallback_rate"] or 0), r["intent"]))

    def _resolution(self, connection: Any, filters: Filters, head: Headline) -> dict[str, Any]:
        """Median and mean time to resolution of contained, finished journeys."""
        n = int(head.resolved)
        if not n or not self._shown(n) or head.resolved_mean is None:
            return {"journeys": None if n else 0, "median": None, "mean": None}
        return {"journeys": n, "median": round(self.median_duration(connection, filters, n), 3),
                "mean": round(float(head.resolved_mean), 3)}

    def funnel(self, filters: Filters) -> dict[str, Any]:
        """The goal form's funnel alone (for friction); refused for groups under k."""
        with self.engine.connect() as connection:
            head = self.headline(connection, filters)
        return self._funnel_of(head) if self._refuse_small(head.journeys, filters) else {}

    def _sentiment_of(self, head: Headline) -> dict[str, Any]:
        if not self._shown(head.sentiment_n):
            return {"journeys": None, "suppressed": True}
        start, mean, end = (_round(value) for value in head.sentiment)
        return {"journeys": head.sentiment_n, "start": start, "mean": mean, "end": end}

    def _recommendations(self, connection: Any, filters: Filters) -> list[dict[str, Any]]:
        return [
            {"product_id": r.product_id, "segment": r.segment, "shown": r.shown, "accepted": r.accepted,
             "declined": r.declined, "acceptance_rate": rate(r.accepted, r.shown)}
            if r.shown >= self.k else
            {"product_id": r.product_id, "segment": r.segment, "shown": None, "suppressed": True}
            for r in self.recommendation_counts(connection, filters)
        ]

    # -- breakdowns --------------------------------------------------------------------------

    def breakdown(self, filters: Filters, by: str) -> list[dict[str, Any]]:
        """Figures per segment, channel or day (groups under k suppressed)."""
        if by not in ("segment", "channel", "day"):
            raise KeyError(by)
        with self.engine.connect() as connection:
            self.check_group(connection, filters)
            return self._grouped(connection, filters, by)

    def paths(self, filters: Filters, top: int = 40) -> dict[str, Any]:
        """Flows between consecutive steps (edges with at least k journeys) and common paths."""
        with self.engine.connect() as connection:
            self.check_group(connection, filters)
            rows = self.path_counts(connection, filters)
        edges: Counter[tuple[str, str]] = Counter()
        for path, count in rows:
            steps = path.split(">")
            for pair in set(zip(steps, steps[1:], strict=False)):
                edges[pair] += count
        ranked = sorted(edges.items(), key=lambda edge: (-edge[1], edge[0]))  # ties: by step names
        shown = [{"from": a, "to": b, "journeys": c} for (a, b), c in ranked if c >= self.k]
        common = sorted(((c, p) for p, c in rows if c >= self.k), reverse=True)[:10]
        return {"edges": shown[:top], "paths": [{"path": p.split(">"), "journeys": c} for c, p in common],
                "suppressed_edges": sum(1 for c in edges.values() if c < self.k)}

    def daily_series(self, filters: Filters) -> list[dict[str, Any]]:
        """Per day: journeys, escalations, fallbacks, turns (for trends and control charts)."""
        with self.engine.connect() as connection:
            return [{"day": r.group, "journeys": r.journeys, "escalated": r.escalated,
                     "abandoned": r.abandoned, "fallbacks": r.fallbacks, "turns": r.turns}
                    for r in self.totals(connection, filters, "day")]

    def drift(self, filters: Filters) -> dict[str, Any]:
        """Segment drift: changes per day, moves between segments and customers per segment now
        (by their latest change); each group under k is suppressed. Only the date range (and a
        segment, matching either end of a move) applies."""
        conds: list[Any] = []
        if filters.date_from:
            conds.append(SegmentChange.day >= filters.date_from.isoformat())
        if filters.date_to:
            conds.append(SegmentChange.day <= filters.date_to.isoformat())
        if filters.segment:
            segment = filters.segment
            conds.append((SegmentChange.segment == segment) | (SegmentChange.previous == segment))
        new = func.coalesce(func.sum(case((SegmentChange.previous.is_(None), 1), else_=0)), 0)
        latest = select(func.max(SegmentChange.id)).group_by(SegmentChange.customer_id).scalar_subquery()
        with self.engine.connect() as connection:
            days = connection.execute(
                select(SegmentChange.day, func.count().label("changes"), new.label("new"))
                .where(*conds).group_by(SegmentChange.day).order_by(SegmentChange.day)).all()
            moves = connection.execute(
                select(SegmentChange.previous, SegmentChange.segment, func.count().label("customers"))
                .where(*conds, SegmentChange.previous.is_not(None))
                .group_by(SegmentChange.previous, SegmentChange.segment)
                .order_by(func.count().desc(), SegmentChange.previous, SegmentChange.segment)).all()
            current = connection.execute(
                select(SegmentChange.segment, func.count().label("customers"))
                .where(SegmentChange.id.in_(latest)).group_by(SegmentChange.segment)
                .order_by(SegmentChange.segment)).all()
        hidden = {"suppressed": True}
        return {
            "k": self.k,
            "days": [{"day": d.day, "changes": d.changes, "new": d.new, "moved": d.changes - d.new}
                     if d.changes >= self.k else {"day": d.day, "changes": None, **hidden} for d in days],
            "moves": [{"from": m.previous, "to": m.segment, "customers": m.customers}
                      for m in moves if m.customers >= self.k],
            "suppressed_moves": sum(1 for m in moves if m.customers < self.k),
            "current": [{"segment": c.segment, "customers": c.customers} if c.customers >= self.k
                        else {"segment": c.segment, "customers": None, **hidden} for c in current],
        }

    def segments(self) -> list[str]:
        """Segment names with at least k journeys (for the filter menu)."""
        with self.engine.connect() as connection:
            return [r.group for r in self.totals(connection, Filters(), "segment") if r.journeys >= self.k]


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


__all__ = ["JourneyAnalytics", "rate"]
