"""The one journey consumer: Rasa events in, journey steps and summaries out, idempotently.

Steps are inserted by their ``event_key`` (a replayed event is a duplicate and changes
nothing); the journeys a batch touched are then rebuilt from all their steps, so events may
arrive in any order, and the rollups move from the rows replaced to the new ones
(``journeys.rollups``). Malformed events are skipped and counted, never raised.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from journeys.events import STEP_FIELDS, MalformedEvent, Step, to_step
from journeys.forms import FUNNEL_FORM, form_slots
from journeys.models import (
    IngestState,
    Journey,
    JourneyStep,
    utcnow,
)
from journeys.rollups import JourneyRows, chunks, replace
from journeys.summary import summarise
from recommender.models import CustomerSegment

log = logging.getLogger(__name__)
# Step kinds that record what the bank showed, not a conversation: steps of only these kinds
# (a nudge shown in the app's inbox, kept under ``nudges_<customer id>``) make no journey.
NOT_A_JOURNEY = frozenset({"nudge"})
KEY_CHUNK = 900  # event keys per lookup (some databases allow 999 parameters)
INSERT_CHUNK = 5000  # steps per INSERT ... ON CONFLICT DO NOTHING statement
_SQLITE_INSERT_STEP = (f"INSERT OR IGNORE INTO journey_steps ({', '.join(STEP_FIELDS)}) "
                       f"VALUES ({', '.join('?' for _ in STEP_FIELDS)})")
STEP_COLUMNS = ("id", "conversation_id", "ts", "kind", "name", "detail", "confidence", "sentiment",
                "customer_id", "channel")


@dataclass
class IngestReport:
    """Counts of one or more ingest calls."""

    received: int = 0
    inserted: int = 0
    duplicates: int = 0
    malformed: int = 0
    ignored: int = 0
    out_of_order: int = 0
    journeys_rebuilt: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    def add(self, other: IngestReport) -> None:
        for name in ("received", "inserted", "duplicates", "malformed", "ignored", "out_of_order",
                     "journeys_rebuilt"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.reasons.update(other.reasons)

    def as_dict(self) -> dict[str, Any]:
        counts = {k: v for k, v in self.__dict__.items() if k != "reasons"}
        return {**counts, "malformed_reasons": dict(self.reasons)}


class JourneyConsumer:
    """Turns batches of Rasa events into the journey store."""

    def __init__(self, engine: Engine, fallback_confidence: float = 0.4,
                 funnel_form: str = FUNNEL_FORM) -> None:
        self.engine = engine
        self.fallback_confidence = fallback_confidence
        self.funnel_form = funnel_form
        self.form_slots = form_slots()
        self._latest: dict[str, float] = {}  # conversation -> latest event time seen

    def parse(self, events: Iterable[tuple[str | None, Any]], report: IngestReport) -> list[Step]:
        """The steps of ``(sender_id, event)`` pairs; bad events are counted and skipped."""
        steps: list[Step] = []
        for sender_id, raw in events:
            report.received += 1
            try:
                step = to_step(raw, sender_id)
            except MalformedEvent as error:
                report.malformed += 1
                report.reasons[str(error)] += 1
                continue
            if step is None:
                report.ignored += 1
                continue
            latest = self._latest.get(step.conversation_id, 0.0)
            if step.ts < latest:
                report.out_of_order += 1
            else:
                self._latest[step.conversation_id] = step.ts
            steps.append(step)
        if len(self._latest) > 200_000:
            self._latest.clear()
        return steps

    def ingest(self, events: Iterable[tuple[str | None, Any]]) -> IngestReport:
        """Store new steps and rebuild the journeys they belong to."""
        report = IngestReport()
        return self._store(self.parse(events, report), report)

    def ingest_steps(self, steps: Sequence[Step]) -> IngestReport:
        """Store steps made by another source (the service's handoffs) like Rasa's."""
        return self._store(steps, IngestReport(received=len(steps)))

    def _store(self, steps: Sequence[Step], report: IngestReport) -> IngestReport:
        unique: dict[str, Step] = {}
        for step in steps:
            unique.setdefault(step.event_key, step)
        for attempt in (1, 2):
            try:
                with self.engine.begin() as connection:
                    new = self._insert_new(connection, list(unique.values()))
                    report.inserted = len(new)
                    report.duplicates = len(steps) - len(new)
                    report.journeys_rebuilt = self._rebuild_for(connection, new)
                return report
            except IntegrityError:  # another consumer stored the same steps meanwhile
                if attempt == 2:
                    raise
                log.info("steps stored concurrently by another consumer; reading them again")
        return report

    @staticmethod
    def _insert_new(connection: Any, steps: list[Step]) -> list[Step]:
        """Insert the steps whose event keys are not stored yet; return those inserted.

        PostgreSQL: one ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` per chunk. SQLite: one
        ``executemany`` of ``INSERT OR IGNORE`` straight to the driver, which counts the rows
        added; when some were known, the added ones are those after the last row id before it
        (the transaction holds SQLite's one write lock, so row ids only grow). That spares a
        lookup of every key. Any other database: the keys are looked up and the rest inserted
        (a key another writer stored in between is dropped there, and its journey merely
        rebuilt once more).
        """
        if not steps:
            return []
        dialect = connection.dialect.name
        if dialect == "postgresql":
            statement = (postgresql_insert(JourneyStep).on_conflict_do_nothing(index_elements=["event_key"])
                         .returning(JourneyStep.event_key))
            inserted: set[str] = set()
            for chunk in chunks(steps, INSERT_CHUNK):
                inserted.update(connection.scalars(statement, [s.row() for s in chunk]))
            return [s for s in steps if s.event_key in inserted]
        if dialect == "sqlite":
            last = connection.scalar(select(func.max(JourneyStep.id))) or 0
            added = connection.exec_driver_sql(_SQLITE_INSERT_STEP, [s.values() for s in steps]).rowcount
            if added == len(steps):
                return steps
            inserted = set(connection.scalars(select(JourneyStep.event_key).where(JourneyStep.id > last)))
            return [s for s in steps if s.event_key in inserted]
        known: set[str] = set()
        for chunk in chunks([s.event_key for s in steps], KEY_CHUNK):
            known.update(connection.scalars(
                select(JourneyStep.event_key).where(JourneyStep.event_key.in_(chunk))))
        new = [s for s in steps if s.event_key not in known]
        if new:
            connection.execute(insert(JourneyStep), [s.row() for s in new])
        return new

    def rebuild_all(self) -> int:
        """Rebuild every journey from its steps (after a segment change or a code change)."""
        with self.engine.begin() as connection:
            ids = list(connection.scalars(select(JourneyStep.conversation_id).distinct()))
            return self._rebuild(connection, ids)

    def _rebuild_for(self, connection: Any, new: Sequence[Step]) -> int:
        """Rebuild the journeys of newly stored steps. A conversation seen for the first time
        is summarised from the steps in hand; one with earlier steps is read back whole."""
        batch: dict[str, list[dict[str, Any]]] = {}
        for order, step in enumerate(new):
            row = step.row()
            row["id"] = order  # arrival order breaks ties in time, as the row id does
            batch.setdefault(step.conversation_id, []).append(row)
        known: set[str] = set()
        for chunk in chunks(list(batch)):
            known.update(connection.scalars(
                select(Journey.conversation_id).where(Journey.conversation_id.in_(chunk))))
        fresh = {cid: rows for cid, rows in batch.items() if cid not in known}
        return self._rebuild(connection, sorted(known), fresh)

    def _rebuild(self, connection: Any, conversation_ids: Sequence[str],
                 fresh: dict[str, list[dict[str, Any]]] | None = None) -> int:
        """Summarise ``conversation_ids`` from their stored steps (replacing their rows) and the
        ``fresh`` conversations, which have no rows yet, from the steps given."""
        columns = [getattr(JourneyStep, c) for c in STEP_COLUMNS]
        by_conversation: dict[str, list[dict[str, Any]]] = {}
        for chunk in chunks(conversation_ids):
            for row in connection.execute(select(*columns).where(JourneyStep.conversation_id.in_(chunk))):
                by_conversation.setdefault(row.conversation_id, []).append(row._asdict())
        stored = list(by_conversation)
        by_conversation.update(fresh or {})
        customers = {s["customer_id"] for steps in by_conversation.values() for s in steps
                     if s["customer_id"]}
        segment_of: dict[str, str] = {}
        for chunk in chunks(sorted(customers)):
            rows = connection.execute(select(CustomerSegment.customer_id, CustomerSegment.name)
                                      .where(CustomerSegment.customer_id.in_(chunk)))
            segment_of.update({customer: name for customer, name in rows})
        new = JourneyRows()
        for steps in by_conversation.values():
            if all(step["kind"] in NOT_A_JOURNEY for step in steps):
                continue
            summary = summarise(steps, self.form_slots, self.funnel_form, segment_of,
                                self.fallback_confidence)
            new.journeys.append(summary.journey)
            new.intents.extend(summary.intents)
            new.recommendations.extend(summary.recommendations)
        replace(connection, stored, new)  # fresh conversations have no rows to replace
        return len(new.journeys)

    # -- source state ------------------------------------------------------------------------

    def cursor(self, source: str) -> int:
        with self.engine.connect() as connection:
            value = connection.scalar(select(IngestState.cursor).where(IngestState.source == source))
            return int(value or 0)

    def save_state(self, source: str, cursor: int, report: IngestReport) -> None:
        """Move a source's cursor and add the report's counts to its totals."""
        with self.engine.begin() as connection:
            row = connection.execute(
                select(IngestState.counts).where(IngestState.source == source)
            ).first()
            counts = Counter(dict(row.counts) if row else {})
            counts.update({k: v for k, v in report.as_dict().items() if isinstance(v, int)})
            if row is None:
                connection.execute(insert(IngestState).values(
                    source=source, cursor=cursor, counts=dict(counts), updated_at=utcnow()))
            else:
                connection.execute(update(IngestState)
                                   .where(IngestState.source == source)
                                   .values(cursor=cursor, counts=dict(counts), updated_at=utcnow()))
