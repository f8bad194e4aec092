"""Journey metrics over the store, with every group under k suppressed.

Each figure aggregates journeys matching ``Filters``. A group (a segment, a day, a product)
with fewer than ``k`` journeys is reported as suppressed, never with its figures; asking for
such a group as the filter itself is refused (``GroupBelowK``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Engine

from journeys.errors import GroupBelowK
from journeys.filters import Filters
from journeys.forms import FUNNEL_FORM, form_slots
from journeys.models import Journey, JourneyIntent, JourneyRecommendation, SegmentChange

DAY_S = 86_400.0


def rate(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _rates(row: Any) -> dict[str, Any]:
    n = row.journeys
    return {"journeys": n, "containment": rate(n - row.escalated, n),
            "escalation_rate": rate(row.escalated, n), "fallback_rate": rate(row.fallbacks, row.turns),
            "abandonment_rate": rate(row.abandoned, n)}


class JourneyAnalytics:
    """Reads the journey store for the dashboard and the API."""

    def __init__(self, engine: Engine, k: int = 10, repeat_days: int = 7,
                 funnel_form: str = FUNNEL_FORM) -> None:
        self.engine = engine
        self.k = k
        self.repeat_days = repeat_days
        self.funnel_form = funnel_form

    # -- helpers -----------------------------------------------------------------------------

    def _shown(self, n: int) -> bool:
        return n == 0 or n >= self.k

    def _count(self, connection: Any, filters: Filters) -> int:
        return int(connection.scalar(select(func.count()).select_from(Journey).where(*filters.conditions())))

    def check_group(self, connection: Any, filters: Filters) -> int:
        """The number of journeys the filters select; refused when between 1 and k - 1."""
        return self._refuse_small(self._count(connection, filters), filters)

    @staticmethod
    def _totals():  # type: ignore[no-untyped-def]
        return (
            func.count().label("journeys"),
            func.coalesce(func.sum(case((Journey.escalated, 1), else_=0)), 0).label("escalated"),
            func.coalesce(func.sum(case((Journey.abandoned, 1), else_=0)), 0).label("abandoned"),
            func.coalesce(func.sum(Journey.fallbacks), 0).label("fallbacks"),
            func.coalesce(func.sum(Journey.turns), 0).label("turns"),
        )

    def _grouped(self, connection: Any, filters: Filters, column: Any, name: str) -> list[dict[str, Any]]:
        rows = connection.execute(
            select(column.label("group"), *self._totals()).where(*filters.conditions()).group_by(column)
            .order_by(column)
        )
        out = []
        for row in rows:
            if self._shown(row.journeys):
                out.append({name: row.group, **_rates(row)})
            else:
                out.append({name: row.group, "journeys": None, "suppressed": True})
        return out

    # -- the figures -------------------------------------------------------------------------

    def overview(self, filters: Filters) -> dict[str, Any]:
        """Every headline figure for the filters (containment, escalation, funnel, ...)."""
        with self.engine.connect() as connection:
            head = self._headline(connection, filters)
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
            result["repeat_contact_rate"] = self._repeat_contact(connection, filters)
            return result

    def _headline(self, connection: Any, filters: Filters) -> Any:
        """Totals, the funnel, sentiment and resolved journeys in one pass over the journeys."""
        in_form = Journey.form_name == self.funnel_form
        resolved = and_(~Journey.escalated, ~Journey.abandoned)

        def count_if(condition: Any) -> Any:
            return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

        slots = form_slots().get(self.funnel_form, ())
        columns = [
            *self._totals(), count_if(in_form).label("started"),
            count_if(and_(in_form, Journey.form_completed)).label("completed"),
            *(count_if(and_(in_form, Journey.form_slots_filled >= i + 1)).label(f"s{i}")
              for i in range(len(slots))),
            func.avg(Journey.sentiment_first).label("sentiment_start"),
            func.avg(Journey.sentiment_mean).label("sentiment_mean"),
            func.avg(Journey.sentiment_last).label("sentiment_end"),
            func.count(Journey.sentiment_mean).label("sentiment_n"),
            count_if(resolved).label("resolved"),
            func.avg(case((resolved, Journey.ended_ts - Journey.started_ts))).label("resolved_mean"),
        ]
        return connection.execute(select(*columns).where(*filters.conditions())).one()

    def _refuse_small(self, n: int, filters: Filters) -> int:
        if 0 < n < self.k:
            raise GroupBelowK(
                f"These filters select fewer than {self.k} journeys; groups that small are not shown "
                "to protect customers. Widen the date range or drop a filter.",
                k=self.k, filters=filters.as_dict(),
            )
        return n

    def _escalations(self, connection: Any, filters: Filters, n: int) -> list[dict[str, Any]]:
        rows = connection.execute(
            select(Journey.escalation_reason, func.count()).where(*filters.conditions(), Journey.escalated)
            .group_by(Journey.escalation_reason).order_by(func.count().desc())
        )
        return [
            {"reason": reason, "journeys": count, "rate": rate(count, n)} if self._shown(count)
            else {"reason": reason, "journeys": None, "suppressed": True}
            for reason, count in rows
        ]

    def _funnel_of(self, row: Any) -> dict[str, Any]:
        """The goal form's funnel from the headline row (steps under k suppressed)."""
        slots = form_slots().get(self.funnel_form, ())
        steps, previous = [], row.started
        for i, slot in enumerate(slots):
            reached = getattr(row, f"s{i}")
            ok = self._shown(reached) and self._shown(previous)
            steps.append({"slot": slot, "filled": reached if ok else None,
                          "drop_off": rate(previous - reached, previous) if ok else None,
                          **({} if ok else {"suppressed": True})})
            previous = reached
        shown = self._shown(row.started)
        return {"form": self.funnel_form, "started": row.started if shown else None,
                "completed": row.completed if shown and self._shown(row.completed) else None,
                "steps": steps}

    def _fallback_by_intent(self, connection: Any, filters: Filters) -> list[dict[str, Any]]:
        rows = connection.execute(
            select(JourneyIntent.intent, func.count().label("journeys"),
                   func.sum(JourneyIntent.turns).label("turns"),
                   func.sum(JourneyIntent.fallbacks).label("fallbacks"),
                   func.sum(JourneyIntent.negative).label("negative"))
            .where(*filters.conditions(JourneyIntent)).group_by(JourneyIntent.intent)
        )
        out = [{"intent": r.intent, "journeys": r.journeys, "turns": r.turns,
                "fallback_rate": rate(r.fallbacks, r.turns), "negative_rate": rate(r.negative, r.turns)}
               for r in rows if r.journeys >= self.k]
        return sorted(out, key=lambda r: (-(r["fallback_rate"] or 0), r["intent"]))

    def _resolution(self, connection: Any, filters: Filters, head: Any) -> dict[str, Any]:
        """Median and mean time to resolution of contained, finished journeys (the median is
        the middle row or two of the sorted durations, in SQL)."""
        n = int(head.resolved)
        if not n or not self._shown(n):
            return {"journeys": None if n else 0, "median": None, "mean": None}
        duration = Journey.ended_ts - Journey.started_ts
        middle = list(connection.scalars(
            select(duration).where(*filters.conditions(), ~Journey.escalated, ~Journey.abandoned)
            .order_by(duration).offset((n - 1) // 2).limit(2 - n % 2)))
        return {"journeys": n, "median": round(sum(middle) / len(middle), 3),
                "mean": round(float(head.resolved_mean), 3)}

    def funnel(self, filters: Filters) -> dict[str, Any]:
        """The goal form's funnel alone (for friction); refused for groups under k."""
        with self.engine.connect() as connection:
            head = self._headline(connection, filters)
        return self._funnel_of(head) if self._refuse_small(head.journeys, filters) else {}

    def _sentiment_of(self, head: Any) -> dict[str, Any]:
        if not self._shown(head.sentiment_n):
            return {"journeys": None, "suppressed": True}
        return {"journeys": head.sentiment_n, "start": _round(head.sentiment_start),
                "mean": _round(head.sentiment_mean), "end": _round(head.sentiment_end)}

    def _recommendations(self, connection: Any, filters: Filters) -> list[dict[str, Any]]:
        accepted = func.sum(case((JourneyRecommendation.outcome == "accepted", 1), else_=0))
        declined = func.sum(case((JourneyRecommendation.outcome == "declined", 1), else_=0))
        rows = connection.execute(
            select(JourneyRecommendation.product_id, JourneyRecommendation.segment,
                   func.count().label("shown"), accepted.label("accepted"), declined.label("declined"))
            .where(*filters.conditions(JourneyRecommendation))
            .group_by(JourneyRecommendation.product_id, JourneyRecommendation.segment)
            .order_by(JourneyRecommendation.product_id, JourneyRecommendation.segment)
        )
        return [
            {"product_id": r.product_id, "segment": r.segment, "shown": r.shown, "accepted": r.accepted,
             "declined": r.declined, "acceptance_rate": rate(r.accepted, r.shown)}
            if r.shown >= self.k else
            {"product_id": r.product_id, "segment": r.segment, "shown": None, "suppressed": True}
            for r in rows
        ]

    def _repeat_contact(self, connection: Any, filters: Filters) -> float | None:
        """Share of journeys followed by another of the same customer within the window (one
        SQL pass: each journey's next start, by ``LEAD`` over the customer's journeys)."""
        following = func.lead(Journey.started_ts).over(partition_by=Journey.customer_id,
                                                       order_by=Journey.started_ts)
        starts = (select(Journey.started_ts.label("started"), following.label("following"))
                  .where(*filters.conditions(), Journey.customer_id.is_not(None)).subquery())
        soon = starts.c.following <= starts.c.started + self.repeat_days * DAY_S
        total, repeats = connection.execute(
            select(func.count(), func.coalesce(func.sum(case((soon, 1), else_=0)), 0))).one()
        return rate(int(repeats), int(total))

    # -- breakdowns --------------------------------------------------------------------------

    def breakdown(self, filters: Filters, by: str) -> list[dict[str, Any]]:
        """Figures per segment, channel or day (groups under k suppressed)."""
        column = {"segment": Journey.segment, "channel": Journey.channel, "day": Journey.day}[by]
        with self.engine.connect() as connection:
            self.check_group(connection, filters)
            return self._grouped(connection, filters, column, by)

    def paths(self, filters: Filters, top: int = 40) -> dict[str, Any]:
        """Flows between consecutive steps (edges with at least k journeys) and common paths."""
        with self.engine.connect() as connection:
            self.check_group(connection, filters)
            rows = connection.execute(
                select(Journey.path, func.count()).where(*filters.conditions()).group_by(Journey.path)
            ).all()
        edges: Counter[tuple[str, str]] = Counter()
        for path, count in rows:
            steps = path.split(">")
            for pair in set(zip(steps, steps[1:], strict=False)):
                edges[pair] += count
        shown = [{"from": a, "to": b, "journeys": c} for (a, b), c in edges.most_common() if c >= self.k]
        common = sorted(((c, p) for p, c in rows if c >= self.k), reverse=True)[:10]
        return {"edges": shown[:top], "paths": [{"path": p.split(">"), "journeys": c} for c, p in common],
                "suppressed_edges": sum(1 for c in edges.values() if c < self.k)}

    def daily_series(self, filters: Filters) -> list[dict[str, Any]]:
        """Per day: journeys, escalations, fallbacks, turns (for trends and control charts)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(Journey.day.label("group"), *self._totals()).where(*filters.conditions())
                .group_by(Journey.day).order_by(Journey.day)
            )
            return [{"day": r.group, "journeys": r.journeys, "escalated": r.escalated,
                     "abandoned": r.abandoned, "fallbacks": r.fallbacks, "turns": r.turns} for r in rows]

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
            rows = connection.execute(
                select(Journey.segment).group_by(Journey.segment).having(func.count() >= self.k)
                .order_by(Journey.segment)
            )
            return [r[0] for r in rows]


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


__all__ = ["JourneyAnalytics", "rate"]
