"""Turn latency and throughput of our stack against a stock ``rasa init`` bot, in one run.

``python -m bench.turns --out OUT.json [--scripts FILE] [--conversations N] [--concurrency C]
[--long-turns L]``

Ours: customer -> our API -> Rasa -> action server -> profile store (SQLite). Stock: the
``rasa init`` moodbot over Rasa's REST channel. Both get the same number of turns,
sequentially and with C concurrent conversations; the stacks run one after the other. For
ours, each mode also gets the service's per-stage breakdown (``stages``), read from the API's
``/metrics`` before and after it. Then each stack holds one conversation of L turns (its first
script over and over): ``long.slowdown`` is the p50 of its last 50 turns over its first 50's.
Last, ``ours.resident_mb``: our stack's resident memory after all of that (some 1,100 turns
with the defaults), its peak, and per process.
The per-token rate limit is lifted for ours, so that the long conversation is not throttled.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import shutil
import subprocess
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import yaml

from bench.memory import resident_mb
from bench.stages import rasa_breakdown, stage_breakdown
from bench.stats import latency_summary, print_table, write_json
from stack.customer_sessions import login_headers_at
from stack.processes import RASA_BIN, ROOT, Stack, StackConfig, free_port, prepare_database

Turn = Callable[[httpx.AsyncClient, str, str], Awaitable[None]]
Scrape = Callable[[], str]
DEFAULT_SCRIPTS = Path(__file__).parent / "data" / "turn_scripts.yml"
LONG_WINDOW = 50  # turns compared at each end of the long conversation


async def timed_turn(turn: Turn, http: httpx.AsyncClient, conversation: str, text: str,
                     latencies: list[float]) -> bool:
    """One turn, its milliseconds added to ``latencies``; False if it failed."""
    began = time.perf_counter()
    try:
        await turn(http, conversation, text)
    except (httpx.HTTPError, AssertionError):
        return False
    latencies.append((time.perf_counter() - began) * 1000)
    return True


async def run_conversations(
    start: Callable[[httpx.AsyncClient, int], Awaitable[str]],
    turn: Turn,
    scripts: list[list[str]],
    conversations: int,
    concurrency: int,
) -> dict[str, Any]:
    """Run ``conversations`` scripted conversations, ``concurrency`` at a time."""
    latencies: list[float] = []
    errors = 0
    gate = asyncio.Semaphore(concurrency)
    chosen = list(itertools.islice(itertools.cycle(scripts), conversations))

    async def one(http: httpx.AsyncClient, n: int, script: list[str]) -> None:
        nonlocal errors
        async with gate:
            conversation = await start(http, n)
            for text in script:
                errors += not await timed_turn(turn, http, conversation, text, latencies)

    limits = httpx.Limits(max_connections=concurrency + 5)
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        began = time.perf_counter()
        await asyncio.gather(*(one(http, n, s) for n, s in enumerate(chosen)))
        wall = time.perf_counter() - began
    return {**latency_summary(latencies), "turns": len(latencies), "errors": errors,
            "throughput_tps": round(len(latencies) / wall, 2), "wall_s": round(wall, 2)}


async def long_conversation(start: Callable[[httpx.AsyncClient, int], Awaitable[str]], turn: Turn,
                            script: list[str], turns: int, scrape: Scrape | None = None) -> dict[str, Any]:
    """One conversation of ``turns`` turns (``script`` over and over), one at a time: whether
    a turn costs more late in a long conversation than early, and with ``scrape`` Rasa's
    stages in the first and the last window of turns."""
    latencies: list[float] = []
    errors = 0
    window = max(1, min(LONG_WINDOW, turns // 2))
    scrapes: dict[int, str] = {}
    async with httpx.AsyncClient(timeout=120) as http:
        conversation = await start(http, 0)
        for n, text in enumerate(itertools.islice(itertools.cycle(script), turns)):
            if scrape and n in (0, window, turns - window):
                scrapes[n] = await asyncio.to_thread(scrape)
            errors += not await timed_turn(turn, http, conversation, text, latencies)
        if scrape:
            scrapes[turns] = await asyncio.to_thread(scrape)
    first = latency_summary(latencies[:window])["p50_ms"]
    last = latency_summary(latencies[-window:])["p50_ms"]
    result: dict[str, Any] = {"turns": turns, "errors": errors, "first_p50_ms": first, "last_p50_ms": last,
              "slowdown": round(last / first, 2) if first else 0.0}
    if scrape:
        result["first_rasa_stages"] = rasa_breakdown(scrapes[0], scrapes[window])
        result["last_rasa_stages"] = rasa_breakdown(scrapes[turns - window], scrapes[turns])
    return result


def ours(scripts: list[list[str]], conversations: int, concurrency: int, long_turns: int) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-turns-"))
    database_url = f"sqlite:///{workdir / 'bank.db'}"
    print("ours: preparing the database and starting the stack", flush=True)
    prepare_database(database_url)
    stack = Stack(StackConfig(database_url=database_url, log_dir=workdir,
                              extra_env={"SERVICE_RATE_LIMIT_PER_TOKEN": "100000/minute"}))
    stack.start()
    api = stack.config.api_url
    customers = ["cus_001", "cus_002", "cus_003"]

    async def start(http: httpx.AsyncClient, n: int) -> str:
        headers = login_headers_at(api, customers[n % len(customers)])
        body = (await http.post(f"{api}/v1/conversations", json={"channel": "web"},
                                headers=headers)).json()
        return f"{body['id']}|{body['token']}"

    async def turn(http: httpx.AsyncClient, conversation: str, text: str) -> None:
        conversation_id, token = conversation.split("|")
        response = await http.post(f"{api}/v1/conversations/{conversation_id}/messages",
                                   json={"text": text},
                                   headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200 and response.json()["replies"], response.text

    try:
        result = measure("ours", start, turn, scripts, conversations, concurrency, long_turns,
                         scrape=lambda: httpx.get(f"{api}/metrics", timeout=30).text)
        pids = {name: [process.popen.pid] for name, process in stack.processes.items()}
        result["resident_mb"] = {
            "after": round(resident_mb(itertools.chain(*pids.values())), 1),
            "peak": round(resident_mb(itertools.chain(*pids.values()), "VmHWM"), 1),
            "after_by_process": {name: round(resident_mb(p), 1) for name, p in pids.items()},
        }
        return result
    finally:
        stack.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def stock_project() -> Path:
    """A stock ``rasa init`` project with its trained moodbot (made once, kept in var/)."""
    project = ROOT / "var" / "bench" / "stock-rasa-init"
    if not list((project / "models").glob("*.tar.gz")):
        print("stock: `rasa init` (trains the moodbot, about 2 minutes)", flush=True)
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir(parents=True)
        subprocess.run([str(RASA_BIN), "init", "--no-prompt", "--init-dir", str(project)],
                       check=True, cwd=project, stdout=subprocess.DEVNULL)
    return project


@contextmanager
def stock_server() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """One stock Rasa process (REST channel, HTTP API) serving the moodbot."""
    project = stock_project()
    port = free_port()
    log = (project / "rasa.log").open("wb")
    server = subprocess.Popen(  # noqa: S603
        [str(RASA_BIN), "run", "--enable-api", "--interface", "127.0.0.1", "--port", str(port),
         "--model", "models"], cwd=project, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/status")
        yield url, server
    finally:
        server.terminate()
        server.wait(timeout=30)


def stock(scripts: list[list[str]], conversations: int, concurrency: int, long_turns: int) -> dict[str, Any]:
    with stock_server() as (url, _):

        async def start(_: httpx.AsyncClient, n: int) -> str:
            return f"stock-{n}-{time.monotonic_ns()}"

        async def turn(http: httpx.AsyncClient, conversation: str, text: str) -> None:
            response = await http.post(f"{url}/webhooks/rest/webhook",
                                       json={"sender": conversation, "message": text})
            assert response.status_code == 200 and response.json(), response.text

        return measure("stock", start, turn, scripts, conversations, concurrency, long_turns)


def measure(name: str, start: Any, turn: Turn, scripts: list[list[str]], conversations: int,
            concurrency: int, long_turns: int = 0, scrape: Scrape | None = None) -> dict[str, Any]:
    """Both modes after a warm-up, with ``scrape`` (the API's /metrics) each mode's stages,
    then the long conversation (none when ``long_turns`` is 0)."""
    asyncio.run(run_conversations(start, turn, scripts, len(scripts), 1))  # warm-up
    results: dict[str, Any] = {}
    for mode, at_once in (("sequential", 1), ("concurrent", concurrency)):
        print(f"{name}: {conversations} conversations, {at_once} at a time", flush=True)
        before = scrape() if scrape else ""
        results[mode] = asyncio.run(run_conversations(start, turn, scripts, conversations, at_once))
        if scrape:
            after = scrape()
            results[mode]["stages"] = stage_breakdown(before, after)
            results[mode]["rasa_stages"] = rasa_breakdown(before, after)
    if long_turns:
        print(f"{name}: one conversation of {long_turns} turns", flush=True)
        results["long"] = asyncio.run(long_conversation(start, turn, scripts[0], long_turns, scrape))
    return results


def print_stages(result: dict[str, Any], key: str = "stages", share_of: str = "the total") -> None:
    """Per-stage time per turn and share (of ``share_of``), in both modes."""
    seq, conc = result["sequential"].get(key, {}), result["concurrent"].get(key, {})
    rows = [[stage, seq[stage]["per_turn_ms"], seq[stage]["share"],
             conc.get(stage, {}).get("per_turn_ms", 0.0), conc.get(stage, {}).get("share", 0.0)]
            for stage in sorted(seq, key=lambda s: -seq[s]["per_turn_ms"])]
    if rows:
        print(f"\n{key}: ms per turn, share of {share_of}")
        print_table(rows, ["stage", "seq ms/turn", "seq share", "conc ms/turn", "conc share"])


def print_long_stages(long: dict[str, Any]) -> None:
    """Rasa's stages per turn early and late in the long conversation."""
    first, last = long.get("first_rasa_stages", {}), long.get("last_rasa_stages", {})
    rows = [[stage, first.get(stage, {}).get("per_turn_ms", 0.0), last[stage]["per_turn_ms"]]
            for stage in sorted(last, key=lambda s: -last[s]["per_turn_ms"])]
    if rows:
        print(f"\nrasa_stages in the long conversation ({long['turns']} turns): ms per turn")
        print_table(rows, ["stage", "first turns", "last turns"])


def wait_for(url: str, timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scripts", type=Path, default=DEFAULT_SCRIPTS,
                        help="YAML with `ours` and `stock` lists of scripted conversations")
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--long-turns", type=int, default=500,
                        help="turns of the one long conversation per stack (0: none)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "turns.json")
    args = parser.parse_args()
    scripts = yaml.safe_load(args.scripts.read_text())

    result_ours = ours(scripts["ours"], args.conversations, args.concurrency, args.long_turns)
    result_stock = stock(scripts["stock"], args.conversations, args.concurrency, args.long_turns)
    rows = []
    for mode in ("sequential", "concurrent"):
        o, s = result_ours[mode], result_stock[mode]
        for key in ("p50_ms", "p95_ms", "throughput_tps"):
            rows.append([mode, key, o[key], s[key], round(o[key] / s[key], 2) if s[key] else 0.0])
    long_rows = []
    for key in ("first_p50_ms", "last_p50_ms", "slowdown", "errors") if args.long_turns else ():
        o, s = result_ours["long"][key], result_stock["long"][key]
        long_rows.append([f"long ({args.long_turns} turns)", key, o, s, round(o / s, 2) if s else 0.0])
    print()
    print_table(rows + long_rows, ["mode", "metric", "ours", "stock", "ours/stock"])
    print_stages(result_ours)
    print_stages(result_ours, "rasa_stages", "the rasa stage")
    print_long_stages(result_ours.get("long", {}))
    memory = result_ours["resident_mb"]
    print(f"\nours resident after the run: {memory['after']} MB (peak {memory['peak']} MB); "
          + ", ".join(f"{name} {mb}" for name, mb in memory["after_by_process"].items()))
    write_json(args.out, {
        "ours": result_ours, "stock": result_stock,
        "ratios": {f"{r[0]}_{r[1]}": r[4] for r in rows},
        "conversations": args.conversations, "concurrency": args.concurrency,
        "turns_per_conversation": len(scripts["ours"][0]),
    })


if __name__ == "__main__":
    main()
