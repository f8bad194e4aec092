"""The agent API in-process on a real SQLite database, with the bot down: roles, the queue
order, claim conflicts, the relay both ways, notes, transfer, and errors that lose nothing.

The bot being down shows that relayed customer messages never go to it. Triggers, resolve
and close with the real bot are in test_handoff_live.py.
"""

from __future__ import annotations

import threading

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker

from service.handoff.policy import Priority
from tests.service.handoff.conftest import login, queue_handoff, start_conversation


def error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    return response.json()["error"]


@pytest.fixture
def handoff(app: FastAPI, client: TestClient, empty_queue: None) -> tuple[str, dict]:
    """A queued handoff of a fresh conversation: (handoff id, the customer's conversation).
    The queue is emptied first, so that the colleagues have free chats."""
    customer = start_conversation(client)
    return queue_handoff(app, customer["id"]), customer


def test_queue_by_priority_then_waiting_time(app: FastAPI, client: TestClient, empty_queue: None) -> None:
    first = queue_handoff(app, start_conversation(client)["id"], "complaint", Priority.NORMAL)
    urgent = queue_handoff(app, start_conversation(client)["id"], "fraud", Priority.URGENT)
    second = queue_handoff(app, start_conversation(client)["id"], "form_loop", Priority.NORMAL)
    queue = client.get("/v1/agents/queue", headers=login(client, "agent1")).json()
    assert [(h["id"], h["position"]) for h in queue] == [(urgent, 1), (first, 2), (second, 3)]
    assert queue[0]["reason"] == "fraud" and queue[0]["priority"] == 4


def test_roles(client: TestClient, handoff: tuple[str, dict]) -> None:
    handoff_id, _ = handoff
    compliance = login(client, "compliance1")
    assert client.get("/v1/agents/queue", headers=compliance).status_code == 200
    assert client.get(f"/v1/agents/handoffs/{handoff_id}", headers=compliance).status_code == 200
    body = error(client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=compliance), 403)
    assert body["code"] == "role_required" and body["details"]["required"] == ["agent", "admin"]
    assert error(client.post(f"/v1/agents/handoffs/{handoff_id}/claim"), 401)["code"] == "not_signed_in"


def test_claim_conflict(client: TestClient, handoff: tuple[str, dict]) -> None:
    handoff_id, customer = handoff
    agent1, agent2 = login(client, "agent1"), login(client, "agent2")
    claimed = client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=agent1).json()
    assert claimed["status"] == "assigned" and claimed["assigned_to"]["username"] == "agent1"
    body = error(client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=agent2), 409)
    assert body["code"] == "already_claimed" and body["details"]["claimed_by"] == "Priya (agent)"
    again = client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=agent1)
    assert again.status_code == 200, "claiming your own conversation again changes nothing"
    told = [
        m["text"]
        for m in client.get(f"/v1/conversations/{customer['id']}", headers=customer["headers"]).json()[
            "messages"
        ]
    ]
    assert told.count("Priya (agent) has joined the chat.") == 1


def test_two_agents_claiming_at_once_get_one_claim(client: TestClient, handoff: tuple[str, dict]) -> None:
    handoff_id, _ = handoff
    headers = [login(client, "agent1"), login(client, "agent2")]
    statuses: list[int] = []
    barrier = threading.Barrier(2)

    def claim(h: dict[str, str]) -> None:
        barrier.wait()
        statuses.append(client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=h).status_code)

    threads = [threading.Thread(target=claim, args=(h,)) for h in headers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]


def test_only_the_assignee_writes(client: TestClient, handoff: tuple[str, dict]) -> None:
    handoff_id, customer = handoff
    agent1, agent2 = login(client, "agent1"), login(client, "agent2")
    url = f"/v1/agents/handoffs/{handoff_id}/messages"
    assert error(client.post(url, json={"text": "hi"}, headers=agent1), 409)["code"] == "not_claimed"
    client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=agent1)
    assert error(client.post(url, json={"text": "hi"}, headers=agent2), 403)["code"] == "not_assignee"
    sent = client.post(url, json={"text": "Hello, I'm Priya. How can I help?"}, headers=agent1).json()
    assert sent["sender"] == "agent" and sent["custom"] == {"agent": "Priya (agent)"}
    messages = client.get(f"/v1/conversations/{customer['id']}", headers=customer["headers"]).json()[
        "messages"
    ]
    assert messages[-1]["seq"] == sent["seq"] and messages[-1]["sender"] == "agent"


def test_customer_writing_while_nobody_is_online_is_told_and_kept(
    client: TestClient, handoff: tuple[str, dict]
) -> None:
    _, customer = handoff
    turn = client.post(
        f"/v1/conversations/{customer['id']}/messages",
        headers=customer["headers"],
        json={"text": "is anyone there?"},
    )
    assert turn.status_code == 200, "relayed, so the bot being down does not matter"
    assert "No colleague is online" in turn.json()["replies"][0]["text"]
    messages = client.get(f"/v1/conversations/{customer['id']}", headers=customer["headers"]).json()[
        "messages"
    ]
    kept = [m for m in messages if m["text"] == "is anyone there?"]
    assert len(kept) == 1 and kept[0]["status"] == "relayed"


def test_live_relay_both_ways(client: TestClient, handoff: tuple[str, dict]) -> None:
    handoff_id, customer = handoff
    headers = login(client, "agent1")
    token = headers["Authorization"].removeprefix("Bearer ")
    with client.websocket_connect(f"/v1/agents/ws?token={token}") as agent:
        assert agent.receive_json()["type"] == "queue"
        client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=headers)
        with client.websocket_connect(
            f"/v1/conversations/{customer['id']}/ws?token={customer['token']}"
        ) as chat:
            backlog = [chat.receive_json()["message"] for _ in range(2)]  # queued + joined notices
            assert [m["custom"]["system"]["event"] for m in backlog] == ["queued", "claimed"]
            chat.send_json({"type": "message", "text": "my card was taken at the cash machine"})
            relayed = _next(agent, "message", sender="user")
            assert relayed["message"]["text"] == "my card was taken at the cash machine"
            assert relayed["conversation_id"] == customer["id"]
            agent.send_json({"type": "message", "handoff_id": handoff_id, "text": "I'm sorry, let me help."})
            seen = [chat.receive_json()["message"] for _ in range(2)]
    assert [m["sender"] for m in seen] == ["user", "agent"]
    assert seen[1]["text"] == "I'm sorry, let me help." and seen[1]["seq"] == seen[0]["seq"] + 1
    assert all(m["sender"] != "bot" for m in seen), "no 'nobody online' notice: the agent is there"


def test_agent_socket_refuses_bad_tokens_and_reports_errors(
    client: TestClient, handoff: tuple[str, dict]
) -> None:
    handoff_id, _ = handoff
    from starlette.websockets import WebSocketDisconnect

    with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect("/v1/agents/ws?token=nope"):
        pass
    assert refused.value.code == 4401
    token = login(client, "agent2")["Authorization"].removeprefix("Bearer ")
    with client.websocket_connect(f"/v1/agents/ws?token={token}") as agent:
        agent.send_json({"type": "message", "handoff_id": handoff_id, "text": "hello"})
        assert _next(agent, "error")["error"]["code"] == "not_claimed"


def test_notes_stay_private_and_transfer_moves_the_conversation(
    client: TestClient, handoff: tuple[str, dict]
) -> None:
    handoff_id, customer = handoff
    agent1, agent2 = login(client, "agent1"), login(client, "agent2")
    client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=agent1)
    note = client.post(
        f"/v1/agents/handoffs/{handoff_id}/notes",
        headers=agent1,
        json={"text": "Customer sounds confused; check for a scam."},
    )
    assert note.status_code == 201
    moved = client.post(
        f"/v1/agents/handoffs/{handoff_id}/transfer",
        headers=agent1,
        json={"to": "agent2", "note": "Fraud team please."},
    ).json()
    assert moved["assigned_to"]["username"] == "agent2"
    assert (
        error(
            client.post(
                f"/v1/agents/handoffs/{handoff_id}/messages", headers=agent1, json={"text": "still me"}
            ),
            403,
        )["code"]
        == "not_assignee"
    )
    assert (
        client.post(
            f"/v1/agents/handoffs/{handoff_id}/messages", headers=agent2, json={"text": "Hi, Sam here."}
        ).status_code
        == 200
    )
    packet = client.get(f"/v1/agents/handoffs/{handoff_id}", headers=agent2).json()
    assert [n["text"] for n in packet["notes"]] == [
        "Customer sounds confused; check for a scam.",
        "Fraud team please.",
    ]
    assert [e["kind"] for e in packet["events"]] == ["queued", "claimed", "transferred"]
    assert packet["events"][2]["target"]["username"] == "agent2"
    transcript = client.get(f"/v1/conversations/{customer['id']}", headers=customer["headers"]).json()
    texts = " ".join(m["text"] or "" for m in transcript["messages"])
    assert "scam" not in texts and "Fraud team" not in texts
    assert "I'm passing you to Sam (agent)" in texts


@pytest.mark.parametrize("target", ["compliance1", "nobody", "agent1"])
def test_transfer_needs_another_colleague_who_takes_conversations(
    client: TestClient, handoff: tuple[str, dict], target: str
) -> None:
    handoff_id, _ = handoff
    agent1 = login(client, "agent1")
    client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=agent1)
    body = error(
        client.post(f"/v1/agents/handoffs/{handoff_id}/transfer", headers=agent1, json={"to": target}), 422
    )
    assert body["code"] == "unknown_colleague"


def test_packet_has_profile_and_transcript(client: TestClient, handoff: tuple[str, dict]) -> None:
    handoff_id, customer = handoff
    packet = client.get(f"/v1/agents/handoffs/{handoff_id}", headers=login(client, "agent1")).json()
    assert packet["handoff"]["customer_id"] == "cus_001"
    assert packet["profile"]["first_name"] and packet["profile"]["accounts"]
    assert all("number" in a and "balance" in a for a in packet["profile"]["accounts"])
    assert packet["transcript"][-1]["custom"]["system"]["event"] == "queued"
    assert packet["triggers"][0]["reason"] == "customer_request"
    assert client.get("/v1/agents/handoffs/hof_missing", headers=login(client, "agent1")).status_code == 404


def test_close_with_the_bot_down_changes_nothing(client: TestClient, handoff: tuple[str, dict]) -> None:
    handoff_id, _ = handoff
    agent1 = login(client, "agent1")
    client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=agent1)
    assert (
        error(client.post(f"/v1/agents/handoffs/{handoff_id}/close", headers=agent1), 503)["code"]
        == "bot_unavailable"
    )
    packet = client.get(f"/v1/agents/handoffs/{handoff_id}", headers=agent1).json()
    assert packet["handoff"]["status"] == "assigned", "still with the agent, who may retry"


def _next(socket, kind: str, sender: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    for _ in range(20):
        event = socket.receive_json()
        if event["type"] == kind and (sender is None or event["message"]["sender"] == sender):
            return event
    raise AssertionError(f"no {kind} event")


def test_permission_is_checked_before_the_bot_is_touched(
    client: TestClient, handoff: tuple[str, dict]
) -> None:
    handoff_id, _ = handoff
    agent1, agent2 = login(client, "agent1"), login(client, "agent2")
    assert error(client.post(f"/v1/agents/handoffs/{handoff_id}/resolve", headers=agent1), 409)["code"] == (
        "not_claimed"
    )
    client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=agent1)
    assert error(client.post(f"/v1/agents/handoffs/{handoff_id}/resolve", headers=agent2), 403)["code"] == (
        "not_assignee"
    )


def test_agent_text_passes_the_privacy_layer(client: TestClient, handoff: tuple[str, dict]) -> None:
    handoff_id, _ = handoff
    agent1 = login(client, "agent1")
    client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=agent1)
    sent = client.post(
        f"/v1/agents/handoffs/{handoff_id}/messages",
        headers=agent1,
        json={"text": "Is your card number 4111 1111 1111 1111?"},
    ).json()
    assert "4111" not in sent["text"] and "<" in sent["text"]
    client.post(
        f"/v1/agents/handoffs/{handoff_id}/notes", headers=agent1, json={"text": "card 4111 1111 1111 1111"}
    )
    packet = client.get(f"/v1/agents/handoffs/{handoff_id}", headers=agent1).json()
    assert packet["transcript_redacted"] is True
    # The card as typed or compact (a bare "4111" can occur in ids and timestamps).
    assert "4111 1111" not in str(packet) and "4111111111111111" not in str(packet)


def test_packet_shows_the_recommendations_logged_in_this_conversation(
    app: FastAPI, client: TestClient, handoff: tuple[str, dict]
) -> None:
    from recommender.results import ShownItem
    from recommender.store_repository import StoreRepository

    handoff_id, _ = handoff
    repository = StoreRepository(sessionmaker(app.state.engine))
    rec_id = f"rec_{handoff_id[-8:]}"
    repository.log_shown("cus_001", [ShownItem(rec_id, "cur_rewards", 1, 0.8, "save", True)])
    repository.log_outcome("cus_001", rec_id, "declined")
    packet = client.get(f"/v1/agents/handoffs/{handoff_id}", headers=login(client, "agent1")).json()
    mine = [
        r for r in packet["recommendations"] if r["product"] == "cur_rewards" and r["answer"] == "declined"
    ]
    assert mine and mine[0]["rank"] == 1 and mine[0]["goal_type"] == "save"
