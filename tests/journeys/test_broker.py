"""Rasa's pika event broker through the real local RabbitMQ into the journey store."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, func, select

from journeys.consumer import JourneyConsumer
from journeys.events import to_step
from journeys.models import Journey
from journeys.settings import JourneySettings
from journeys.sources import BrokerSource, publish
from simulation.journey_events import stream


def test_broker_messages_become_journeys_and_redeliveries_are_dropped(sqlite_engine: Engine) -> None:
    url = JourneySettings().rabbitmq_url
    queue = f"rasa_events_test_{uuid.uuid4().hex[:8]}"
    events, truths = stream(15, seed=11)
    publish(url, queue, events + events[:30] + [{"event": "user"}])  # a redelivered tail, one bad
    source = BrokerSource(JourneyConsumer(sqlite_engine), url, queue, batch_size=64)
    try:
        report = source.drain(idle_timeout_s=1.0)
        source.channel.queue_delete(queue)
    finally:
        source.close()
    assert report.received == len(events) + 31
    assert report.malformed == 1
    assert report.duplicates == sum(1 for e in events[:30] if to_step(e) is not None)
    with sqlite_engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Journey)) == len(truths)
