"""Exports: JSON Lines and a readable HTML page, redacted, escaped and audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.compliance.export import to_html
from service.compliance.highlight import entity_spans
from service.compliance.schemas import ReviewMessage, ReviewTranscript
from tests.service.compliance.conftest import say, start_conversation

CARD = "4539 1488 0343 6467"
PHONE = "07700 900461"


@pytest.fixture
def chat(client: TestClient) -> dict[str, Any]:
    chat = start_conversation(client, "cus_006")
    say(client, chat, f"my card {CARD} was stolen, call me on {PHONE}")
    say(client, chat, "<script>alert('x')</script> & more")
    return chat


def audited_exports(client: TestClient, headers: dict[str, str], conversation_id: str) -> int:
    entries = client.get("/v1/compliance/audit", params={"target": conversation_id}, headers=headers).json()
    return sum(1 for e in entries if e["action"] == "export_transcript")


def test_jsonl_export_of_one_transcript(
    client: TestClient, compliance: dict[str, str], chat: dict[str, Any]
) -> None:
    response = client.get(
        f"/v1/compliance/transcripts/{chat['id']}/export", params={"format": "jsonl"}, headers=compliance
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert response.headers["content-disposition"].startswith('attachment; filename="transcripts-')
    lines = response.text.splitlines()
    assert len(lines) == 1
    document = json.loads(lines[0])
    assert document["id"] == chat["id"] and document["customer_id"] == "cus_006"
    placeholders = [s["placeholder"] for s in document["messages"][0]["entities"]]
    assert {"<CARD_1>", "<PHONE_1>"} <= set(placeholders)  # (the name tagger may mark more)
    assert "my card <CARD_1>" in document["messages"][0]["text"]
    assert CARD not in response.text and PHONE not in response.text
    assert audited_exports(client, compliance, chat["id"]) == 1


def test_html_export_is_readable_escaped_and_highlighted(
    client: TestClient, compliance: dict[str, str], chat: dict[str, Any]
) -> None:
    response = client.get(
        f"/v1/compliance/transcripts/{chat['id']}/export", params={"format": "html"}, headers=compliance
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert page.startswith("<!doctype html>") and "Exported by compliance1" in page
    assert '<mark class="entity" data-entity-type="CARD">&lt;CARD_1&gt;</mark>' in page
    assert '<mark class="entity" data-entity-type="PHONE">&lt;PHONE_1&gt;</mark>' in page
    assert CARD not in page and PHONE not in page


def test_export_of_a_search_holds_every_match_and_audits_each(
    app: FastAPI, client: TestClient, compliance: dict[str, str], chat: dict[str, Any]
) -> None:
    other = start_conversation(client, "cus_006")
    say(client, other, "hello")
    matching = client.get(
        "/v1/compliance/transcripts", params={"customer_id": "cus_006", "limit": 500}, headers=compliance
    ).json()
    response = client.get(
        "/v1/compliance/export", params={"format": "jsonl", "customer_id": "cus_006"}, headers=compliance
    )
    assert response.status_code == 200
    exported = [json.loads(line)["id"] for line in response.text.splitlines()]
    assert (
        sorted(exported) == sorted(t["id"] for t in matching["results"])
        and len(exported) == matching["total"]
    )
    assert {chat["id"], other["id"]} <= set(exported)
    assert audited_exports(client, compliance, other["id"]) == 1

    app.state.compliance.settings.export_max_conversations = 1
    too_many = client.get(
        "/v1/compliance/export", params={"format": "html", "customer_id": "cus_006"}, headers=compliance
    )
    assert too_many.status_code == 413 and too_many.json()["error"]["code"] == "export_too_large"
    none = client.get(
        "/v1/compliance/export", params={"format": "html", "customer_id": "cus_nobody"}, headers=compliance
    )
    assert none.status_code == 200 and "No transcripts matched." in none.text


def test_unknown_format_is_refused(
    client: TestClient, compliance: dict[str, str], chat: dict[str, Any]
) -> None:
    response = client.get(
        f"/v1/compliance/transcripts/{chat['id']}/export", params={"format": "pdf"}, headers=compliance
    )
    assert response.status_code == 422


def test_html_export_escapes_what_was_typed() -> None:
    """Typed markup is shown, never run; placeholders are the only highlighted parts."""
    now = datetime.now(UTC)
    typed = "<script>alert('x')</script> & <CARD_1>"
    transcript = ReviewTranscript(
        id="conv_1",
        customer_id="cus_001",
        channel="web",
        created_at=now,
        escalated=False,
        handoffs=[],
        intents=["greet"],
        entity_types=["CARD"],
        placeholders=[],
        messages=[
            ReviewMessage(
                seq=1,
                sender="user",
                text=typed,
                status="answered",
                created_at=now,
                entities=entity_spans(typed, {"<CARD_1>"}),
            )
        ],
    )
    page = to_html([transcript], "compliance1 <b>", now)
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; " in page
    assert (
        page.count("<mark ") == 1
        and '<mark class="entity" data-entity-type="CARD">&lt;CARD_1&gt;</mark>' in page
    )
