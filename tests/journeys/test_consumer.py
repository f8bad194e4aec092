"""The journey consumer: Rasa events to steps and journeys, idempotent, robust to bad input."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, delete, func, select

from journeys.consumer import JourneyConsumer
from journeys.models import Journey, JourneyIntent, JourneyRecommendation, JourneyStep
from journeys.sources import TrackerStoreSource
from simulation.journey_events import stream


def _snapshot(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(select(Journey).order_by(Journey.conversation_id))]


def test_journeys_match_what_the_conversations_did(journey_engine: Engine) -> None:
    events, truths = stream(60, seed=3)
    consumer = JourneyConsumer(journey_engine)
    report = consumer.ingest((None, e) for e in events)
    assert report.malformed == 0 and report.journeys_rebuilt == 60
    with journey_engine.connect() as connection:
        rows = {r.conversation_id: r for r in connection.execute(select(Journey))}
        recs = connection.execute(select(JourneyRecommendation)).all()
    for truth in truths:
        row = rows[truth.conversation_id]
        assert (row.customer_id, row.channel) == (truth.customer_id, truth.channel)
        assert row.escalated == truth.escalated and row.escalation_reason == truth.reason
        assert row.form_slots_filled == truth.slots_filled
        assert row.form_completed == truth.form_completed
        assert row.form_abandon_slot == truth.abandon_slot
        assert row.turns == truth.turns and row.fallbacks == truth.fallbacks
    expected = {(t.conversation_id, p, o) for t in truths for p, o in t.recommendations.items()}
    assert {(r.conversation_id, r.product_id, r.outcome) for r in recs} == expected


def test_replaying_and_shuffling_changes_nothing(journey_engine: Engine) -> None:
    events, _ = stream(40, seed=5)
    consumer = JourneyConsumer(journey_engine)
    consumer.ingest((None, e) for e in events)
    before = _snapshot(journey_engine)
    replay = events[:]
    random.Random(1).shuffle(replay)
    report = consumer.ingest((None, e) for e in replay)
    assert report.inserted == 0 and report.duplicates == report.received - report.ignored
    assert _snapshot(journey_engine) == before
    # the same events arriving out of order into a fresh store give the same journeys
    with journey_engine.begin() as connection:
        for table in (Journey, JourneyIntent, JourneyRecommendation, JourneyStep):
            connection.execute(delete(table))
    fresh = JourneyConsumer(journey_engine)
    shuffled = fresh.ingest((None, e) for e in replay)
    assert shuffled.out_of_order > 0
    assert _snapshot(journey_engine) == before


def test_malformed_events_are_counted_and_skipped(sqlite_engine: Engine) -> None:
    events, _ = stream(3, seed=1)
    bad: list[object] = [
        b"{not json", "[]", {"event": "user"}, {"event": "user", "sender_id": "c1", "timestamp": "soon"},
        {"sender_id": "c1", "timestamp": 5.0}, {"event": "slot", "sender_id": "c1", "timestamp": 3.0},
        {"event": "user", "sender_id": "c1", "timestamp": float("nan")}, 42,
    ]
    consumer = JourneyConsumer(sqlite_engine)
    report = consumer.ingest([(None, e) for e in bad] + [(None, e) for e in events])
    assert report.malformed == len(bad)
    assert sum(report.reasons.values()) == len(bad)
    assert report.journeys_rebuilt == 3
    with sqlite_engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Journey)) == 3


def test_only_redacted_text_and_no_slot_values_are_kept(sqlite_engine: Engine) -> None:
    event = {"event": "user", "sender_id": "conv_x", "timestamp": 10.0, "text": "my card is <CARD_1>",
             "parse_data": {"intent": {"name": "lost_card", "confidence": 0.9}},
             "metadata": {"customer_id": "cus_001", "channel": "web"}}
    slot = {"event": "slot", "sender_id": "conv_x", "timestamp": 11.0, "name": "goal_target_amount",
            "value": 12345}
    JourneyConsumer(sqlite_engine).ingest([(None, event), (None, slot)])
    with sqlite_engine.connect() as connection:
        rows = connection.execute(select(JourneyStep.text, JourneyStep.detail)).all()
    assert ("my card is <CARD_1>", None) in rows and (None, "set") in rows
    assert all("12345" not in json.dumps(list(r)) for r in rows)


def test_tracker_store_source_reads_rasas_events_table(sqlite_engine: Engine, tmp_path: Path) -> None:
    tracker = tmp_path / "rasa_tracker.db"
    with sqlite3.connect(tracker) as db:  # Rasa's SQLTrackerStore schema
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255),"
                   " type_name VARCHAR(255), timestamp FLOAT, intent_name VARCHAR(255),"
                   " action_name VARCHAR(255), data TEXT)")
        events, _ = stream(20, seed=2)
        db.executemany("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
                       [(e["sender_id"], e["event"], e["timestamp"],
                         json.dumps({k: v for k, v in e.items() if k != "sender_id"})) for e in events])
    consumer = JourneyConsumer(sqlite_engine)
    source = TrackerStoreSource(consumer, str(tracker), batch_size=50)
    first = source.poll()
    assert first.received == len(events) and first.journeys_rebuilt >= 20
    assert source.poll().received == 0  # the cursor moved
    with sqlite3.connect(tracker) as db:
        db.execute("INSERT INTO events (sender_id, type_name, timestamp, data) SELECT sender_id, type_name,"
                   " timestamp, data FROM events WHERE id <= 10")  # Rasa re-saving old events
    again = source.poll()
    assert again.received == 10 and again.inserted == 0
    source.close()
    with sqlite_engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Journey)) == 20


def test_two_consumers_on_the_same_events_store_them_once(journey_engine: Engine) -> None:
    """Two API workers polling the same tracker store: each batch lands once, whoever wins."""
    import threading

    events, truths = stream(120, seed=11)
    batches = [events[i:i + 300] for i in range(0, len(events), 300)]
    consumers = [JourneyConsumer(journey_engine), JourneyConsumer(journey_engine)]
    errors: list[BaseException] = []

    def run(consumer: JourneyConsumer) -> None:
        try:
            for batch in batches:
                consumer.ingest((None, e) for e in batch)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(c,)) for c in consumers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    together = _snapshot(journey_engine)
    with journey_engine.begin() as connection:
        for table in (Journey, JourneyIntent, JourneyRecommendation, JourneyStep):
            connection.execute(delete(table))
    JourneyConsumer(journey_engine).ingest((None, e) for e in events)
    assert together == _snapshot(journey_engine) and len(together) == len(truths)
