"""bench-turns' long conversation: its early and late windows, timed and broken into Rasa's
stages from scrapes taken at their edges."""

from __future__ import annotations

import asyncio

import httpx
from prometheus_client import CollectorRegistry, Histogram, generate_latest

from bench.turns import long_conversation


def test_late_turns_that_cost_more_show_in_the_slowdown_and_in_their_stage() -> None:
    registry = CollectorRegistry()
    service = Histogram("turn_stage_seconds", "", ["stage"], registry=registry)
    rasa = Histogram("rasa_stage_seconds", "", ["stage"], registry=registry)
    turns_done: list[int] = []
    scraped_at: list[int] = []

    async def start(_: httpx.AsyncClient, n: int) -> str:
        return "c"

    async def turn(_: httpx.AsyncClient, conversation: str, text: str) -> None:
        n = len(turns_done)
        policy_s = 0.001 if n < 20 else 0.01
        await asyncio.sleep(policy_s)
        service.labels("total").observe(policy_s + 0.001)
        service.labels("rasa").observe(policy_s)
        rasa.labels("TEDPolicy").observe(policy_s)
        turns_done.append(n)

    def scrape() -> str:
        scraped_at.append(len(turns_done))
        return generate_latest(registry).decode()

    result = asyncio.run(long_conversation(start, turn, ["hi", "balance"], 40, scrape))

    assert scraped_at == [0, 20, 40]
    assert result["turns"] == 40 and result["errors"] == 0
    assert result["slowdown"] > 3
    first, last = result["first_rasa_stages"]["TEDPolicy"], result["last_rasa_stages"]["TEDPolicy"]
    assert first["count"] == last["count"] == 20
    assert last["per_turn_ms"] > 3 * first["per_turn_ms"]
