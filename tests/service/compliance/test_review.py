"""Search, read, reveal and the audit chain, in-process on a real database and tracker store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from privacy.models import AuditEntry
from tests.service.compliance.conftest import login, queue_handoff, say, start_conversation, track

CARD = "4539 1488 0343 6467"
EMAIL = "margaret.thornbury@example.org"
IBAN = "GB33 BUKB 2020 1555 5555 55"


@pytest.fixture
def chats(app: FastAPI, client: TestClient, tracker_db: Path) -> dict[str, dict[str, Any]]:
    """Three conversations: a card and an email (cus_003), an escalated one with an IBAN
    (cus_003), and a plain one (cus_005)."""
    card = start_conversation(client, "cus_003")
    first = say(client, card, f"my card is {CARD} and my email is {EMAIL}")
    say(client, card, "hello again")
    track(tracker_db, card["id"], [(first["text"], "report_lost_card"), ("hello again", "greet")])
    iban = start_conversation(client, "cus_003")
    say(client, iban, f"send it to {IBAN}")
    queue_handoff(app, iban["id"], "complaint")
    plain = start_conversation(client, "cus_005")
    say(client, plain, "what time do you open")
    return {"card": card, "iban": iban, "plain": plain}


def found(client: TestClient, headers: dict[str, str], **filters: Any) -> set[str]:
    response = client.get("/v1/compliance/transcripts", params={**filters, "limit": 500}, headers=headers)
    assert response.status_code == 200, response.text
    return {t["id"] for t in response.json()["results"]}


def test_search_by_each_filter(client: TestClient, compliance: dict[str, str], chats: dict[str, Any]) -> None:
    card, iban, plain = chats["card"]["id"], chats["iban"]["id"], chats["plain"]["id"]
    by_customer = found(client, compliance, customer_id="cus_003")
    assert {card, iban} <= by_customer and plain not in by_customer
    assert card in found(client, compliance, entity_type="CARD")
    assert iban not in found(client, compliance, entity_type="card"), "case does not matter; IBAN is no card"
    assert iban in found(client, compliance, entity_type="IBAN")
    assert {iban} <= found(client, compliance, escalated=True) and card not in found(
        client, compliance, escalated=True
    )
    assert {card, plain} <= found(client, compliance, escalated=False)
    assert found(client, compliance, intent="report_lost_card") >= {card}
    assert iban not in found(client, compliance, intent="report_lost_card")
    assert found(client, compliance, intent="no_such_intent") == set()
    now = datetime.now(UTC)
    window = {
        "since": (now - timedelta(minutes=10)).isoformat(),
        "until": (now + timedelta(minutes=1)).isoformat(),
    }
    assert {card, iban, plain} <= found(client, compliance, **window)
    assert found(client, compliance, since=(now + timedelta(hours=1)).isoformat()) == set()
    assert found(client, compliance, customer_id="cus_003", entity_type="EMAIL", escalated=False) >= {card}


def test_search_summaries_and_bad_filters(
    client: TestClient, compliance: dict[str, str], chats: dict[str, Any]
) -> None:
    response = client.get("/v1/compliance/transcripts", params={"customer_id": "cus_003"}, headers=compliance)
    summary = next(t for t in response.json()["results"] if t["id"] == chats["card"]["id"])
    assert {"CARD", "EMAIL"} <= set(summary["entity_types"])
    assert summary["intents"] == ["report_lost_card", "greet"]
    assert summary["messages"] == 2 and summary["escalated"] is False
    escalated = next(t for t in response.json()["results"] if t["id"] == chats["iban"]["id"])
    assert escalated["escalated"] and escalated["handoff_reasons"] == ["complaint"]
    assert CARD not in response.text and EMAIL not in response.text
    for bad in ({"entity_type": "SHOE_SIZE"}, {"limit": 0}, {"intent": "DROP TABLE"}, {"since": "yesterday"}):
        assert client.get("/v1/compliance/transcripts", params=bad, headers=compliance).status_code == 422, (
            bad
        )


def test_a_transcript_with_its_entities_marked(
    client: TestClient, compliance: dict[str, str], chats: dict[str, Any]
) -> None:
    conversation_id = chats["card"]["id"]
    response = client.get(f"/v1/compliance/transcripts/{conversation_id}", headers=compliance)
    assert response.status_code == 200
    body = response.json()
    assert CARD not in response.text and EMAIL not in response.text
    first = body["messages"][0]
    assert "<CARD_1>" in first["text"] and "my email is <EMAIL_1>" in first["text"]
    assert first["intent"] == "report_lost_card" and body["messages"][1]["intent"] == "greet"
    spans = [(s["placeholder"], s["entity_type"], s["revealable"]) for s in first["entities"]]
    assert [s for s in spans if s[1] in ("CARD", "EMAIL")] == [
        ("<CARD_1>", "CARD", True),
        ("<EMAIL_1>", "EMAIL", True),
    ]
    for span in first["entities"]:
        assert first["text"][span["start"] : span["end"]] == span["placeholder"]
    assert [p for p in body["placeholders"] if p["entity_type"] in ("CARD", "EMAIL")] == [
        {"placeholder": "<CARD_1>", "entity_type": "CARD"},
        {"placeholder": "<EMAIL_1>", "entity_type": "EMAIL"},
    ]
    assert body["intents"] == ["report_lost_card", "greet"] and not body["escalated"]
    audit = client.get("/v1/compliance/audit", params={"target": conversation_id}, headers=compliance).json()
    assert [(e["actor"], e["action"]) for e in audit] == [("compliance:compliance1", "view_transcript")]
    assert client.get("/v1/compliance/transcripts/conv_nope", headers=compliance).status_code == 404


def test_a_typed_placeholder_is_marked_but_not_revealable(
    client: TestClient, compliance: dict[str, str]
) -> None:
    chat = start_conversation(client, "cus_005")
    say(client, chat, "what does <CARD_7> mean")
    body = client.get(f"/v1/compliance/transcripts/{chat['id']}", headers=compliance).json()
    assert [(s["placeholder"], s["revealable"]) for s in body["messages"][0]["entities"]] == [
        ("<CARD_7>", False)
    ]


def test_reveal_with_a_reason_is_audited_and_the_reason_redacted(
    client: TestClient, compliance: dict[str, str], chats: dict[str, Any]
) -> None:
    conversation_id = chats["card"]["id"]
    response = client.post(
        f"/v1/compliance/transcripts/{conversation_id}/reveal",
        json={"placeholder": "<CARD_1>", "reason": "Fraud case FR-42, caller Margaret Thornbury"},
        headers=compliance,
    )
    assert response.status_code == 200, response.text
    revealed = response.json()
    assert revealed["value"] == CARD and revealed["entity_type"] == "CARD"
    entries = client.get(
        "/v1/compliance/audit", params={"target": f"{conversation_id}/"}, headers=compliance
    ).json()
    assert len(entries) == 1 and entries[0]["sequence"] == revealed["audit_sequence"]
    entry = entries[0]
    assert (entry["actor"], entry["action"], entry["target"]) == (
        "compliance:compliance1",
        "reveal",
        f"{conversation_id}/<CARD_1>",
    )
    assert entry["reason"].startswith("Fraud case FR-42, caller <PERSON_")
    assert "Thornbury" not in entry["reason"], "the reason is redacted before it is audited"
    email = client.post(
        f"/v1/compliance/transcripts/{conversation_id}/reveal",
        json={"placeholder": "<EMAIL_1>", "reason": "complaint 881 reply"},
        headers=compliance,
    )
    assert email.json()["value"] == EMAIL


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"placeholder": "<CARD_1>"}, 422, "invalid_request"),
        ({"placeholder": "<CARD_1>", "reason": ""}, 422, "invalid_request"),
        ({"placeholder": "<CARD_1>", "reason": "     "}, 422, "reveal_refused"),
        ({"placeholder": "<CARD_9>", "reason": "fraud case 42"}, 422, "reveal_refused"),
        ({"placeholder": "<IBAN_1>", "reason": "fraud case 42"}, 422, "reveal_refused"),
        ({"placeholder": "CARD_1", "reason": "fraud case 42"}, 422, "invalid_request"),
        ({"placeholder": "<CARD_1>", "reason": "fraud case 42", "also": 1}, 422, "invalid_request"),
    ],
)
def test_reveal_refused(
    client: TestClient,
    compliance: dict[str, str],
    chats: dict[str, Any],
    body: dict[str, Any],
    status: int,
    code: str,
) -> None:
    before = client.get("/v1/compliance/audit/verify", headers=compliance).json()["entries"]
    response = client.post(
        f"/v1/compliance/transcripts/{chats['card']['id']}/reveal", json=body, headers=compliance
    )
    assert response.status_code == status and response.json()["error"]["code"] == code, response.text
    assert CARD not in response.text
    after = client.get("/v1/compliance/audit/verify", headers=compliance).json()["entries"]
    assert after == before, "a refused reveal reveals nothing and records no reveal"


def test_reveal_in_an_unknown_conversation_is_404(client: TestClient, compliance: dict[str, str]) -> None:
    response = client.post(
        "/v1/compliance/transcripts/conv_nope/reveal",
        json={"placeholder": "<CARD_1>", "reason": "fraud case 42"},
        headers=compliance,
    )
    assert response.status_code == 404


def test_the_audit_chain_holds_after_views_and_reveals_and_tampering_is_found(
    app: FastAPI, client: TestClient, compliance: dict[str, str], chats: dict[str, Any]
) -> None:
    conversation_id = chats["card"]["id"]
    start = client.get("/v1/compliance/audit/verify", headers=compliance).json()
    assert start["valid"], start
    client.get(f"/v1/compliance/transcripts/{conversation_id}", headers=compliance)
    client.post(
        f"/v1/compliance/transcripts/{conversation_id}/reveal",
        json={"placeholder": "<EMAIL_1>", "reason": "subject access request 12"},
        headers=compliance,
    )
    client.get("/v1/compliance/transcripts", params={"customer_id": "cus_003"}, headers=compliance)
    status = client.get("/v1/compliance/audit/verify", headers=login(client, "admin1")).json()
    assert status == {
        "valid": True,
        "entries": start["entries"] + 3,
        "first_broken_sequence": None,
        "problem": "",
    }

    with app.state.engine.begin() as connection:
        victim = connection.execute(
            select(AuditEntry.sequence, AuditEntry.reason)
            .where(AuditEntry.action == "reveal")
            .order_by(AuditEntry.sequence.desc())
            .limit(1)
        ).one()
        connection.execute(
            update(AuditEntry).where(AuditEntry.sequence == victim.sequence).values(reason="nothing")
        )
    try:
        broken = client.get("/v1/compliance/audit/verify", headers=compliance).json()
        assert not broken["valid"] and broken["first_broken_sequence"] == victim.sequence
        assert broken["problem"] == "content does not match its hash"
    finally:
        with app.state.engine.begin() as connection:
            connection.execute(
                update(AuditEntry).where(AuditEntry.sequence == victim.sequence).values(reason=victim.reason)
            )
    assert client.get("/v1/compliance/audit/verify", headers=compliance).json()["valid"]


def test_agent_messages_and_notes_are_redacted_and_revealable(
    app: FastAPI, client: TestClient, compliance: dict[str, str]
) -> None:
    chat = start_conversation(client, "cus_005")
    say(client, chat, "my phone is 07700 900461")
    handoff_id = queue_handoff(app, chat["id"], "complaint")
    agent = login(client, "agent1")
    client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=agent)
    sent = client.post(
        f"/v1/agents/handoffs/{handoff_id}/messages",
        json={"text": "I will call you on 07700 900461 or 07700 900123"},
        headers=agent,
    )
    assert sent.status_code == 200 and sent.json()["text"].endswith("on <PHONE_1> or <PHONE_2>")
    note = client.post(
        f"/v1/agents/handoffs/{handoff_id}/notes", json={"text": "passport 502135326 checked"}, headers=agent
    )
    assert note.status_code == 201 and "502135326" not in note.text
    packet = client.get(f"/v1/agents/handoffs/{handoff_id}", headers=agent).text
    assert "900123" not in packet and "502135326" not in packet
    view = client.get(f"/v1/compliance/transcripts/{chat['id']}", headers=compliance).json()
    said = next(m for m in view["messages"] if m["sender"] == "agent")
    assert said["agent"] == "Priya (agent)"
    assert [s["placeholder"] for s in said["entities"] if s["entity_type"] == "PHONE"] == [
        "<PHONE_1>",
        "<PHONE_2>",
    ]
    revealed = client.post(
        f"/v1/compliance/transcripts/{chat['id']}/reveal",
        json={"placeholder": "<PHONE_2>", "reason": "callback check 17"},
        headers=compliance,
    )
    assert revealed.json()["value"] == "07700 900123"
