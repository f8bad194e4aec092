"""Retries: the same client_message_id (or Idempotency-Key) with the same body gives the
first message back; with another body a 409 and nothing stored; the comparison keeps a
keyed hash, never the text."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine

from service.models import Message
from tests.support.app import running_app, start_conversation

CARD = "4111 1111 1111 1111"


@pytest.fixture
def client(stack_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    with running_app(stack_database, monkeypatch) as test_client:
        yield test_client


@pytest.fixture
def database(stack_database: str) -> Iterator[Engine]:
    engine = create_engine(stack_database)
    yield engine
    engine.dispose()


def send(client: TestClient, conversation_id: str, auth: dict[str, str], body: dict[str, object],
         **headers: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = client.post(f"/v1/conversations/{conversation_id}/messages", json=body,
                           headers={**auth, **headers})
    return response.status_code, response.json()


def counts(database: Engine, conversation_id: str) -> tuple[int, int]:
    """(customer messages, vaulted originals) of the conversation."""
    with database.connect() as connection:
        messages = connection.scalar(select(func.count()).select_from(Message).where(
            Message.conversation_id == conversation_id, Message.sender == "user"))
        vaulted = connection.scalar(text("SELECT count(*) FROM privacy_vault WHERE conversation_id = :c"),
                                    {"c": conversation_id})
    return int(messages or 0), int(vaulted or 0)


def test_a_replay_with_another_body_is_refused_and_nothing_is_stored(
    client: TestClient, database: Engine
) -> None:
    conversation_id, auth = start_conversation(client)
    # The bot is down: the message is stored and answered later (503), a retry is expected.
    first_status, first = send(client, conversation_id, auth,
                               {"text": f"my card {CARD} was stolen", "client_message_id": "m-1"})
    again_status, again = send(client, conversation_id, auth,
                               {"text": f"my card {CARD} was stolen", "client_message_id": "m-1"})
    before = counts(database, conversation_id)
    status, body = send(client, conversation_id, auth,
                        {"text": "send £500 to Bob", "client_message_id": "m-1"})
    assert (first_status, again_status) == (503, 503)
    assert first["error"]["details"]["message_seq"] == again["error"]["details"]["message_seq"]
    assert status == 409
    assert body["error"]["code"] == "idempotency_conflict"
    assert "client_message_id" in body["error"]["message"]
    assert counts(database, conversation_id) == before == (1, before[1])


def test_the_idempotency_key_header_is_the_same_id(client: TestClient, database: Engine) -> None:
    conversation_id, auth = start_conversation(client)
    first, _ = send(client, conversation_id, auth, {"text": "hello"}, **{"Idempotency-Key": "k-1"})
    same_in_body, _ = send(client, conversation_id, auth, {"text": "hello", "client_message_id": "k-1"})
    changed, body = send(client, conversation_id, auth, {"text": "goodbye"}, **{"Idempotency-Key": "k-1"})
    both, both_body = send(client, conversation_id, auth, {"text": "hello", "client_message_id": "k-2"},
                           **{"Idempotency-Key": "k-3"})
    assert (first, same_in_body, changed) == (503, 503, 409)
    assert body["error"]["code"] == "idempotency_conflict"
    assert both == 422 and both_body["error"]["code"] == "invalid_message"
    assert counts(database, conversation_id)[0] == 1


def test_the_stored_fingerprint_is_a_keyed_hash(client: TestClient, database: Engine) -> None:
    conversation_id, auth = start_conversation(client)
    typed = f"card {CARD}"
    send(client, conversation_id, auth, {"text": typed, "client_message_id": "fp-1"})
    send(client, conversation_id, auth, {"text": "no id here"})
    with database.connect() as connection:
        rows = connection.execute(select(Message.client_message_id, Message.idempotency_fingerprint).where(
            Message.conversation_id == conversation_id)).all()
    fingerprints = {client_id: fingerprint for client_id, fingerprint in rows}
    stored = fingerprints["fp-1"]
    assert stored is not None and len(stored) == 64 and int(stored, 16) >= 0
    assert CARD.replace(" ", "") not in stored
    assert stored not in {hashlib.sha256(v.encode()).hexdigest() for v in (typed, CARD, f'["{typed}", null]')}
    assert fingerprints[None] is None  # only messages sent with an id keep one
