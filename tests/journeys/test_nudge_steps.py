"""Nudge steps (``insights.nudges.measurement``) are counted in journey steps, but a nudge shown
only in the app's inbox, with no conversation, makes no 0-turn journey."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, select

from insights.nudges import NudgeEvent, NudgeEventName, journey_step
from journeys.consumer import JourneyConsumer
from journeys.events import Step
from journeys.models import Journey, JourneyStep

AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def nudge_step(name: NudgeEventName, conversation_id: str | None = None) -> Step:
    event = NudgeEvent(name, "nud_0123456789abcdef", "cus_001", "salary_arrived", "plain", None, AT,
                       "app", conversation_id)
    return Step(**journey_step(event))


def user_step(conversation_id: str) -> Step:
    return Step(event_key=f"{conversation_id}-user", conversation_id=conversation_id, ts=AT.timestamp() - 60,
                kind="user", name="greet", detail=None, confidence=0.99, sentiment=None, text="hi",
                customer_id="cus_001", channel="web")


def test_a_nudge_shown_without_a_conversation_makes_no_journey(journey_engine: Engine) -> None:
    consumer = JourneyConsumer(journey_engine)
    consumer.ingest_steps([nudge_step(NudgeEventName.SHOWN), nudge_step(NudgeEventName.OPENED)])
    consumer.ingest_steps([nudge_step(NudgeEventName.ACTED)])
    consumer.rebuild_all()
    with journey_engine.connect() as connection:
        assert connection.execute(select(Journey)).all() == []
        inbox = JourneyStep.conversation_id == "nudges_cus_001"
        names = set(connection.scalars(select(JourneyStep.name).where(inbox)))
    assert names == {"nudge_shown", "nudge_opened", "nudge_acted"}


def test_a_nudge_in_a_conversation_joins_its_journey(journey_engine: Engine) -> None:
    consumer = JourneyConsumer(journey_engine)
    consumer.ingest_steps([user_step("conv_1"), nudge_step(NudgeEventName.SHOWN, "conv_1")])
    with journey_engine.connect() as connection:
        rows = connection.execute(select(Journey.conversation_id, Journey.turns)).all()
    assert [tuple(r) for r in rows] == [("conv_1", 1)]
