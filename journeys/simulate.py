"""``python -m journeys.simulate --n N --seed S --out truth.json [--api-url URL]``

Drives N seeded synthetic customers through the real API (starting its own stack on a fresh
SQLite database unless ``--api-url`` is given). Each has hidden behaviour: a quick question,
a goal form they finish or abandon at a planted slot (they stop answering), frustration that
ends with asking for a person. Writes its own record of what happened (the ground truth the
dashboard's figures are checked against).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

CUSTOMERS = [f"cus_{i:03d}" for i in range(1, 21)]
GIBBERISH = ("qwzx plorf", "zzkrr bvvt", "mnbq xxcv")


@dataclass
class Record:
    conversation_id: str
    customer_id: str
    channel: str
    behaviour: str
    escalated: bool = False
    form_answers: int = 0
    abandoned: bool = False
    turns: list[str] = field(default_factory=list)


class Customer:
    """One synthetic customer talking to the API."""

    def __init__(self, http: httpx.Client, customer_id: str, channel: str) -> None:
        body = http.post("/v1/conversations", json={"customer_id": customer_id, "channel": channel}).json()
        self.http, self.id = http, body["id"]
        self.headers = {"Authorization": f"Bearer {body['token']}"}

    def send(self, text: str, payload: str | None = None) -> list[dict[str, Any]]:
        response = self.http.post(f"/v1/conversations/{self.id}/messages", headers=self.headers,
                                  json={"text": text, "payload": payload})
        response.raise_for_status()
        return response.json()["replies"]


def _handoff(replies: list[dict[str, Any]]) -> bool:
    return any((r.get("custom") or {}).get("handoff") for r in replies)


def _first_button(replies: list[dict[str, Any]]) -> dict[str, str] | None:
    return next((b for r in replies for b in r.get("buttons") or []), None)


def run_customer(http: httpx.Client, rng: random.Random, abandon_after: int, abandon_share: float) -> Record:
    customer_id, channel = rng.choice(CUSTOMERS), rng.choice(["web", "web", "app"])
    behaviour = rng.choices(["quick", "goal", "frustrated"], [0.4, 0.4, 0.2])[0]
    chat = Customer(http, customer_id, channel)
    record = Record(chat.id, customer_id, channel, behaviour)

    def say(text: str, payload: str | None = None) -> list[dict[str, Any]]:
        record.turns.append(payload or text)
        replies = chat.send(text, payload)
        record.escalated = record.escalated or _handoff(replies)
        return replies

    say("hello")
    if behaviour == "quick":
        say(rng.choice(["what is my balance?", "show my recent transactions"]))
    elif behaviour == "goal":
        replies = say("I want to set a savings goal")
        stop_at = abandon_after if rng.random() < abandon_share else None
        for answer in range(8):
            if stop_at is not None and answer == stop_at:
                record.abandoned = True
                break
            button = _first_button(replies)
            if button is None:
                break
            replies = say(button["title"], button["payload"])
            record.form_answers += 1
    else:
        for _ in range(2):
            say(rng.choice(GIBBERISH))
        say("this is useless, let me speak to a person")
    return record


def simulate(
    api_url: str, n: int, seed: int, abandon_after: int = 2, abandon_share: float = 0.5
) -> list[Record]:
    rng = random.Random(seed)
    records = []
    with httpx.Client(base_url=api_url, timeout=60) as http:
        for i in range(n):
            records.append(run_customer(http, rng, abandon_after, abandon_share))
            sys.stderr.write(f"\rsimulated {i + 1}/{n}")
    sys.stderr.write("\n")
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--api-url")
    parser.add_argument("--out", default="var/simulation.json")
    args = parser.parse_args()
    if args.api_url:
        records = simulate(args.api_url, args.n, args.seed)
    else:
        import tempfile

        from stack.processes import StackConfig, prepare_database, running_stack

        folder = Path(tempfile.mkdtemp(prefix="simulate-"))
        url = f"sqlite:///{folder / 'bank.db'}"
        prepare_database(url)
        with running_stack(StackConfig(database_url=url, log_dir=folder)) as stack:
            records = simulate(stack.config.api_url, args.n, args.seed)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps([asdict(r) for r in records], indent=2))
    escalated = sum(r.escalated for r in records)
    print(f"{len(records)} customers, {escalated} escalated, "
          f"{sum(r.abandoned for r in records)} abandoned the goal form; wrote {args.out}")


if __name__ == "__main__":
    main()
