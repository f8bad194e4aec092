"""Escalations the service opens itself (repeated fallback, sentiment, ...) reach the journeys
through the handoff records, on SQLite and the real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import sessionmaker

from journeys.consumer import JourneyConsumer
from journeys.filters import Filters
from journeys.metrics import JourneyAnalytics
from journeys.models import Journey, JourneyStep
from journeys.sources import HandoffSource
from journeys.summary import SERVICE_HANDOFF
from service.handoff.policy import Priority
from service.handoff.schemas import Goal, PacketCore
from service.handoff.store import HandoffStore, Notice
from service.handoff.triggers import TriggerHit
from service.transcripts import TranscriptStore
from tests.support.app import customer_login


def _notice(_: int) -> Notice:
    return Notice("queued", {"system": {"event": "queued"}})


def _user(cid: str, ts: float, intent: str, confidence: float = 0.95) -> dict[str, Any]:
    return {"event": "user", "sender_id": cid, "timestamp": ts, "text": "…",
            "parse_data": {"intent": {"name": intent, "confidence": confidence}},
            "metadata": {"customer_id": "cus_001", "channel": "web"}}


def _events(cid: str, start: float, bot_handoff: bool = False) -> list[dict[str, Any]]:
    """greet, then two messages the bot did not understand (and, if asked, the bot's own
    handoff answer to a request for a person)."""
    fallback = {"event": "action", "sender_id": cid, "name": "action_default_fallback"}
    events = [_user(cid, start, "greet"), _user(cid, start + 5, "nlu_fallback", 0.2),
              {**fallback, "timestamp": start + 5.1}, _user(cid, start + 10, "nlu_fallback", 0.2),
              {**fallback, "timestamp": start + 10.1}]
    if bot_handoff:
        events += [_user(cid, start + 15, "request_human"),
                   {"event": "bot", "sender_id": cid, "timestamp": start + 15.2, "text": "passing you on",
                    "data": {"custom": {"handoff": {"reason": "customer_request"}}}}]
    return events


def _open(store: HandoffStore, conversation_id: str, *reasons: str) -> str:
    hits = [TriggerHit(r, r, Priority.HIGH if i == 0 else Priority.NORMAL, "test")
            for i, r in enumerate(reasons)]
    core = PacketCore(summary="s", triggers=[], goal=Goal(), intents=[])
    opened = store.open_handoff(conversation_id, hits, core, datetime.now(UTC), None, _notice)
    assert opened is not None
    return opened[0].id


def _journey(engine: Engine, cid: str) -> Any:
    with engine.connect() as connection:
        return connection.execute(select(Journey).where(Journey.conversation_id == cid)).one()


def test_service_handoffs_become_escalations(journey_engine: Engine) -> None:
    sessions = sessionmaker(journey_engine, expire_on_commit=False)
    transcripts, store = TranscriptStore(sessions), HandoffStore(sessions)
    consumer = JourneyConsumer(journey_engine)
    source = HandoffSource(consumer)
    start = datetime.now(UTC).timestamp() - 60
    fallback = transcripts.create("web", customer_login("cus_001"), 3600)[0].id
    asked = transcripts.create("web", customer_login("cus_001"), 3600)[0].id
    quiet = transcripts.create("web", customer_login("cus_001"), 3600)[0].id
    consumer.ingest((None, e) for e in _events(fallback, start) + _events(asked, start, bot_handoff=True)
                    + _events(quiet, start))
    before = _journey(journey_engine, fallback)
    assert (before.escalated, before.abandoned) == (False, True), "Rasa alone never saw the handoff"

    first = _open(store, fallback, "repeated_fallback", "negative_sentiment")  # two triggers, one handoff
    _open(store, asked, "customer_request")
    report = source.poll()
    assert (report.received, report.inserted, report.duplicates) == (2, 2, 0)

    row = _journey(journey_engine, fallback)
    assert (row.escalated, row.escalation_reason, row.abandoned) == (True, "repeated_fallback", False)
    assert row.path.endswith("nlu_fallback>escalation>handoff")
    assert _journey(journey_engine, asked).escalation_reason == "customer_request"
    assert _journey(journey_engine, quiet).escalated is False

    assert source.poll().received == 0, "nothing new: nothing read twice"
    assert consumer.cursor("handoffs") > 0
    overview = JourneyAnalytics(journey_engine, k=1).overview(Filters())
    assert {e["reason"]: e["journeys"] for e in overview["escalations"]} == {
        "repeated_fallback": 1, "customer_request": 1}
    assert overview["containment"] == round(1 / 3, 4)

    # a trigger committed late (below the cursor) is still picked up on the next poll
    with journey_engine.begin() as connection:
        connection.execute(delete(JourneyStep).where(JourneyStep.name == SERVICE_HANDOFF,
                                                     JourneyStep.conversation_id == fallback))
    consumer.rebuild_all()
    assert _journey(journey_engine, fallback).escalated is False
    late = source.poll()
    assert late.inserted == 1 and late.duplicates == 0, late.as_dict()
    assert _journey(journey_engine, fallback).escalation_reason == "repeated_fallback"
    assert first.startswith("hof_")


def test_a_handoff_before_any_rasa_event_still_makes_a_journey(journey_engine: Engine) -> None:
    sessions = sessionmaker(journey_engine, expire_on_commit=False)
    conversation = TranscriptStore(sessions).create("app", customer_login("cus_002"), 3600)[0].id
    _open(HandoffStore(sessions), conversation, "vulnerability")
    consumer = JourneyConsumer(journey_engine)
    HandoffSource(consumer).poll()
    consumer.ingest((None, e) for e in _events(conversation, datetime.now(UTC).timestamp())[:1])
    row = _journey(journey_engine, conversation)
    assert (row.escalated, row.escalation_reason, row.turns) == (True, "vulnerability", 1)

