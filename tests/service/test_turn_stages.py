"""Turn stage timings: a turn through the API adds one observation to each stage's histogram
on /metrics, and the bench reads them back as per-stage means."""

from __future__ import annotations

from typing import Any

import pytest

from bench.stages import UNACCOUNTED, stage_breakdown
from service.rasa_client import BotReply, BotTurn
from service.turn_stages import STAGES
from tests.service.test_metrics import sample
from tests.support.app import running_app, start_conversation


async def answer(conversation_id: str, text: str, metadata: dict[str, Any]) -> BotTurn:
    """The bot, answering at once (Rasa itself is not started for this test)."""
    return BotTurn([BotReply(text="Your balance is on its way.")])


def test_a_turn_observes_every_stage(stack_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with running_app(stack_database, monkeypatch) as client:
        monkeypatch.setattr(client.app.state.rasa, "send", answer)  # type: ignore[attr-defined]
        conversation_id, auth = start_conversation(client)
        before = client.get("/metrics").text
        turn = client.post(f"/v1/conversations/{conversation_id}/messages",
                           json={"text": "what is my balance?"}, headers=auth)
        after = client.get("/metrics").text
    assert turn.status_code == 200, turn.text
    assert turn.json()["replies"][0]["text"] == "Your balance is on its way."
    for stage in STAGES:
        count = "turn_stage_seconds_count"
        grew = sample(after, count, stage=stage) - sample(before, count, stage=stage)
        # The store is read and written several times a turn; the customer's message and the
        # bot's replies are fanned out apiece.
        assert grew >= 1 if stage in ("transcript", "fanout") else grew == 1, stage
    breakdown = stage_breakdown(before, after)
    assert set(breakdown) == {*STAGES, UNACCOUNTED}
    assert breakdown["total"]["mean_ms"] >= breakdown["rasa"]["mean_ms"] > 0
    assert breakdown["total"]["share"] == 1.0


def test_the_breakdown_is_empty_without_turns() -> None:
    assert stage_breakdown("", "") == {}
