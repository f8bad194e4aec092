"""Handoff helpers on the in-process API of ``tests/service/conftest.py``: sign-in, a
customer's conversation, a queued handoff and an empty queue."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.handoff.policy import Priority
from service.handoff.schemas import Goal, PacketCore, TriggerOut
from service.handoff.store import Notice
from service.handoff.triggers import TriggerHit
from service.staff.settings import LOCAL_DEMO_PASSWORD
from stack import customer_sessions

PASSWORD = LOCAL_DEMO_PASSWORD  # the demo colleagues' password in local and test


def login(client: TestClient, username: str) -> dict[str, str]:
    """Sign in; return the Authorization header."""
    response = client.post("/v1/staff/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def start_conversation(client: TestClient, customer_id: str | None = "cus_001",
                       channel: str = "web") -> dict[str, Any]:
    """A conversation signed in as ``customer_id`` (None: anonymous) with its ``headers``."""
    body = customer_sessions.start_conversation(client, customer_id, channel)
    body["headers"] = {"Authorization": f"Bearer {body['token']}"}
    return body


def queue_handoff(
    app: FastAPI, conversation_id: str, reason: str = "customer_request", priority: Priority = Priority.NORMAL
) -> str:
    """Queue a handoff as a trigger would (the live triggers need the bot: see *_live.py)."""
    hit = TriggerHit(reason, reason.replace("_", " "), priority, "set up by the test")
    core = PacketCore(
        summary=f"test handoff for {reason}",
        triggers=[TriggerOut(reason=reason, label=hit.label, priority=int(priority), detail=hit.detail)],
        goal=Goal(),
        intents=[],
    )
    opened = app.state.handoff.store.open_handoff(
        conversation_id,
        [hit],
        core,
        datetime.now(UTC),
        None,
        lambda position: Notice(f"queued at {position}", {"system": {"event": "queued"}}),
    )
    assert opened is not None
    return opened[0].id


@pytest.fixture
def empty_queue(app: FastAPI) -> None:
    """Close every open handoff first, so that queue positions start at 1."""
    from sqlalchemy import update

    from service.handoff.models import Handoff

    with app.state.engine.begin() as connection:
        connection.execute(
            update(Handoff).where(Handoff.status.in_(("queued", "assigned"))).values(status="closed")
        )
