"""Compliance fixtures: a migrated and seeded SQLite database, a tracker store in Rasa's own
table layout beside it, and the API in-process on both (the bot is down: customer messages
are stored, redacted and vaulted, and wait for it).

The live tests against the real Rasa tracker store are in ``test_compliance_live.py``.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, insert

from service.compliance.tracker_store import EVENTS
from tests.service.handoff.conftest import login, queue_handoff, start_conversation
from tests.support.app import started_app
from tests.support.databases import prepared_sqlite

# A fixed test key, so that every app of the session decrypts what an earlier one vaulted.
VAULT_KEY = base64.urlsafe_b64encode(b"compliance-tests-vault-key-32byt").decode()

__all__ = ["login", "queue_handoff", "start_conversation", "say", "track"]


@pytest.fixture(scope="session")
def compliance_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return prepared_sqlite(tmp_path_factory, "compliance")


@pytest.fixture(scope="session")
def tracker_db(compliance_database: str) -> Path:
    """A tracker store file with Rasa 3.6's ``events`` table (Rasa creates it the same way)."""
    path = Path(compliance_database.removeprefix("sqlite:///")).parent / "rasa_tracker.db"
    engine = create_engine(f"sqlite:///{path}")
    EVENTS.metadata.create_all(engine)
    engine.dispose()
    return path


@pytest.fixture
def app(compliance_database: str, tracker_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FastAPI]:
    """The API on the compliance database and tracker store; Rasa points at a closed port."""
    monkeypatch.setenv("RASA_TRACKER_DB", str(tracker_db))
    monkeypatch.setenv("PRIVACY_VAULT_KEY", VAULT_KEY)
    with started_app(compliance_database) as application:
        yield application


@pytest.fixture
def compliance(client: TestClient) -> dict[str, str]:
    """The compliance officer's Authorization header."""
    return login(client, "compliance1")


def say(client: TestClient, conversation: dict[str, Any], text: str) -> dict[str, Any]:
    """A customer message; with the bot down it is stored (redacted) and answered later (503)."""
    response = client.post(
        f"/v1/conversations/{conversation['id']}/messages",
        json={"text": text},
        headers=conversation["headers"],
    )
    assert response.status_code in (200, 503), response.text
    transcript = client.get(f"/v1/conversations/{conversation['id']}", headers=conversation["headers"]).json()
    return [m for m in transcript["messages"] if m["sender"] == "user"][-1]


def track(
    tracker_db: Path, conversation_id: str, utterances: list[tuple[str, str]], at: float | None = None
) -> None:
    """Writes user events as Rasa's SQL tracker store does: (redacted text, intent) pairs."""
    engine = create_engine(f"sqlite:///{tracker_db}")
    moment = at if at is not None else time.time()
    with engine.begin() as connection:
        for offset, (text, intent) in enumerate(utterances):
            data = {
                "event": "user",
                "timestamp": moment + offset,
                "text": text,
                "parse_data": {"intent": {"name": intent, "confidence": 0.9}},
            }
            connection.execute(
                insert(EVENTS).values(
                    sender_id=conversation_id,
                    type_name="user",
                    timestamp=moment + offset,
                    intent_name=intent,
                    action_name=None,
                    data=json.dumps(data),
                )
            )
            connection.execute(
                insert(EVENTS).values(
                    sender_id=conversation_id,
                    type_name="action",
                    timestamp=moment + offset + 0.5,
                    intent_name=None,
                    action_name="action_listen",
                    data=json.dumps({"event": "action", "name": "action_listen"}),
                )
            )
    engine.dispose()
