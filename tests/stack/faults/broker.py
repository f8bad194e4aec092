"""Reading what Rasa published on the event broker (RabbitMQ)."""

from __future__ import annotations

import json
from typing import Any

import pika


def rasa_events(queue: str, port: int = 5672) -> list[dict[str, Any]]:
    """Every event waiting in the broker queue (consumed)."""
    connection = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", port))
    try:
        channel = connection.channel()
        events: list[dict[str, Any]] = []
        while True:
            method, _, body = channel.basic_get(queue, auto_ack=True)
            if method is None:
                return events
            events.append(json.loads(body))
    finally:
        connection.close()
