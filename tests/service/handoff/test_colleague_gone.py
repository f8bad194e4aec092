"""A colleague whose console goes (a closed browser, a dead network) for longer than the
routing's ``reconnect_grace_s`` gives their conversations back to the queue with everything
kept, and is away; one who reconnects in time, on this worker or another, keeps them."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.service.handoff.conftest import login, queue_handoff, start_conversation

GRACE_S = 0.3


@pytest.fixture
def short_grace(app: FastAPI) -> None:
    handoff = app.state.handoff
    routing = handoff.policy.routing.model_copy(update={"reconnect_grace_s": GRACE_S})
    handoff.policy = handoff.policy.model_copy(update={"routing": routing})


@pytest.fixture
def agent1(client: TestClient, empty_queue: None, short_grace: None) -> Iterator[dict[str, str]]:
    headers = login(client, "agent1")
    yield headers
    client.put("/v1/agents/me/status", json={"status": "available"}, headers=headers)


def claimed_by(client: TestClient, app: FastAPI, headers: dict[str, str]) -> tuple[str, dict]:
    customer = start_conversation(client)
    handoff_id = queue_handoff(app, customer["id"])
    assert client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=headers).status_code == 200
    return handoff_id, customer


def status(client: TestClient, handoff_id: str, headers: dict[str, str]) -> str:
    return client.get(f"/v1/agents/handoffs/{handoff_id}", headers=headers).json()["handoff"]["status"]


def eventually(check: Callable[[], bool], within_s: float = 5.0) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def socket_url(headers: dict[str, str]) -> str:
    return f"/v1/agents/ws?token={headers['Authorization'].removeprefix('Bearer ')}"


@contextmanager
def console_holding(client: TestClient, app: FastAPI, headers: dict[str, str]) -> Iterator[tuple[str, dict]]:
    """The colleague's console open while they claim a new handoff; it closes on leaving."""
    with client.websocket_connect(socket_url(headers)) as console:
        assert console.receive_json()["type"] == "queue"
        yield claimed_by(client, app, headers)


def test_a_console_gone_for_good_gives_the_conversations_back(
    app: FastAPI, client: TestClient, agent1: dict[str, str]
) -> None:
    with console_holding(client, app, agent1) as (handoff_id, customer):
        client.post(f"/v1/conversations/{customer['id']}/messages", headers=customer["headers"],
                    json={"text": "are you still there?"})
    assert eventually(lambda: status(client, handoff_id, agent1) == "queued")
    transcript = client.get(f"/v1/conversations/{customer['id']}", headers=customer["headers"])
    messages = transcript.json()["messages"]
    texts = [m["text"] for m in messages]
    assert "are you still there?" in texts, "nothing the customer said is lost"
    told = messages[-1]
    assert told["custom"]["system"]["event"] == "requeued" and "number 1" in told["text"]
    assert client.get("/v1/agents/me", headers=agent1).json()["availability"] == "away"
    # The next colleague can take it, with its history.
    agent2 = login(client, "agent2")
    assert client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=agent2).status_code == 200


def test_a_console_back_in_time_keeps_the_conversations(
    app: FastAPI, client: TestClient, agent1: dict[str, str]
) -> None:
    with console_holding(client, app, agent1) as (handoff_id, _):
        pass
    with client.websocket_connect(socket_url(agent1)) as again:
        assert again.receive_json()["type"] == "queue"
        time.sleep(GRACE_S * 3)
        assert status(client, handoff_id, agent1) == "assigned"
        assert client.get("/v1/agents/me", headers=agent1).json()["availability"] == "available"


def test_a_console_that_reconnected_to_another_worker_keeps_the_conversations(
    app: FastAPI, client: TestClient, agent1: dict[str, str]
) -> None:
    with console_holding(client, app, agent1) as (handoff_id, _):
        colleague = client.get("/v1/agents/me", headers=agent1).json()["staff"]
    # Another worker's socket for the same colleague checks in after this one closed.
    time.sleep(GRACE_S / 3)
    app.state.staff.seen(colleague["id"], datetime.now(UTC))
    time.sleep(GRACE_S * 3)
    assert status(client, handoff_id, agent1) == "assigned"
