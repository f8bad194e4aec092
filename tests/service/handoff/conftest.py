"""Handoff helpers on the in-process API of ``tests/service/conftest.py``: sign-in, a
customer's conversation, a queued handoff and an empty queue."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from database.engine import get_engine
from service.handoff.policy import Priority
from service.handoff.schemas import Goal, PacketCore, TriggerOut
from service.handoff.store import HandoffStore, Notice
from service.handoff.triggers import TriggerHit
from service.staff.settings import LOCAL_DEMO_PASSWORD
from service.transcripts import TranscriptStore
from stack import customer_sessions
from tests.support.app import customer_login
from tests.support.databases import BACKENDS, alembic_config, throwaway_database

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


def handoff_events_after(client: TestClient, customer: dict[str, Any], act: Any) -> list[dict[str, Any]]:
    """The customer's socket events (not messages) heard until a handoff event after ``act``."""
    token = customer["headers"]["Authorization"].removeprefix("Bearer ")
    heard: list[dict[str, Any]] = []
    with client.websocket_connect(f"/v1/conversations/{customer['id']}/ws?token={token}") as socket:

        def listen() -> None:
            while not heard or heard[-1].get("type") != "handoff":
                heard.append(socket.receive_json())

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        act()
        listener.join(timeout=10)
        assert not listener.is_alive(), f"no handoff event within 10 s; heard {heard}"
    return [e for e in heard if e["type"] == "handoff"]


@pytest.fixture
def empty_queue(app: FastAPI) -> None:
    """Close every open handoff first, so that queue positions start at 1."""
    from sqlalchemy import update

    from service.handoff.models import Handoff

    with app.state.engine.begin() as connection:
        connection.execute(
            update(Handoff).where(Handoff.status.in_(("queued", "assigned"))).values(status="closed")
        )


@pytest.fixture(scope="module", params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated service database of each backend (SQLite and Postgres), one per module."""
    from alembic import command

    folder: Path = tmp_path_factory.mktemp("handoff-db")
    with throwaway_database(request.param, folder) as url:
        command.upgrade(alembic_config(url), "head")
        engine = get_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture(scope="module")
def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def note(text: str) -> Callable[..., Notice]:
    """A notice factory that writes ``text`` as a system event."""
    return lambda *_: Notice(text, {"system": {"event": text}})


def open_one(
    store: HandoffStore,
    sessions: sessionmaker[Session],
    reason: str = "complaint",
    priority: Priority = Priority.NORMAL,
) -> tuple[str, str]:
    """Queue a handoff with one trigger of ``reason`` on a new conversation of cus_001;
    returns (handoff id, conversation id)."""
    conversation, _ = TranscriptStore(sessions).create("web", customer_login("cus_001"), 3600)
    hit = TriggerHit(reason, reason, priority, "test")
    core = PacketCore(summary="s", triggers=[], goal=Goal(), intents=[])
    opened = store.open_handoff(conversation.id, [hit], core, datetime.now(UTC), None, note("queued"))
    assert opened is not None
    return opened[0].id, conversation.id
