"""Routing through the agent API and what the customer's client reads, in-process on the
suite's SQLite database with the demo colleagues (agent1: general, cards_and_fraud; agent2:
general, lending, vulnerable_customers): status, skills, the concurrent-chat limit, and the
customer's place and estimated wait in the transcript and over their WebSocket."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from service.handoff.models import Handoff
from service.handoff.policy import Priority
from tests.service.handoff.conftest import handoff_events_after, login, queue_handoff, start_conversation


def claim(client: TestClient, handoff_id: str, headers: dict[str, str]) -> Any:
    return client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=headers)


@pytest.fixture
def agent1(client: TestClient, empty_queue: None) -> Iterator[dict[str, str]]:
    """agent1 signed in, on an empty queue; set available again afterwards."""
    headers = login(client, "agent1")
    yield headers
    client.put("/v1/agents/me/status", json={"status": "available"}, headers=headers)


def test_a_colleague_sees_and_sets_their_status(client: TestClient, agent1: dict[str, str]) -> None:
    me = client.get("/v1/agents/me", headers=agent1).json()
    assert me["skills"] == ["general", "cards_and_fraud"] and me["availability"] == "available"
    assert me["max_chats"] == 4 and me["active_chats"] == 0
    handoff_id = queue_handoff(client.app, start_conversation(client)["id"])  # type: ignore[arg-type]

    busy = client.put("/v1/agents/me/status", json={"status": "busy"}, headers=agent1)
    assert busy.status_code == 200 and busy.json()["availability"] == "busy"
    assert client.get("/v1/agents/offers", headers=agent1).json() == []
    refused = claim(client, handoff_id, agent1)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "colleague_unavailable"

    client.put("/v1/agents/me/status", json={"status": "available"}, headers=agent1)
    assert [h["id"] for h in client.get("/v1/agents/offers", headers=agent1).json()] == [handoff_id]
    assert claim(client, handoff_id, agent1).status_code == 200


def test_status_needs_a_colleague_who_takes_conversations(client: TestClient, agent1: dict[str, str]) -> None:
    compliance = login(client, "compliance1")
    assert client.put("/v1/agents/me/status", json={"status": "away"}, headers=compliance).status_code == 403
    assert client.put("/v1/agents/me/status", json={"status": "asleep"}, headers=agent1).status_code == 422


def test_a_handoff_waits_for_its_skill_then_widens(app: FastAPI, client: TestClient,
                                                   agent1: dict[str, str]) -> None:
    handoff_id = queue_handoff(app, start_conversation(client)["id"], "vulnerability", Priority.URGENT)
    agent2 = login(client, "agent2")
    assert [h["id"] for h in client.get("/v1/agents/offers", headers=agent2).json()] == [handoff_id]
    assert client.get("/v1/agents/offers", headers=agent1).json() == []
    refused = claim(client, handoff_id, agent1)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_offered"
    assert refused.json()["error"]["details"]["skill"] == "vulnerable_customers"

    widen_after_s = app.state.handoff.policy.routing.widen_after_s
    with app.state.engine.begin() as connection:
        connection.execute(update(Handoff).where(Handoff.id == handoff_id).values(
            queued_at=datetime.now(UTC) - timedelta(seconds=widen_after_s + 1)))
    assert client.get("/v1/agents/offers", headers=agent1).json()[0]["open_to_all"] is True
    assert claim(client, handoff_id, agent1).status_code == 200


def test_a_colleague_at_their_limit_gets_a_clear_409(app: FastAPI, client: TestClient,
                                                     agent1: dict[str, str]) -> None:
    first = queue_handoff(app, start_conversation(client)["id"])
    second = queue_handoff(app, start_conversation(client)["id"])
    app.state.staff.set_routing("agent1", max_chats=1)
    try:
        assert claim(client, first, agent1).status_code == 200
        refused = claim(client, second, agent1)
        assert refused.status_code == 409
        error = refused.json()["error"]
        assert error["code"] == "at_capacity" and error["details"] == {"active_chats": 1, "max_chats": 1}
        assert claim(client, second, login(client, "agent2")).status_code == 200
    finally:
        app.state.staff.set_routing("agent1", max_chats=4)


def test_the_customer_reads_their_place_and_wait(app: FastAPI, client: TestClient,
                                                 agent1: dict[str, str]) -> None:
    earlier = start_conversation(client)
    customer = start_conversation(client)
    earlier_id = queue_handoff(app, earlier["id"])
    queue_handoff(app, customer["id"])
    queue_handoff(app, start_conversation(client)["id"], "fraud", Priority.URGENT)  # another skill
    url = f"/v1/conversations/{customer['id']}"
    state = client.get(url, headers=customer["headers"]).json()["handoff"]
    assert state["status"] == "queued" and state["position"] == 2
    assert isinstance(state["estimated_wait_s"], int) and state["estimated_wait_s"] >= 0

    assert claim(client, earlier_id, agent1).status_code == 200
    assert client.get(url, headers=customer["headers"]).json()["handoff"]["position"] == 1
    joined = client.get(f"/v1/conversations/{earlier['id']}", headers=earlier["headers"]).json()
    assert joined["handoff"] == {"status": "assigned", "position": None, "estimated_wait_s": None,
                                 "agent": "Priya (agent)"}


def test_the_customer_socket_hears_the_queue_move(app: FastAPI, client: TestClient,
                                                  agent1: dict[str, str]) -> None:
    earlier_id = queue_handoff(app, start_conversation(client)["id"])
    customer = start_conversation(client)
    queue_handoff(app, customer["id"])
    heard = handoff_events_after(client, customer, lambda: claim(client, earlier_id, agent1))
    assert heard[-1]["handoff"]["status"] == "queued" and heard[-1]["handoff"]["position"] == 1
