"""``python -m stack.simulate --n N --seed S --out truth.json [--api-url URL] [--channel app]``

Drives N seeded synthetic customers through the real API (starting its own stack on a fresh
SQLite database unless ``--api-url`` is given). Each has a hidden behaviour, drawn in fixed
shares and shuffled by the seed: a quick question, a goal form they finish, a goal form they
abandon at a planted slot (they stop answering), two messages the bot cannot understand (the
service hands them off for repeated fallback) or asking for a person. Those who finish the
goal form also have a hidden taste (low risk, no fees, or growth): they ask for more about the
first suggestion and say "I'm interested" when its key facts suit their taste, else "Not for
me". Before the customers start, the analyst's account creates the bot's two experiments (a
bandit over recommendation strategies, an A/B test of the suggestions' introduction) unless
they exist, so the answers are the experiments' outcomes. Writes its own record of what
happened (the ground truth the dashboard's figures are checked against).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from journeys.experiments import INTRO_EXPERIMENT, INTRO_VARIANTS, STRATEGY_EXPERIMENT
from recommender.strategies import STRATEGIES
from stack.customer_sessions import start_conversation

DEMO_CUSTOMERS = tuple(f"cus_{i:03d}" for i in range(1, 8))  # the demo bank's customers
GIBBERISH = ("blah blah blah flibber", "xyz xyz xyz ???")
QUICK = ("what is my balance?", "show my recent transactions")
# Behaviour -> share of customers.
SHARES = {"quick": 0.1, "goal": 0.3, "goal_abandon": 0.25, "fallback": 0.25, "human": 0.1}
# The goal form's answers, in the order the bot asks (goal type and risk are buttons).
GOAL_ANSWERS = (("goal_type", "Save"), ("goal_target_amount", "£5,000"), ("goal_horizon_months", "3 years"),
                ("risk_tolerance", "Low"), ("monthly_budget", "£150 a month"))
# The bot's experiments the simulation feeds: name -> (kind, arms).
EXPERIMENTS = {STRATEGY_EXPERIMENT: ("bandit", STRATEGIES), INTRO_EXPERIMENT: ("ab", INTRO_VARIANTS)}
TASTES = ("low_risk", "no_fees", "growth")
_RISK = re.compile(r"risk level (\d) of 7")


@dataclass
class Record:
    """What one synthetic customer did and saw."""

    conversation_id: str
    customer_id: str
    channel: str
    behaviour: str
    turns: list[str] = field(default_factory=list)
    form_started: bool = False
    slots_answered: list[str] = field(default_factory=list)
    abandon_slot: str | None = None
    goal_saved: bool = False
    escalated: bool = False  # the service told the customer they were queued for a colleague
    taste: str | None = None  # hidden: what makes a suggestion suit them
    answer: str | None = None  # accepted or declined: their answer to the first suggestion


class Customer:
    """One synthetic customer talking to the API."""

    def __init__(self, http: httpx.Client, customer_id: str, channel: str) -> None:
        body = start_conversation(http, customer_id, channel)
        self.http, self.id = http, body["id"]
        self.headers = {"Authorization": f"Bearer {body['token']}"}

    def send(self, text: str, payload: str | None = None) -> list[dict[str, Any]]:
        response = self.http.post(f"/v1/conversations/{self.id}/messages", headers=self.headers,
                                  json={"text": text, "payload": payload})
        response.raise_for_status()
        return response.json()["replies"]


def queued(replies: Sequence[Mapping[str, Any]]) -> bool:
    """The service's notice that the customer is queued for a colleague is among the replies."""
    return any(((r.get("custom") or {}).get("system") or {}).get("event") == "queued" for r in replies)


def button_titled(replies: list[dict[str, Any]], title: str) -> dict[str, str] | None:
    """The first button among ``replies`` with this title (any case), if any."""
    return next((b for r in replies for b in r.get("buttons") or [] if b["title"].lower() == title.lower()),
                None)


def suits(taste: str, facts: str) -> bool:
    """Whether a product's key facts ("... risk level 2 of 7.") suit a hidden taste."""
    match = _RISK.search(facts)
    risk = int(match.group(1)) if match else 7
    if taste == "low_risk":
        return risk <= 2
    if taste == "no_fees":
        return "in fees" not in facts
    return risk >= 3


def answer_first_suggestion(say: Any, replies: list[dict[str, Any]], taste: str) -> str | None:
    """Ask for more about the first suggestion, then say whether it suits ``taste``."""
    more = button_titled(replies, "Tell me more")
    if more is None:
        return None
    details = say("Tell me more", more["payload"])
    accepted = suits(taste, " ".join(r.get("text") or "" for r in details))
    button = button_titled(details, "I'm interested" if accepted else "Not for me")
    if button is None:
        return None
    say(button["title"], button["payload"])
    return "accepted" if accepted else "declined"


def analyst_headers(http: httpx.Client, password: str) -> dict[str, str]:
    """The Authorization header of the demo analyst, signed in with ``password``."""
    token = http.post("/v1/staff/login", json={"username": "analyst1", "password": password})
    token.raise_for_status()
    return {"Authorization": f"Bearer {token.json()['token']}"}


def ensure_experiments(http: httpx.Client, password: str) -> None:
    """Sign in as the demo analyst and create the bot's experiments that do not exist yet."""
    headers = analyst_headers(http, password)
    for name, (kind, arms) in EXPERIMENTS.items():
        if http.get(f"/v1/analytics/experiments/{name}", headers=headers).status_code == 404:
            created = http.post("/v1/analytics/experiments", headers=headers,
                                json={"name": name, "kind": kind, "arms": list(arms)})
            created.raise_for_status()


def plan(n: int, rng: random.Random) -> list[str]:
    """``n`` behaviours in the fixed shares (rounded; the rest are quick), shuffled."""
    counts = {name: int(round(share * n)) for name, share in SHARES.items() if name != "quick"}
    behaviours = [name for name, count in counts.items() for _ in range(count)]
    behaviours += ["quick"] * max(0, n - len(behaviours))
    rng.shuffle(behaviours)
    return behaviours[:n]


def run_customer(http: httpx.Client, rng: random.Random, behaviour: str, channel: str,
                 abandon_slot: str) -> Record:
    """One customer's conversation, following ``behaviour``."""
    customer_id = rng.choice(DEMO_CUSTOMERS)
    chat = Customer(http, customer_id, channel)
    record = Record(chat.id, customer_id, channel, behaviour)

    def say(text: str, payload: str | None = None) -> list[dict[str, Any]]:
        record.turns.append(text)
        replies = chat.send(text, payload)
        record.escalated = record.escalated or queued(replies)
        return replies

    say("hello")
    if behaviour == "quick":
        say(rng.choice(QUICK))
    elif behaviour in ("goal", "goal_abandon"):
        replies = say("I want to set a savings goal")
        record.form_started = True
        for slot, answer in GOAL_ANSWERS:
            if behaviour == "goal_abandon" and slot == abandon_slot:
                record.abandon_slot = slot  # stops answering: the conversation ends here
                break
            button = button_titled(replies, answer)
            replies = say(answer, button["payload"] if button else None)
            record.slots_answered.append(slot)
        record.goal_saved = any("saved your goal" in (r.get("text") or "") for r in replies)
        if record.goal_saved:
            record.taste = rng.choice(TASTES)
            record.answer = answer_first_suggestion(say, replies, record.taste)
    elif behaviour == "fallback":
        for text in GIBBERISH:
            say(text)
    else:
        say("can I talk to a real person please")
    return record


def simulate(api_url: str, n: int, seed: int, channel: str | None = None,
             abandon_slot: str = "goal_horizon_months", password: str | None = None,
             progress: Callable[[int, int], None] | None = None) -> list[Record]:
    """Run ``n`` customers (on ``channel``, else web or app at random) and return the record.

    The analyst signs in with ``password`` (default :func:`analyst_password`); ``progress(done,
    n)`` is called after each customer (default: a counter on stderr).
    """
    rng = random.Random(seed)
    records = []
    with httpx.Client(base_url=api_url, timeout=120) as http:
        ensure_experiments(http, password or analyst_password())
        for i, behaviour in enumerate(plan(n, rng)):
            chosen = channel or rng.choice(["web", "web", "app"])
            records.append(run_customer(http, rng, behaviour, chosen, abandon_slot))
            (progress or _counter)(i + 1, n)
    return records


def _counter(done: int, total: int) -> None:
    """``simulated done/total`` on one line of stderr."""
    sys.stderr.write(f"\rsimulated {done}/{total}" + ("\n" if done == total else ""))


def analyst_password() -> str:
    """``SIMULATE_ANALYST_PASSWORD``, else the local demo staff password."""
    from service.staff.settings import LOCAL_DEMO_PASSWORD

    return os.environ.get("SIMULATE_ANALYST_PASSWORD", LOCAL_DEMO_PASSWORD)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--api-url")
    parser.add_argument("--channel", choices=["web", "app"])
    parser.add_argument("--out", default="var/simulation.json")
    args = parser.parse_args()
    if args.api_url:
        records = simulate(args.api_url, args.n, args.seed, args.channel)
    else:
        from stack.processes import fresh_stack

        with fresh_stack("simulate") as stack:
            records = simulate(stack.config.api_url, args.n, args.seed, args.channel)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps([asdict(r) for r in records], indent=2))
    print(f"{len(records)} customers, {sum(r.escalated for r in records)} handed off, "
          f"{sum(r.abandon_slot is not None for r in records)} abandoned the goal form, "
          f"{sum(r.goal_saved for r in records)} saved a goal, "
          f"{sum(r.answer == 'accepted' for r in records)} took up a suggestion; wrote {args.out}")


if __name__ == "__main__":
    main()
