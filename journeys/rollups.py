"""Rollups: the dashboard's sums per day, channel and segment, kept exact by deltas.

Every change of the per-journey tables (``journeys``, ``journey_intents``,
``journey_recommendations``) goes through :func:`apply`: the consumer's rebuilds and erasure
or retention through :func:`replace` and :func:`forget`, live segments' moves directly. The
rows as they were are subtracted from the rollups and the rows as they are now added (one
``INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n`` per rollup, on SQLite and
PostgreSQL), so the rollups always equal :func:`rebuild` from the journeys (sums of floats up
to their last bits). Repeat contact depends on each customer's next journey: the journeys of
the customers a change touched are read back (from an index) and their contribution is
recomputed before and after the change.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from journeys.models import (
    Journey,
    JourneyIntent,
    JourneyIntentRollup,
    JourneyPathRollup,
    JourneyRecommendation,
    JourneyRecommendationRollup,
    JourneyRepeatRollup,
    JourneyRollup,
)
from journeys.payments import PAYMENT_FIELDS

CHUNK = 400  # ids per IN (...) clause
DAY_S = 86_400.0
# Repeat contact is rolled up for windows up to this many days (a journey followed later
# changes no key); the dashboard answers a longer window from the journeys themselves.
REPEAT_DAYS_MAX = 7
Row = dict[str, Any]
Key = tuple[Any, ...]
# A customer's journey as repeat contact sees it: (started_ts, day, channel, segment).
Visit = tuple[float, str, str, str]
Change = tuple[Key, int]  # a key and how many journeys it gains (or loses)
PER_JOURNEY_TABLES: tuple[Any, ...] = (Journey, JourneyIntent, JourneyRecommendation)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass(frozen=True, eq=False)  # hashed by identity: a dict key on the hot path
class Rollup:
    """A rollup table: its key columns and its summed columns (the first counts journeys; a
    row whose count falls to zero is deleted)."""

    table: Any
    keys: tuple[str, ...]
    sums: tuple[str, ...]

    @property
    def name(self) -> str:
        return str(self.table.__tablename__)

    def upsert_sql(self, mark: str) -> str:
        columns = (*self.keys, *self.sums)
        add = ", ".join(f"{c} = {self.name}.{c} + excluded.{c}" for c in self.sums)
        return (f"INSERT INTO {self.name} ({', '.join(columns)}) VALUES ({', '.join(mark for _ in columns)}) "
                f"ON CONFLICT ({', '.join(self.keys)}) DO UPDATE SET {add}")

    def prune_sql(self, mark: str) -> str:
        match = " AND ".join(f"{c} = {mark}" for c in self.keys)
        return f"DELETE FROM {self.name} WHERE {match} AND {self.sums[0]} = 0"


WHERE = ("day", "channel", "segment")
TOTALS = Rollup(JourneyRollup, (*WHERE, "escalated", "escalation_reason", "abandoned", "form_name",
                                "form_slots_filled", "form_completed"),
                ("journeys", "turns", "fallbacks", "identified", "sentiment_n", "sentiment_first",
                 "sentiment_mean", "sentiment_last", "duration_s", *PAYMENT_FIELDS))
INTENTS = Rollup(JourneyIntentRollup, (*WHERE, "intent"),
                 ("journeys", "turns", "fallbacks", "negative", "loops", "negative_journeys"))
RECOMMENDATIONS = Rollup(JourneyRecommendationRollup, (*WHERE, "product_id", "outcome"), ("journeys",))
PATHS = Rollup(JourneyPathRollup, (*WHERE, "kind", "step", "path"), ("journeys",))
REPEATS = Rollup(JourneyRepeatRollup, (*WHERE, "scope", "next_day", "within_days"), ("journeys",))
ROLLUPS = (TOTALS, INTENTS, RECOMMENDATIONS, PATHS, REPEATS)


@dataclass
class JourneyRows:
    """Per-journey rows of some conversations (as dicts of their columns)."""

    journeys: list[Row] = field(default_factory=list)
    intents: list[Row] = field(default_factory=list)
    recommendations: list[Row] = field(default_factory=list)


class Delta:
    """Signed changes per rollup and key (sums; a count where a rollup counts journeys alone),
    written in one upsert per rollup."""

    def __init__(self) -> None:
        self.sums: dict[Rollup, dict[Key, list[float]]] = {TOTALS: {}, INTENTS: {}}
        self.counts: dict[Rollup, Counter[Key]] = {RECOMMENDATIONS: Counter(), PATHS: Counter(),
                                                   REPEATS: Counter()}

    def add(self, rollup: Rollup, key: Key, values: Sequence[float], sign: int) -> None:
        current = self.sums[rollup].get(key)
        if current is None:
            self.sums[rollup][key] = [sign * v for v in values]
        else:
            for i, value in enumerate(values):
                current[i] += sign * value

    def add_rows(self, rows: JourneyRows, sign: int) -> None:
        """Each row's contribution to the rollups other than repeat contact."""
        paths, recommendations = self.counts[PATHS], self.counts[RECOMMENDATIONS]
        friction: dict[str, list[tuple[str, str]]] = {}  # conversation -> (kind, intent)
        for i in rows.intents:
            fallbacks, negative = i["fallbacks"], i["negative"]
            self.add(INTENTS, (i["day"], i["channel"], i["segment"], i["intent"]),
                     (1, i["turns"], fallbacks, negative, fallbacks >= 2, negative >= 1), sign)
            if fallbacks >= 2:
                friction.setdefault(i["conversation_id"], []).append(("rephrase_loop", i["intent"]))
            if negative >= 1:
                friction.setdefault(i["conversation_id"], []).append(("negative_sentiment", i["intent"]))
        for r in rows.recommendations:
            recommendations[r["day"], r["channel"], r["segment"], r["product_id"], r["outcome"]] += sign
        for j in rows.journeys:
            where, path = (j["day"], j["channel"], j["segment"]), j["path"]
            self.add(TOTALS, *_totals(j), sign)
            paths[(*where, "all", "", path)] += sign
            if j["form_abandon_slot"]:
                paths[(*where, "form_drop_off", j["form_abandon_slot"], path)] += sign
            for kind, intent in friction.get(j["conversation_id"], ()):
                paths[(*where, kind, intent, path)] += sign

    def write(self, connection: Connection) -> None:
        """Add the changes to the rollups; delete the rows left with no journeys. Rows go in
        key order, so concurrent writers on PostgreSQL lock them in the same order."""
        mark = _mark(connection)
        changes: dict[Rollup, Mapping[Key, Sequence[float]]] = {}
        changes.update(self.sums)
        for rollup, counts in self.counts.items():
            changes[rollup] = {key: (n,) for key, n in counts.items()}
        for rollup, sums in changes.items():
            rows = sorted((*key, *values) for key, values in sums.items() if any(values))
            emptied = sorted(key for key, values in sums.items() if values[0] < 0)
            if rows:
                connection.exec_driver_sql(rollup.upsert_sql(mark), rows)
            if emptied:
                connection.exec_driver_sql(rollup.prune_sql(mark), emptied)


def _totals(j: Row) -> tuple[Key, tuple[float, ...]]:
    """A journey's key and sums in ``journey_rollups``."""
    key = (j["day"], j["channel"], j["segment"], bool(j["escalated"]), j["escalation_reason"] or "",
           bool(j["abandoned"]), j["form_name"] or "", j["form_slots_filled"], bool(j["form_completed"]))
    sentiment = (j["sentiment_mean"] is not None, j["sentiment_first"] or 0.0, j["sentiment_mean"] or 0.0,
                 j["sentiment_last"] or 0.0)
    return key, (1, j["turns"], j["fallbacks"], j["customer_id"] is not None, *sentiment,
                 j["ended_ts"] - j["started_ts"], *(j[name] for name in PAYMENT_FIELDS))


def _mark(connection: Connection) -> str:
    """The driver's positional parameter mark: statements here go straight to the driver (the
    consumer's hot path)."""
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def within_days(started: float, following: float) -> int:
    """The fewest whole days ``d`` with ``following <= started + d * DAY_S`` (the test the
    dashboard's repeat-contact window makes, in the same floating point)."""
    days = max(0, math.ceil((following - started) / DAY_S))
    while following > started + days * DAY_S:
        days += 1
    while days > 0 and following <= started + (days - 1) * DAY_S:
        days -= 1
    return days


def repeat_changes(kept: Sequence[Visit], came: Sequence[Visit], gone: Sequence[Visit]) -> Iterator[Change]:
    """How one customer's keys in the repeat rollup change when ``came`` visits join the ``kept``
    ones and ``gone`` ones leave. A journey's key, per scope, holds the next journey of its
    group (its day and the whole days it came within), when it came within
    ``REPEAT_DAYS_MAX`` days. One pass, latest first, follows both sides at once and yields
    only the keys that change. Ties in time are ordered by day, channel and segment (the
    counts do not depend on it)."""
    visits = sorted([(v, True, True) for v in kept] + [(v, True, False) for v in came]
                    + [(v, False, True) for v in gone], reverse=True)
    after_now: dict[tuple[str, Any], Visit] = {}  # (scope, group) -> the next visit, after the change
    after_before: dict[tuple[str, Any], Visit] = {}  # and before it
    for visit, now, before in visits:
        channel, segment = visit[2], visit[3]
        scopes = (("any", None), ("channel", channel), ("segment", segment), ("both", (channel, segment)))
        for group in scopes:
            next_now = after_now.get(group) if now else None
            next_before = after_before.get(group) if before else None
            if not (now and before and next_now == next_before):
                if next_now is not None:
                    yield from _repeat_key(visit, group[0], next_now, 1)
                if next_before is not None:
                    yield from _repeat_key(visit, group[0], next_before, -1)
            if now:
                after_now[group] = visit
            if before:
                after_before[group] = visit


def _repeat_key(visit: Visit, scope: str, following: Visit, sign: int) -> Iterator[Change]:
    """The visit's key, when the following one came within ``REPEAT_DAYS_MAX`` days."""
    if following[0] <= visit[0] + REPEAT_DAYS_MAX * DAY_S:
        yield (visit[1], visit[2], visit[3], scope, following[1], within_days(visit[0], following[0])), sign


VISITS_SQL = "SELECT customer_id, started_ts, day, channel, segment FROM journeys WHERE customer_id IN ({})"


def _visits(connection: Connection, customers: Sequence[str]) -> dict[str, list[Visit]]:
    """The customers' journeys now (from the covering index on customer and start)."""
    out: dict[str, list[Visit]] = {}
    mark = _mark(connection)
    for chunk in chunks(customers):
        sql = VISITS_SQL.format(", ".join(mark for _ in chunk))
        rows = connection.exec_driver_sql(sql, tuple(chunk)).fetchall()
        for customer, started, day, channel, segment in rows:
            out.setdefault(customer, []).append((started, day, channel, segment))
    return out


def _visits_by_customer(rows: list[Row]) -> dict[str, list[Visit]]:
    """The visits of these journey rows, per customer (none without one)."""
    out: dict[str, list[Visit]] = {}
    for row in rows:
        if row["customer_id"]:
            out.setdefault(row["customer_id"], []).append(
                (row["started_ts"], row["day"], row["channel"], row["segment"]))
    return out


def apply(connection: Connection, old: JourneyRows, new: JourneyRows) -> None:
    """Move the rollups from ``old`` rows to ``new`` ones, once the per-journey tables hold
    the new rows (and no longer the old ones)."""
    delta = Delta()
    delta.add_rows(old, -1)
    delta.add_rows(new, 1)
    removed, added = _visits_by_customer(old.journeys), _visits_by_customer(new.journeys)
    customers = sorted(removed.keys() | added.keys())
    current = _visits(connection, customers)
    repeats = delta.counts[REPEATS]
    for customer in customers:
        gone, came = removed.get(customer, []), added.get(customer, [])
        if gone and sorted(gone) == sorted(came):  # rebuilt, started at the same time and place
            continue
        kept = list(current.get(customer, ()))
        for visit in came:
            kept.remove(visit)
        for key, sign in repeat_changes(kept, came, gone):
            repeats[key] += sign
    delta.write(connection)


def read_rows(connection: Connection, conversation_ids: Sequence[str]) -> JourneyRows:
    """The per-journey rows of these conversations."""
    found: list[list[Row]] = [[], [], []]
    for chunk in chunks(conversation_ids):
        for rows, table in zip(found, PER_JOURNEY_TABLES, strict=True):
            query = select(table.__table__).where(table.conversation_id.in_(chunk))
            rows.extend(row._asdict() for row in connection.execute(query))
    return JourneyRows(*found)


def _insert_rows(connection: Connection, table: Any, rows: list[Row]) -> None:
    """Insert per-journey rows (all with the same keys); straight to the driver on SQLite."""
    if not rows:
        return
    if connection.dialect.name != "sqlite":
        connection.execute(insert(table), rows)
        return
    columns = list(rows[0])
    sql = (f"INSERT INTO {table.__tablename__} ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    connection.exec_driver_sql(sql, [tuple(row[c] for c in columns) for row in rows])


def replace(connection: Connection, conversation_ids: Sequence[str], new: JourneyRows) -> dict[str, int]:
    """Delete the per-journey rows of ``conversation_ids``, insert ``new`` ones and move the
    rollups along; the rows deleted per table."""
    old = read_rows(connection, conversation_ids)
    deleted = dict.fromkeys((t.__tablename__ for t in PER_JOURNEY_TABLES), 0)
    for chunk in chunks(conversation_ids):
        for table in PER_JOURNEY_TABLES:
            result = connection.execute(delete(table).where(table.conversation_id.in_(chunk)))
            deleted[table.__tablename__] += int(result.rowcount or 0)
    for table, rows in zip(PER_JOURNEY_TABLES, (new.journeys, new.intents, new.recommendations), strict=True):
        _insert_rows(connection, table, rows)
    apply(connection, old, new)
    return deleted


def forget(connection: Connection, conversation_ids: Sequence[str]) -> dict[str, int]:
    """Delete the conversations' per-journey rows and take them out of the rollups (erasure,
    retention); the rows deleted per table."""
    return replace(connection, conversation_ids, JourneyRows())


def rebuild(connection: Connection) -> None:
    """Recompute every rollup from the per-journey tables (the migration; a repair)."""
    for rollup in ROLLUPS:
        connection.execute(delete(rollup.table))
    delta = Delta()
    for chunk in chunks(list(connection.scalars(select(Journey.conversation_id)))):
        delta.add_rows(read_rows(connection, chunk), 1)
    customers = connection.scalars(select(Journey.customer_id).where(Journey.customer_id.is_not(None))
                                   .distinct())
    for visits in _visits(connection, sorted(c for c in customers if c)).values():
        for key, sign in repeat_changes((), visits, ()):
            delta.counts[REPEATS][key] += sign
    delta.write(connection)
