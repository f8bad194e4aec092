"""The escalation check reads the conversation's recent state from the bot's answer (the turn
channel's ``tracker``), not from a second call to Rasa each turn; only a handoff that opens
reads the whole tracker, for the colleague's packet.

Rasa's HTTP API is stood in for by an ``httpx.MockTransport`` that counts tracker reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.handoff.bot_control import BotControl
from tests.service.handoff.conftest import start_conversation
from tests.service.handoff.trackers import action, bot, tracker, user


@dataclass
class CountingRasa:
    """Answers the tracker with the whole conversation and counts how often it is read."""

    whole: dict[str, Any]
    reads: list[str] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/tracker"):
            self.reads.append(request.url.params["include_events"])
            return httpx.Response(200, json=self.whole)
        return httpx.Response(200, json={})


EARLIER = [user("what's my balance", "check_balance"), action("action_check_balance"), bot("£1,200")]
LOST_CARD = [user("I lost my card", "lost_card"), action("utter_lost_card"), bot("Let's freeze it.")]


@pytest.fixture
def rasa(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> CountingRasa:
    fake = CountingRasa(whole=tracker(*EARLIER, *LOST_CARD))
    http = httpx.AsyncClient(transport=httpx.MockTransport(fake.handle))
    monkeypatch.setattr(app.state.handoff, "_bot", BotControl("http://rasa.test", http=http))
    return fake


def check(app: FastAPI, client: TestClient, recent: dict[str, Any] | None) -> str:
    """Run the escalation check after a bot turn; the conversation's id."""
    conversation_id = start_conversation(client)["id"]
    conversation = app.state.transcripts.get(conversation_id)
    assert client.portal is not None
    client.portal.call(app.state.handoff.after_bot_turn, conversation, 0, recent)
    return conversation_id


def test_a_quiet_turn_reads_nothing_more_from_rasa(
    app: FastAPI, client: TestClient, rasa: CountingRasa, empty_queue: None
) -> None:
    conversation_id = check(app, client, tracker(*EARLIER))
    assert rasa.reads == []
    assert app.state.handoff.store.open_for(conversation_id) is None


def test_a_trigger_in_the_recent_state_opens_the_handoff_with_the_whole_conversation(
    app: FastAPI, client: TestClient, rasa: CountingRasa, empty_queue: None
) -> None:
    conversation_id = check(app, client, tracker(*LOST_CARD))
    summary = app.state.handoff.store.open_for(conversation_id)
    assert summary is not None and summary.reason == "lost_or_stolen_card"
    assert rasa.reads == ["AFTER_RESTART"]  # once, for the packet
    _, core = app.state.handoff.store.get(summary.id)
    assert [point.intent for point in core.intents] == ["check_balance", "lost_card"]


def test_without_the_recent_state_the_tracker_is_read_from_rasa(
    app: FastAPI, client: TestClient, rasa: CountingRasa, empty_queue: None
) -> None:
    conversation_id = check(app, client, None)
    assert rasa.reads == ["AFTER_RESTART"]
    summary = app.state.handoff.store.open_for(conversation_id)
    assert summary is not None and summary.reason == "lost_or_stolen_card"
