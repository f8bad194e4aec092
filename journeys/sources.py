"""Where Rasa events come from: the SQL tracker store (embedded) or the event broker (prod).

Both feed the same ``JourneyConsumer``; both may deliver an event twice (a replayed table, a
redelivered message) and the consumer ignores the second copy.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC
from typing import Any

from sqlalchemy import DateTime, Integer, String, column, create_engine, select, table, text
from sqlalchemy.engine import Engine

from journeys.consumer import IngestReport, JourneyConsumer
from journeys.events import Step, event_key
from journeys.summary import SERVICE_HANDOFF

log = logging.getLogger(__name__)

# The columns of the service's handoff tables that the journeys read (never write).
HANDOFFS = table(
    "handoffs",
    column("id", String),
    column("conversation_id", String),
    column("reason", String),
    column("triggered_at", DateTime(timezone=True)),
)
TRIGGERS = table("escalation_triggers", column("id", Integer), column("handoff_id", String))


def tracker_engine(tracker_db: str) -> Engine:
    """Rasa's tracker store: a SQLite path or a SQLAlchemy URL."""
    url = tracker_db if "://" in tracker_db else f"sqlite:///{tracker_db}"
    return create_engine(url, connect_args={"timeout": 30} if url.startswith("sqlite") else {})


class TrackerStoreSource:
    """Reads Rasa's SQL tracker store table ``events`` after a saved cursor (its row id)."""

    def __init__(self, consumer: JourneyConsumer, tracker_db: str, batch_size: int = 5000) -> None:
        self.consumer = consumer
        self.engine = tracker_engine(tracker_db)
        self.source = f"tracker:{tracker_db}"
        self.batch_size = batch_size

    def poll(self) -> IngestReport:
        """Ingest every event written since the last poll."""
        total = IngestReport()
        cursor = self.consumer.cursor(self.source)
        while True:
            try:
                with self.engine.connect() as connection:
                    rows = connection.execute(
                        text("SELECT id, sender_id, data FROM events WHERE id > :cursor"
                             " ORDER BY id LIMIT :n"),
                        {"cursor": cursor, "n": self.batch_size},
                    ).all()
            except Exception as error:  # noqa: BLE001 - no table yet: Rasa has not written
                log.debug("tracker store not readable: %s", error)
                return total
            if not rows:
                return total
            report = self.consumer.ingest((row.sender_id, row.data) for row in rows)
            cursor = int(rows[-1].id)
            self.consumer.save_state(self.source, cursor, report)
            total.add(report)

    def close(self) -> None:
        self.engine.dispose()


class HandoffSource:
    """Escalations the service itself opened (sentiment, repeated fallback, risk, ...).

    They never reach Rasa's tracker as a reason, so each handoff record (read through its
    triggers' integer ids, after a saved cursor) becomes an ``escalation`` step keyed by the
    handoff's id. A few ids before the cursor are read again, so a trigger committed late on
    PostgreSQL is not missed; the event keys drop the copies.
    """

    source = "handoffs"
    OVERLAP = 50

    def __init__(self, consumer: JourneyConsumer, batch_size: int = 5000) -> None:
        self.consumer = consumer
        self.batch_size = batch_size

    def poll(self) -> IngestReport:
        """Ingest the handoffs opened since the last poll."""
        total = IngestReport()
        cursor = self.consumer.cursor(self.source)
        late = [r for r in self._rows(max(0, cursor - self.OVERLAP)) if r.id <= cursor]
        if late:  # only what was missed counts; the rest was ingested before
            report = self.consumer.ingest_steps(self._steps(late))
            total.received += report.inserted
            total.inserted += report.inserted
            total.journeys_rebuilt += report.journeys_rebuilt
        while rows := self._rows(cursor):
            report = self.consumer.ingest_steps(self._steps(rows))
            cursor = int(rows[-1].id)
            self.consumer.save_state(self.source, cursor, report)
            total.add(report)
        return total

    def _rows(self, after: int) -> list[Any]:
        with self.consumer.engine.connect() as connection:
            return list(connection.execute(
                select(TRIGGERS.c.id, HANDOFFS.c.id.label("handoff_id"), HANDOFFS.c.conversation_id,
                       HANDOFFS.c.reason, HANDOFFS.c.triggered_at)
                .join(HANDOFFS, HANDOFFS.c.id == TRIGGERS.c.handoff_id)
                .where(TRIGGERS.c.id > after).order_by(TRIGGERS.c.id).limit(self.batch_size)
            ))

    @staticmethod
    def _steps(rows: list[Any]) -> list[Step]:
        """One step per handoff (a handoff has one trigger row per trigger that fired)."""
        steps = {}
        for row in rows:
            at = row.triggered_at if row.triggered_at.tzinfo else row.triggered_at.replace(tzinfo=UTC)
            steps[row.handoff_id] = handoff_step(row.conversation_id, row.handoff_id, row.reason,
                                                 at.timestamp())
        return list(steps.values())


def handoff_step(conversation_id: str, handoff_id: str, reason: str, ts: float) -> Step:
    """The journey step of one handoff the service opened."""
    return Step(event_key(conversation_id, "escalation", ts, handoff_id), conversation_id, ts,
                "escalation", SERVICE_HANDOFF, reason[:40])


class BrokerSource:
    """Consumes Rasa's pika event broker messages (JSON events with ``sender_id``) from RabbitMQ.

    Messages are acknowledged after their batch is stored, so a crash redelivers them and
    the consumer's event keys drop the copies.
    """

    def __init__(self, consumer: JourneyConsumer, url: str, queue: str, batch_size: int = 1000) -> None:
        import pika

        self.consumer = consumer
        self.queue = queue
        self.batch_size = batch_size
        self.connection = pika.BlockingConnection(pika.URLParameters(url))
        self.channel = self.connection.channel()
        self.channel.queue_declare(queue=queue, durable=True)

    def drain(
        self, idle_timeout_s: float = 1.0, should_stop: Callable[[], bool] = lambda: False
    ) -> IngestReport:
        """Ingest messages until none arrives for ``idle_timeout_s`` (or ``should_stop``)."""
        total = IngestReport()
        batch: list[tuple[None, Any]] = []
        last_tag = None
        for method, _properties, body in self.channel.consume(self.queue, inactivity_timeout=idle_timeout_s):
            if method is not None:
                batch.append((None, body))
                last_tag = method.delivery_tag
            if batch and (method is None or len(batch) >= self.batch_size):
                total.add(self._flush(batch, last_tag))
                batch = []
            if method is None or should_stop():
                break
        if batch:
            total.add(self._flush(batch, last_tag))
        self.channel.cancel()
        return total

    def _flush(self, batch: list[tuple[None, Any]], last_tag: int | None) -> IngestReport:
        report = self.consumer.ingest(batch)
        self.consumer.save_state(f"broker:{self.queue}", 0, report)
        if last_tag is not None:
            self.channel.basic_ack(delivery_tag=last_tag, multiple=True)
        return report

    def close(self) -> None:
        if self.connection.is_open:
            self.connection.close()


def publish(url: str, queue: str, events: list[dict[str, Any]]) -> None:
    """Publish events as Rasa's pika broker does (for tests, the simulator and benchmarks)."""
    import pika

    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        channel = connection.channel()
        channel.queue_declare(queue=queue, durable=True)
        for event in events:
            channel.basic_publish("", queue, json.dumps(event).encode(),
                                  pika.BasicProperties(delivery_mode=2, content_type="application/json"))
    finally:
        connection.close()
