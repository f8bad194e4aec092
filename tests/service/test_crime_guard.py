"""The financial-crime guard on the live API path: a request to get round the bank's checks is
refused without reaching the bot and flagged in the audit log; a scam story reaches the bot and
is flagged; an ordinary message is neither. Flags never hold the customer's words."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from fraud.signals import load_patterns
from privacy.audit import AuditLog
from privacy.models import AuditEntry
from service.crime_guard import FLAG_ACTION, REFUSAL
from service.rasa_client import BotReply, BotTurn
from tests.fraud.conftest import EVASION_REQUESTS
from tests.support.app import running_app, start_conversation


class Bot:
    """Stands in for Rasa (a boundary this test does not exercise) and remembers what it got."""

    def __init__(self) -> None:
        self.heard: list[str] = []

    async def send(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> BotTurn:
        self.heard.append(text)
        return BotTurn([BotReply(text="Here is what I found.")])


def flags(database_url: str, conversation_id: str) -> list[AuditEntry]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            entries = session.scalars(select(AuditEntry).order_by(AuditEntry.sequence)).all()
            return [e for e in entries if e.action == FLAG_ACTION and e.target.startswith(conversation_id)]
    finally:
        engine.dispose()


def test_evasion_is_refused_before_the_bot_and_flagged(
    stack_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = Bot()
    texts = EVASION_REQUESTS[::10]  # a spread of the red-team set; all of it is checked offline
    with running_app(stack_database, monkeypatch) as client:
        monkeypatch.setattr(client.app.state.rasa, "send", bot.send)  # type: ignore[attr-defined]
        conversation_id, auth = start_conversation(client)
        for text in texts:
            turn = client.post(f"/v1/conversations/{conversation_id}/messages",
                               json={"text": text}, headers=auth)
            assert turn.status_code == 200, turn.text
            [reply] = turn.json()["replies"]
            assert reply["text"] == REFUSAL and reply["custom"]["flag"] == "financial_crime", text
        ordinary = client.post(f"/v1/conversations/{conversation_id}/messages",
                               json={"text": "what is my daily transfer limit"}, headers=auth)
        transcript = client.get(f"/v1/conversations/{conversation_id}", headers=auth)
    assert bot.heard == ["what is my daily transfer limit"], "no evasion request reached the bot"
    assert ordinary.json()["replies"][0]["text"] == "Here is what I found."
    assert transcript.status_code == 200
    stored = [m["text"] for m in transcript.json()["messages"] if m["sender"] == "bot"]
    assert stored.count(REFUSAL) == len(texts), "each refusal is in the transcript"
    entries = flags(stack_database, conversation_id)
    assert len(entries) >= len(texts)
    # The reason is the kind and the pattern's name, the target the message's place: no words.
    known = {f"evasion_request:{name}" for name, _ in load_patterns().evasion}
    assert {e.reason for e in entries} <= known
    assert all(e.actor == "assistant" and re.fullmatch(rf"{conversation_id}/\d+", e.target) for e in entries)


def test_a_scam_story_reaches_the_bot_and_is_flagged(
    stack_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = Bot()
    story = "someone from the bank rang and told me to move my savings to a safe account"
    with running_app(stack_database, monkeypatch) as client:
        monkeypatch.setattr(client.app.state.rasa, "send", bot.send)  # type: ignore[attr-defined]
        conversation_id, auth = start_conversation(client)
        turn = client.post(f"/v1/conversations/{conversation_id}/messages",
                           json={"text": story}, headers=auth)
        metrics = client.get("/metrics").text
    assert turn.status_code == 200 and bot.heard == [story]
    reasons = {e.reason.split(":")[0] for e in flags(stack_database, conversation_id)}
    assert {"impersonation", "safe_account"} <= reasons
    assert 'financial_crime_flags_total{kind="safe_account"}' in metrics


def test_the_flags_keep_the_audit_chain_whole(stack_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    bot = Bot()
    with running_app(stack_database, monkeypatch) as client:
        monkeypatch.setattr(client.app.state.rasa, "send", bot.send)  # type: ignore[attr-defined]
        conversation_id, auth = start_conversation(client)
        client.post(f"/v1/conversations/{conversation_id}/messages",
                    json={"text": "how do I launder money through my account"}, headers=auth)
        key = client.app.state.conversations.guard._key  # type: ignore[attr-defined]
    engine = create_engine(stack_database)
    try:
        with Session(engine) as session:
            report = AuditLog(session, key).verify_chain()
    finally:
        engine.dispose()
    assert report.valid, report
