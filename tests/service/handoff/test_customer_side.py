"""The customer's side of a handoff, in-process on the suite's SQLite database: their place in
the queue live over the WebSocket, leaving the queue for the assistant, and the hand-back with
its summary in Rasa's history and the satisfaction question.

Rasa is the one boundary stood in for (an ``httpx.MockTransport`` that records the events the
service appends and answers ``execute`` like Rasa); the bot-down cases use the real client
pointed at a closed port.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from service.handoff.bot_control import BotControl
from service.handoff.policy import Priority
from tests.service.handoff.conftest import handoff_events_after, login, queue_handoff, start_conversation


@dataclass
class FakeRasa:
    """Records what the service sends to Rasa's HTTP API; answers like Rasa would."""

    appended: list[list[dict[str, Any]]] = field(default_factory=list)
    executed: list[str] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/tracker/events"):
            self.appended.append(json.loads(request.content))
            return httpx.Response(200, json={})
        if request.url.path.endswith("/execute"):
            self.executed.append(json.loads(request.content)["name"])
            return httpx.Response(200, json={"messages": [{"recipient_id": "x", "text": "Anything else?"}]})
        return httpx.Response(404, json={})


@pytest.fixture
def rasa(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> FakeRasa:
    fake = FakeRasa()
    bot = BotControl("http://rasa.test", http=httpx.AsyncClient(transport=httpx.MockTransport(fake.handle)))
    monkeypatch.setattr(app.state.handoff, "_bot", bot)
    return fake


@pytest.fixture
def agent1(client: TestClient, empty_queue: None) -> Iterator[dict[str, str]]:
    headers = login(client, "agent1")
    yield headers
    client.put("/v1/agents/me/status", json={"status": "available"}, headers=headers)


def error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()["error"]


def metric(client: TestClient, line_start: str) -> float:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(line_start):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_the_second_customer_moves_from_2_to_1_when_the_first_is_claimed(
    app: FastAPI, client: TestClient, agent1: dict[str, str]
) -> None:
    first_id = queue_handoff(app, start_conversation(client)["id"])
    second = start_conversation(client)
    queue_handoff(app, second["id"])
    url = f"/v1/conversations/{second['id']}"
    assert client.get(url, headers=second["headers"]).json()["handoff"]["position"] == 2

    events = handoff_events_after(
        client, second, lambda: client.post(f"/v1/agents/handoffs/{first_id}/claim", headers=agent1)
    )
    moved = events[-1]
    assert moved["handoff"]["status"] == "queued" and moved["handoff"]["position"] == 1
    assert moved["system"]["event"] == "waiting" and moved["system"]["position"] == 1
    assert moved["system"]["estimated_wait_s"] == moved["handoff"]["estimated_wait_s"] >= 0


def test_a_colleague_going_away_tells_the_waiting_customer_again(
    app: FastAPI, client: TestClient, agent1: dict[str, str]
) -> None:
    customer = start_conversation(client)
    queue_handoff(app, customer["id"])
    events = handoff_events_after(
        client, customer, lambda: client.put("/v1/agents/me/status", json={"status": "away"}, headers=agent1)
    )
    assert events[-1]["handoff"]["position"] == 1


def test_the_customer_goes_back_to_the_assistant(
    app: FastAPI, client: TestClient, agent1: dict[str, str], rasa: FakeRasa
) -> None:
    customer = start_conversation(client)
    cancel_url = f"/v1/conversations/{customer['id']}/handoff/cancel"
    assert error(client.post(cancel_url, headers=customer["headers"]), 404)["code"] == "not_found"
    assert rasa.appended == [], "nothing waiting: the bot is not touched"

    handoff_id = queue_handoff(app, customer["id"])
    behind = start_conversation(client)
    queue_handoff(app, behind["id"])
    abandoned = metric(client, "handoff_abandoned_waits_total")
    other = start_conversation(client)
    assert client.post(cancel_url, headers=other["headers"]).status_code in (401, 403)

    events = handoff_events_after(
        client, behind, lambda: client.post(cancel_url, headers=customer["headers"])
    )
    assert events[-1]["handoff"]["position"] == 1, "the customer behind moves up"
    assert rasa.appended[-1][:2] == [{"event": "resume"}, {"event": "active_loop", "name": None}]
    assert {"event": "slot", "name": "requested_slot", "value": None} in rasa.appended[-1]
    assert metric(client, "handoff_abandoned_waits_total") == abandoned + 1

    transcript = client.get(f"/v1/conversations/{customer['id']}", headers=customer["headers"]).json()
    assert transcript["handoff"] is None
    assert transcript["messages"][-1]["custom"]["system"]["event"] == "cancelled"
    assert "back with the assistant" in transcript["messages"][-1]["text"]
    packet = client.get(f"/v1/agents/handoffs/{handoff_id}", headers=agent1).json()
    assert packet["handoff"]["status"] == "cancelled"
    assert [e["kind"] for e in packet["events"]] == ["queued", "cancelled"]
    assert error(client.post(cancel_url, headers=customer["headers"]), 404)["code"] == "not_found"


def test_once_a_colleague_has_joined_the_customer_cannot_cancel(
    app: FastAPI, client: TestClient, agent1: dict[str, str], rasa: FakeRasa
) -> None:
    customer = start_conversation(client)
    handoff_id = queue_handoff(app, customer["id"], "fraud", Priority.URGENT)
    assert client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=agent1).status_code == 200
    refused = client.post(f"/v1/conversations/{customer['id']}/handoff/cancel", headers=customer["headers"])
    assert error(refused, 409)["code"] == "handoff_not_waiting"
    assert rasa.appended == [], "the bot stays paused"


def test_with_the_bot_down_the_customer_keeps_their_place(
    app: FastAPI, client: TestClient, agent1: dict[str, str]
) -> None:
    customer = start_conversation(client)
    queue_handoff(app, customer["id"])
    refused = client.post(f"/v1/conversations/{customer['id']}/handoff/cancel", headers=customer["headers"])
    assert error(refused, 503)["code"] == "bot_unavailable"
    state = client.get(f"/v1/conversations/{customer['id']}", headers=customer["headers"]).json()["handoff"]
    assert state["status"] == "queued" and state["position"] == 1


def test_resolve_leaves_the_bot_a_summary_and_asks_how_it_went(
    app: FastAPI, client: TestClient, agent1: dict[str, str], rasa: FakeRasa
) -> None:
    customer = start_conversation(client)
    rate_url = f"/v1/conversations/{customer['id']}/handoff/satisfaction"
    early = client.post(rate_url, json={"rating": "good"}, headers=customer["headers"])
    assert error(early, 409)["code"] == "satisfaction_not_asked"
    handoff_id = queue_handoff(app, customer["id"], "lost_or_stolen_card", Priority.HIGH)
    client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=agent1)
    client.post(f"/v1/agents/handoffs/{handoff_id}/messages", json={"text": "I've frozen it."},
                headers=agent1)
    assert client.post(f"/v1/agents/handoffs/{handoff_id}/resolve", headers=agent1).status_code == 200

    resumed = rasa.appended[0]
    assert resumed[:2] == [{"event": "resume"}, {"event": "active_loop", "name": None}]
    summary = [e for e in resumed if e["event"] == "bot"]
    assert len(summary) == 1 and summary[0]["metadata"] == {"handoff_summary": True}
    assert "lost or stolen card" in summary[0]["text"] and "frozen" not in summary[0]["text"]
    assert rasa.executed == ["utter_ok"]
    assert rasa.appended[1] == [{"event": "action", "name": "action_listen"}]

    url = f"/v1/conversations/{customer['id']}"
    messages = client.get(url, headers=customer["headers"]).json()["messages"]
    assert messages[-2]["text"] == "Anything else?"
    question = messages[-1]["custom"]["system"]
    assert question["event"] == "satisfaction"
    assert [c["value"] for c in question["choices"]] == ["good", "ok", "poor"]

    assert client.post(rate_url, json={"rating": "great"}, headers=customer["headers"]).status_code == 422
    assert client.post(rate_url, json={}, headers=customer["headers"]).status_code == 422
    before = metric(client, 'handoff_satisfaction_total{rating="ok"}')
    answered = client.post(rate_url, json={"rating": "ok"}, headers=customer["headers"])
    assert answered.status_code == 200 and answered.json()["rating"] == "ok"
    assert answered.json()["message"]["custom"]["system"] == {"event": "rated", "rating": "ok"}
    assert metric(client, 'handoff_satisfaction_total{rating="ok"}') == before + 1
    again = client.post(rate_url, json={"rating": "good"}, headers=customer["headers"])
    assert error(again, 409)["code"] == "satisfaction_answered"

    with app.state.engine.connect() as connection:
        steps = connection.execute(
            text("SELECT kind, name, detail FROM journey_steps WHERE conversation_id = :c AND kind = :k"),
            {"c": customer["id"], "k": "satisfaction"},
        ).all()
    assert [tuple(s) for s in steps] == [("satisfaction", "ok", "lost_or_stolen_card")]


def handoff_status(client: TestClient, handoff_id: str, headers: dict[str, str]) -> str:
    return client.get(f"/v1/agents/handoffs/{handoff_id}", headers=headers).json()["handoff"]["status"]


def say(client: TestClient, customer: dict[str, Any], text: str) -> None:
    sent = client.post(f"/v1/conversations/{customer['id']}/messages", headers=customer["headers"],
                       json={"text": text})
    assert sent.status_code == 200, sent.text


def test_saying_so_takes_a_waiting_customer_back_to_the_assistant(
    app: FastAPI, client: TestClient, agent1: dict[str, str], rasa: FakeRasa
) -> None:
    customer = start_conversation(client)
    handoff_id = queue_handoff(app, customer["id"])
    say(client, customer, "is anyone there? I really need a person")
    assert handoff_status(client, handoff_id, agent1) == "queued"
    assert rasa.appended == []

    say(client, customer, "never mind, I don't need a person any more")
    assert handoff_status(client, handoff_id, agent1) == "cancelled"
    assert rasa.appended[-1][0] == {"event": "resume"}
    transcript = client.get(f"/v1/conversations/{customer['id']}", headers=customer["headers"])
    messages = transcript.json()["messages"]
    assert messages[-2]["text"] == "never mind, I don't need a person any more", "what they said is kept"
    assert messages[-1]["custom"]["system"]["event"] == "cancelled"


def test_once_a_colleague_has_joined_such_words_go_to_the_colleague(
    app: FastAPI, client: TestClient, agent1: dict[str, str], rasa: FakeRasa
) -> None:
    customer = start_conversation(client)
    handoff_id = queue_handoff(app, customer["id"])
    assert client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=agent1).status_code == 200
    say(client, customer, "never mind")
    assert handoff_status(client, handoff_id, agent1) == "assigned"
    assert rasa.appended == []


@pytest.mark.parametrize(
    ("text", "leaves"),
    [
        ("nevermind, sorted it myself", True),
        ("I no longer need to speak to a colleague", True),
        ("take me back to the assistant please", True),
        ("please cancel my request", True),
        ("I don't need anyone to call me, I need to talk now", False),
        ("I need a person", False),
        ("don't mind waiting", False),
    ],
)
def test_which_words_take_the_customer_back(app: FastAPI, text: str, leaves: bool) -> None:
    assert app.state.handoff.policy.waiting.wants_the_assistant(text) is leaves
