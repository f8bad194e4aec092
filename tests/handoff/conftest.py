"""Handoff fixtures: a migrated and seeded SQLite database (demo bank and demo colleagues),
the API in-process on it (no bot needed for the staff, queue and relay parts), and helpers.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.handoff.policy import Priority
from service.handoff.schemas import Goal, PacketCore, TriggerOut
from service.handoff.store import Notice
from service.handoff.triggers import TriggerHit
from service.main import create_app
from service.settings import ServiceSettings
from service.staff.settings import LOCAL_DEMO_PASSWORD
from stack.processes import free_port, prepare_database

PASSWORD = LOCAL_DEMO_PASSWORD  # the demo colleagues' password in local and test


@pytest.fixture(scope="session")
def handoff_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("handoff") / "bank.db"
    url = f"sqlite:///{path}"
    prepare_database(url)
    return url


@pytest.fixture
def app(handoff_database: str) -> Iterator[FastAPI]:
    """The API on the test database; Rasa points at a closed port (the bot is down)."""
    dead = f"http://127.0.0.1:{free_port()}"
    settings = ServiceSettings(
        DATABASE_URL=handoff_database, rasa_url=dead, action_server_url=dead, redelivery_interval_s=3600
    )
    application = create_app(settings)
    with TestClient(application):
        yield application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def login(client: TestClient, username: str) -> dict[str, str]:
    """Sign in; return the Authorization header."""
    response = client.post("/v1/staff/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def start_conversation(client: TestClient, customer_id: str = "cus_001") -> dict[str, Any]:
    body = client.post("/v1/conversations", json={"customer_id": customer_id}).json()
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
