"""Handoff figures on the real stack: time from the trigger to the packet in the queue, and
relay latency customer -> agent and agent -> customer over the two WebSockets.

``python -m bench.handoff --out OUT.json [--handoffs N] [--messages M] [--api-url URL]``
``python -m bench.handoff --shift-only [--out OUT.json] [--seed N] [--per-hour R] ...``

Starts its own stack (action server, Rasa with the latest model, the API) on a fresh SQLite
database unless ``--api-url`` points at a running one with the demo colleagues. For each of
N conversations: the customer asks for a person; we time
- trigger -> queued: inside the service, from the moment the trigger fired to the handoff
  (with its packet) committed in the queue (``queued_at - triggered_at``);
- message -> agent notified: from the customer's POST to the queue update on the agent's
  socket (includes the bot's turn and the trigger check);
then an agent claims it and M messages go each way: customer socket -> agent socket and
agent socket -> customer socket; finally the agent hands back to the bot (resolve, which
includes Rasa's ``resume`` and the bot's next message).

Then a simulated shift (:mod:`bench.handoff_shift`) compares the policy's skill routing with
first-come-first-served, written beside OUT as ``handoff_shift.json``; ``--shift-only`` runs
just the shift, in memory and in seconds, without the stack.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from websockets.legacy.client import WebSocketClientProtocol, connect

from bench import handoff_shift
from bench.stats import latency_summary, print_table, write_json
from service.staff.settings import StaffSettings
from stack.customer_sessions import login_headers_at
from stack.processes import ROOT, fresh_stack

Received = tuple[float, dict[str, Any]]


class Listener:
    """Reads a WebSocket in a task; every event is kept with the moment it arrived."""

    def __init__(self, socket: WebSocketClientProtocol) -> None:
        self.socket = socket
        self.events: asyncio.Queue[Received] = asyncio.Queue()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, url: str) -> Listener:
        return cls(await connect(url, max_size=2**22))

    async def _read(self) -> None:
        async for raw in self.socket:
            self.events.put_nowait((time.perf_counter(), json.loads(raw)))

    async def send(self, event: dict[str, Any]) -> float:
        began = time.perf_counter()
        await self.socket.send(json.dumps(event))
        return began

    async def wait_for(self, match: Callable[[dict[str, Any]], bool], timeout_s: float = 60) -> float:
        async def first() -> float:
            while True:
                at, event = await self.events.get()
                if match(event):
                    return at

        return await asyncio.wait_for(first(), timeout_s)

    async def close(self) -> None:
        self._reader.cancel()
        await self.socket.close()


@contextmanager
def own_stack() -> Iterator[str]:
    with fresh_stack("bench-handoff", timeout_s=600) as stack:
        yield stack.config.api_url


def ms(seconds: float) -> float:
    return seconds * 1000


def is_message(text: str) -> Callable[[dict[str, Any]], bool]:
    return lambda e: e["type"] == "message" and e["message"]["text"] == text


def lists_handoff(conversation_id: str) -> Callable[[dict[str, Any]], bool]:
    """Matches a queue update that lists the conversation's handoff."""
    return lambda e: e["type"] == "queue" and any(
        h["conversation_id"] == conversation_id for h in e["handoffs"]
    )


async def run(api_url: str, handoffs: int, messages: int) -> dict[str, Any]:
    http = httpx.AsyncClient(base_url=api_url, timeout=120)
    password = StaffSettings().demo_password()
    login = (await http.post("/v1/staff/login", json={"username": "agent1", "password": password})).json()
    agent_headers = {"Authorization": f"Bearer {login['token']}"}
    ws_base = api_url.replace("http", "ws", 1)
    agent = await Listener.open(f"{ws_base}/v1/agents/ws?token={login['token']}")
    times: dict[str, list[float]] = {
        "trigger_to_queue": [],
        "message_to_agent_notified": [],
        "customer_to_agent": [],
        "agent_to_customer": [],
        "resolve_to_bot_reply": [],
    }
    try:
        for n in range(handoffs):
            started = (await http.post("/v1/conversations", json={"channel": "web"},
                                       headers=login_headers_at(api_url, "cus_001"))).json()
            conversation_id, token = started["id"], started["token"]
            customer = await Listener.open(f"{ws_base}/v1/conversations/{conversation_id}/ws?token={token}")
            began = time.perf_counter()
            turn = await http.post(
                f"/v1/conversations/{conversation_id}/messages",
                headers={"Authorization": f"Bearer {token}"},
                json={"text": "I'd like to speak to a real person please"},
            )
            turn.raise_for_status()
            notified = await agent.wait_for(lists_handoff(conversation_id))
            times["message_to_agent_notified"].append(ms(notified - began))
            queue = (await http.get("/v1/agents/queue", headers=agent_headers)).json()
            summary = next(h for h in queue if h["conversation_id"] == conversation_id)
            queued = datetime.fromisoformat(summary["queued_at"])
            triggered = datetime.fromisoformat(summary["triggered_at"])
            times["trigger_to_queue"].append(ms((queued - triggered).total_seconds()))
            handoff_id = summary["id"]
            (
                await http.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=agent_headers)
            ).raise_for_status()
            for m in range(messages):
                text = f"customer message {n}.{m}"
                sent = await customer.send({"type": "message", "text": text})
                times["customer_to_agent"].append(ms(await agent.wait_for(is_message(text)) - sent))
                reply = f"agent reply {n}.{m}"
                sent = await agent.send({"type": "message", "handoff_id": handoff_id, "text": reply})
                times["agent_to_customer"].append(ms(await customer.wait_for(is_message(reply)) - sent))
            began = time.perf_counter()
            resolved = await http.post(f"/v1/agents/handoffs/{handoff_id}/resolve", headers=agent_headers)
            resolved.raise_for_status()
            bot_spoke = await customer.wait_for(
                lambda e: (
                    e["type"] == "message"
                    and e["message"]["sender"] == "bot"
                    and not (e["message"].get("custom") or {}).get("system")
                )
            )
            times["resolve_to_bot_reply"].append(ms(bot_spoke - began))
            await customer.close()
    finally:
        await agent.close()
        await http.aclose()
    return {name: {**latency_summary(values), "n": len(values)} for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--handoffs", type=int, default=20, help="conversations handed off")
    parser.add_argument("--messages", type=int, default=10, help="messages each way per handoff")
    parser.add_argument("--api-url", help="a running stack's API (default: start one)")
    parser.add_argument("--out", type=Path, help="the JSON file (default bench/out/handoff.json, "
                        "or handoff_shift.json with --shift-only)")
    parser.add_argument("--shift-only", action="store_true",
                        help="only the simulated shift: skill routing against FCFS, no stack")
    handoff_shift.add_arguments(parser)
    args = parser.parse_args()
    shift = handoff_shift.scenario_from(args)
    if args.shift_only:
        run_shift(shift, args.out or handoff_shift.OUT)
        return
    out = args.out or ROOT / "bench" / "out" / "handoff.json"
    if args.api_url:
        results = asyncio.run(run(args.api_url, args.handoffs, args.messages))
    else:
        with own_stack() as api_url:
            results = asyncio.run(run(api_url, args.handoffs, args.messages))
    print_table(
        [(name, r["n"], r["p50_ms"], r["p95_ms"], r["mean_ms"]) for name, r in results.items()],
        header=["measure", "n", "p50 ms", "p95 ms", "mean ms"],
    )
    write_json(
        out,
        {
            "benchmark": "handoff",
            "handoffs": args.handoffs,
            "messages_each_way": args.messages,
            "results": results,
        },
    )
    run_shift(shift, out.with_name("handoff_shift.json"))


def run_shift(scenario: handoff_shift.ShiftScenario, out: Path) -> None:
    """The simulated shift's table, and its JSON at ``out``."""
    report = handoff_shift.run_shift(scenario)
    handoff_shift.print_shift(report)
    write_json(out, report)


if __name__ == "__main__":
    main()
