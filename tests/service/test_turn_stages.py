"""Turn stage timings: a turn through the API adds one observation to each stage's histogram
on /metrics, Rasa's own stages as it reports them (well-formed ones only), and the bench reads
them back as per-stage means."""

from __future__ import annotations

from typing import Any

import pytest

from bench.stages import UNACCOUNTED, rasa_breakdown, stage_breakdown
from service.rasa_client import BotReply, BotTurn
from service.turn_stages import STAGES
from tests.service.test_metrics import sample
from tests.support.app import running_app, start_conversation


async def answer(conversation_id: str, text: str, metadata: dict[str, Any]) -> BotTurn:
    """The bot, answering at once (Rasa itself is not started for this test)."""
    return BotTurn([BotReply(text="Your balance is on its way.")], stages=RASA_STAGES)


RASA_STAGES = {"node.SentimentAnalyzer5": 0.004, "tracker_load": 0.001, "actions": 0.012}


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
    inside = rasa_breakdown(before, after)
    assert {stage: round(f["per_turn_ms"] / 1000, 6) for stage, f in inside.items()} == RASA_STAGES


@pytest.mark.parametrize("stages", [
    {"node.DIET 1": 0.1, "node.DIET": -1.0, "tracker_save": True, "actions": "0.1", "x" * 65: 0.1},
    {f"node.N{n}": 0.001 for n in range(41)},
    ["tracker_load", 0.1],
], ids=["malformed", "too-many", "not-a-mapping"])
def test_rasas_report_keeps_only_well_formed_stages(stages: Any) -> None:
    body = {"messages": [{"text": "hi"}], "tracker": None, "stages": stages}
    assert BotTurn.from_rasa(body).stages == {}
    assert BotTurn.from_rasa({**body, "stages": {"node.DIET": 0.1}}).stages == {"node.DIET": 0.1}


def test_the_breakdown_is_empty_without_turns() -> None:
    assert stage_breakdown("", "") == {}
