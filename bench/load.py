"""Sustained load: scripted conversations with think time through the prod profile, and the
same load against one stock Rasa process, in one run.

``python -m bench.load --conversations 200 --minutes 5 --out OUT.json [--scripts FILE]``

Each virtual customer runs a scripted conversation (``--scripts``: the same YAML as
``bench.turns``), pausing a seeded 3 to 8 seconds between messages as a person would, and
starts a new conversation when one ends, until the time is up. Afterwards every
conversation is audited: messages acknowledged but never answered are *lost*, messages
stored twice are *duplicated* (our transcript store; Rasa's tracker for stock). A ramp
then steps the number of customers up to find the highest throughput whose p95 stays
under 500 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from bench.memory import peak_rss_mb
from bench.stats import percentile, print_table, write_json_with_details
from bench.turns import DEFAULT_SCRIPTS, stock_server
from stack.customer_sessions import login_headers_at
from stack.processes import (
    ROOT,
    ProdServices,
    Stack,
    StackConfig,
    delete_queue,
    drop_postgres_database,
    prepare_database,
)

P95_GOAL_MS = 500.0


@dataclass
class Run:
    """What one load run saw."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    sent: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)  # (text, acknowledged)


@dataclass(frozen=True)
class Target:
    """How to talk to one system under load."""

    name: str
    start: Callable[[httpx.AsyncClient], Awaitable[str]]
    turn: Callable[[httpx.AsyncClient, str, str], Awaitable[None]]
    audit: Callable[[httpx.AsyncClient, dict[str, list[tuple[str, bool]]]], Awaitable[tuple[int, int]]]
    pids: Callable[[], Iterable[int]]


async def drive(target: Target, scripts: list[list[str]], customers: int, seconds: float,
                seed: int, progress: bool = True) -> dict[str, Any]:
    """Run ``customers`` virtual customers for ``seconds``; return the run's figures."""
    run = Run()
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=customers + 10)

    async def customer(http: httpx.AsyncClient, n: int) -> None:
        rng = random.Random(seed * 100_003 + n)
        await asyncio.sleep(rng.uniform(0, min(10.0, seconds / 10)))  # staggered arrivals
        while time.monotonic() < deadline:
            try:
                conversation = await target.start(http)
            except (httpx.HTTPError, AssertionError):
                run.errors += 1
                await asyncio.sleep(1)
                continue
            run.sent[conversation] = []
            for text in rng.choice(scripts):
                if time.monotonic() >= deadline:
                    return
                began = time.perf_counter()
                try:
                    await target.turn(http, conversation, text)
                    run.latencies.append((time.perf_counter() - began) * 1000)
                    run.sent[conversation].append((text, True))
                except (httpx.HTTPError, AssertionError):
                    run.errors += 1
                    run.sent[conversation].append((text, False))
                await asyncio.sleep(rng.uniform(3.0, 8.0))

    async def report() -> None:
        began = time.monotonic()
        while time.monotonic() < deadline:
            await asyncio.sleep(15)
            print(f"  {target.name}: {time.monotonic() - began:4.0f} s, {len(run.latencies)} turns, "
                  f"{run.errors} errors, p95 so far {percentile(run.latencies, 95):.0f} ms", flush=True)

    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        reporter = asyncio.create_task(report()) if progress else None
        began = time.perf_counter()
        await asyncio.gather(*(customer(http, n) for n in range(customers)))
        wall = time.perf_counter() - began
        if reporter:
            reporter.cancel()
        lost, duplicated = await target.audit(http, run.sent)
    return {
        "turns": len(run.latencies), "errors": run.errors, "lost": lost, "duplicated": duplicated,
        "p50_ms": round(percentile(run.latencies, 50), 1),
        "p95_ms": round(percentile(run.latencies, 95), 1),
        "p99_ms": round(percentile(run.latencies, 99), 1),
        "throughput_tps": round(len(run.latencies) / wall, 2),
        "max_rss_mb": round(peak_rss_mb(target.pids()), 1),
    }


async def ramp(target: Target, scripts: list[list[str]], steps: list[int], seconds: float,
               seed: int) -> dict[str, Any]:
    """Step the number of customers up; the highest throughput whose p95 met the goal."""
    results = []
    for customers in steps:
        step = await drive(target, scripts, customers, seconds, seed, progress=False)
        results.append({"customers": customers, "throughput_tps": step["throughput_tps"],
                        "p95_ms": step["p95_ms"], "errors": step["errors"]})
        print(f"  {target.name} ramp: {customers} customers -> {step['throughput_tps']} turns/s, "
              f"p95 {step['p95_ms']} ms", flush=True)
        if step["p95_ms"] > P95_GOAL_MS:
            break
    within = [r["throughput_tps"] for r in results if r["p95_ms"] <= P95_GOAL_MS and not r["errors"]]
    return {"steps": results, "max_tps_within_p95_goal": max(within, default=0.0)}


def count_lost(sent: list[tuple[str, bool]], answered: list[str]) -> int:
    """Acknowledged messages that are not among the answered ones (counted with repeats)."""
    left = list(answered)
    lost = 0
    for text, acknowledged in sent:
        if text in left:
            left.remove(text)
        elif acknowledged:
            lost += 1
    return lost


def ours_target(stack: Stack) -> Target:
    api = stack.config.api_url
    customers = ["cus_001", "cus_002", "cus_003", "cus_004", "cus_005", "cus_006"]
    tokens: dict[str, str] = {}

    async def start(http: httpx.AsyncClient) -> str:
        response = await http.post(f"{api}/v1/conversations", json={"channel": "web"},
                                   headers=login_headers_at(api, random.choice(customers)))
        assert response.status_code == 201, response.text
        body = response.json()
        tokens[body["id"]] = body["token"]
        return str(body["id"])

    async def turn(http: httpx.AsyncClient, conversation: str, text: str) -> None:
        response = await http.post(
            f"{api}/v1/conversations/{conversation}/messages",
            json={"text": text, "client_message_id": uuid.uuid4().hex},
            headers={"Authorization": f"Bearer {tokens[conversation]}"})
        assert response.status_code == 200 and response.json()["replies"], response.status_code

    async def audit(http: httpx.AsyncClient, sent: dict[str, list[tuple[str, bool]]]) -> tuple[int, int]:
        lost = duplicated = 0
        for conversation, texts in sent.items():
            response = await http.get(f"{api}/v1/conversations/{conversation}",
                                      headers={"Authorization": f"Bearer {tokens[conversation]}"})
            users = [m for m in response.json()["messages"] if m["sender"] == "user"]
            # A message relayed to a colleague after a handoff is delivered too.
            delivered = [m["text"] for m in users if m["status"] in ("answered", "relayed")]
            lost += count_lost(texts, delivered)
            duplicated += max(0, len(users) - len(texts))
        return lost, duplicated

    return Target("ours", start, turn, audit, lambda: [p.popen.pid for p in stack.processes.values()])


def stock_target(url: str, pid: int) -> Target:
    async def start(_: httpx.AsyncClient) -> str:
        return f"stock-{uuid.uuid4().hex}"

    async def turn(http: httpx.AsyncClient, conversation: str, text: str) -> None:
        response = await http.post(f"{url}/webhooks/rest/webhook",
                                   json={"sender": conversation, "message": text})
        assert response.status_code == 200 and response.json(), response.status_code

    async def audit(http: httpx.AsyncClient, sent: dict[str, list[tuple[str, bool]]]) -> tuple[int, int]:
        lost = duplicated = 0
        for conversation, texts in sent.items():
            tracker = (await http.get(f"{url}/conversations/{conversation}/tracker")).json()
            users = [e.get("text") for e in tracker.get("events", []) if e.get("event") == "user"]
            lost += count_lost(texts, users)
            duplicated += max(0, len(users) - len(texts))
        return lost, duplicated

    return Target("stock", start, turn, audit, lambda: [pid])


def run_ours(args: argparse.Namespace, scripts: list[list[str]]) -> dict[str, Any]:
    run_id = uuid.uuid4().hex[:8]
    database_url = f"postgresql+psycopg2://postgres@127.0.0.1:5432/bench_load_{run_id}"
    print("ours: preparing Postgres and starting the prod profile", flush=True)
    prepare_database(database_url)
    config = StackConfig(
        database_url=database_url, profile="prod", log_dir=ROOT / "var" / "log" / f"bench-load-{run_id}",
        services=ProdServices(tracker_db=f"bench_load_trackers_{run_id}",
                              events_queue=f"bench_load_events_{run_id}"),
    )
    stack = Stack(config)
    try:
        stack.start(timeout_s=900)
        return asyncio.run(measure(ours_target(stack), args, scripts))
    finally:
        stack.stop()
        drop_postgres_database(database_url)
        drop_postgres_database(config.services.tracker_url)
        delete_queue(config.services.events_queue)


def run_stock(args: argparse.Namespace, scripts: list[list[str]]) -> dict[str, Any]:
    with stock_server() as (url, server):
        return asyncio.run(measure(stock_target(url, server.pid), args, scripts))


async def measure(target: Target, args: argparse.Namespace, scripts: list[list[str]]) -> dict[str, Any]:
    print(f"{target.name}: {args.conversations} customers for {args.minutes} min", flush=True)
    main = await drive(target, scripts, args.conversations, args.minutes * 60, args.seed)
    steps = [int(s) for s in args.ramp.split(",") if s]
    # The ramp stands beside the run's figures: "ours" and "stock" hold exactly the required keys.
    main["_ramp"] = await ramp(target, scripts, steps, args.ramp_seconds, args.seed + 1) if steps else {}
    return main


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scripts", type=Path, default=DEFAULT_SCRIPTS,
                        help="YAML with `ours` and `stock` lists of scripted conversations")
    parser.add_argument("--conversations", type=int, default=200, help="concurrent customers")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--ramp", default="1,5,10,25,50,100,200", help="customers per ramp step")
    parser.add_argument("--ramp-seconds", type=float, default=45.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "load.json")
    args = parser.parse_args()
    scripts = yaml.safe_load(args.scripts.read_text())
    signal.signal(signal.SIGTERM, _interrupt)  # stop the stacks we started on `kill` too

    ours = run_ours(args, scripts["ours"])
    stock = run_stock(args, scripts["stock"])
    ramps = {"ours": ours.pop("_ramp"), "stock": stock.pop("_ramp")}
    keys = ("turns", "errors", "lost", "duplicated", "p50_ms", "p95_ms", "p99_ms", "throughput_tps",
            "max_rss_mb")
    rows = [[k, ours[k], stock[k], round(ours[k] / stock[k], 2) if stock[k] else "-"] for k in keys]
    best = {name: ramp_.get("max_tps_within_p95_goal") for name, ramp_ in ramps.items()}
    rows.append(["max tps with p95 <= 500 ms", best["ours"], best["stock"], "-"])
    print()
    print_table(rows, ["metric", "ours (prod profile)", "stock rasa", "ours/stock"])
    write_json_with_details(args.out, {
        "ours": ours, "stock": stock, "conversations": args.conversations,
        "duration_s": int(args.minutes * 60),
    }, {
        "think_time_s": [3.0, 8.0], "cpu_cores": os.cpu_count(), "scripts": str(args.scripts),
        "ramp": ramps, "max_sustained_tps_p95_under_500ms": best,
    })


if __name__ == "__main__":
    main()
