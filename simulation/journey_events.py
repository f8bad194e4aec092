"""Rasa-shaped event streams for seeded synthetic conversations (tests and the benchmark).

Each conversation follows a behaviour (a quick question, a goal form possibly abandoned at a
slot, a frustrated customer who ends with a human, a recommendation answered) and comes with
the truth of what happened, so metrics computed from the store can be checked against it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from journeys.forms import FUNNEL_FORM, form_slots

PRODUCTS = ("easy_saver", "fixed_bond_2y", "global_index_fund", "cash_isa")


@dataclass
class Truth:
    """What a synthetic conversation did."""

    conversation_id: str
    customer_id: str
    channel: str
    escalated: bool = False
    reason: str | None = None
    form_started: bool = False
    slots_filled: int = 0
    form_completed: bool = False
    abandon_slot: str | None = None
    fallbacks: int = 0
    turns: int = 0
    recommendations: dict[str, str] = field(default_factory=dict)  # product -> outcome


class _Writer:
    def __init__(self, conversation_id: str, customer_id: str, channel: str, ts: float) -> None:
        self.cid, self.customer, self.channel, self.ts = conversation_id, customer_id, channel, ts
        self.events: list[dict[str, Any]] = []

    def add(self, event: dict[str, Any], gap: float = 1.0) -> None:
        self.ts += gap
        self.events.append({"sender_id": self.cid, "timestamp": round(self.ts, 6), **event})

    def user(self, intent: str, confidence: float = 0.95,
             sentiment: tuple[str, float] = ("neutral", 0.8), text: str = "…",
             entities: list[dict[str, Any]] | None = None) -> None:
        self.add({"event": "user", "text": text, "parse_data": {
            "intent": {"name": intent, "confidence": confidence}, "entities": entities or [],
            "text": text, "sentiment": {"label": sentiment[0], "score": sentiment[1]}},
            "metadata": {"customer_id": self.customer, "channel": self.channel}}, gap=8.0)

    def action(self, name: str) -> None:
        self.add({"event": "action", "name": name, "policy": "RulePolicy", "confidence": 1.0}, gap=0.2)

    def slot(self, name: str, value: Any) -> None:
        self.add({"event": "slot", "name": name, "value": value}, gap=0.01)

    def bot(self, text: str, custom: dict[str, Any] | None = None) -> None:
        self.add({"event": "bot", "text": text, "data": {"custom": custom} if custom else {}}, gap=0.05)


def conversation(
    index: int, rng: random.Random, start_ts: float, customers: int = 500,
    abandon_slot: str = "risk_tolerance", abandon_share: float = 0.35,
) -> tuple[list[dict[str, Any]], Truth]:
    """One conversation's events and its truth."""
    cid = f"conv_syn_{index:08d}"
    customer = f"cus_{rng.randrange(customers):05d}"
    channel = "app" if rng.random() < 0.4 else "web"
    w = _Writer(cid, customer, channel, start_ts)
    truth = Truth(cid, customer, channel)
    w.add({"event": "action", "name": "action_session_start"}, gap=0.0)
    w.add({"event": "session_started"}, gap=0.01)
    w.user("greet")
    w.action("utter_greet")
    truth.turns += 1
    kind = rng.choices(["quick", "goal", "frustrated", "recommend"], [0.35, 0.3, 0.15, 0.2])[0]
    if kind == "quick":
        intent = rng.choice(["check_balance", "recent_transactions", "ask_fees"])
        w.user(intent)
        w.action(f"action_{intent}" if intent != "ask_fees" else "action_answer")
        truth.turns += 1
    elif kind == "goal":
        slots = form_slots()[FUNNEL_FORM]
        w.user("set_goal")
        truth.turns += 1
        w.action(FUNNEL_FORM)
        w.add({"event": "active_loop", "name": FUNNEL_FORM}, gap=0.01)
        truth.form_started = True
        leave = slots.index(abandon_slot) if rng.random() < abandon_share else None
        for i, slot in enumerate(slots):
            if i == leave:
                truth.abandon_slot = slot
                break
            w.user("inform")
            truth.turns += 1
            w.slot(slot, "x")
            truth.slots_filled += 1
            w.action(FUNNEL_FORM)
        if leave is None:
            w.add({"event": "active_loop", "name": None}, gap=0.01)
            w.action("action_save_goal")
            truth.form_completed = True
    elif kind == "frustrated":
        for _ in range(rng.randint(2, 3)):
            w.user("nlu_fallback", confidence=0.2, sentiment=("negative", 0.9))
            w.action("action_default_fallback")
            truth.turns += 1
            truth.fallbacks += 1
        w.user("request_human", sentiment=("negative", 0.85))
        truth.turns += 1
        w.action("action_request_human")
        w.bot("passing you on", {"handoff": {"reason": "customer_request"}})
        truth.escalated, truth.reason = True, "customer_request"
    else:
        w.user("ask_recommendation")
        truth.turns += 1
        w.action("action_recommend_products")
        shown = rng.sample(PRODUCTS, 3)
        recs = [{"rec_id": f"rec_{cid}_{i}", "product_id": p, "name": p} for i, p in enumerate(shown)]
        w.slot("shown_recommendations", recs)
        for rec in recs:
            truth.recommendations[rec["product_id"]] = "shown"
        choice = recs[0]
        liking = 0.6 if choice["product_id"] == "easy_saver" else 0.3
        outcome = "accepted" if rng.random() < liking else "declined"
        w.user("recommendation_feedback", entities=[{"entity": "rec_id", "value": choice["rec_id"]},
                                                    {"entity": "feedback", "value": outcome}])
        truth.turns += 1
        w.action("action_recommendation_feedback")
        truth.recommendations[choice["product_id"]] = outcome
    return w.events, truth


def stream(n: int, seed: int = 0, days: int = 14, start_ts: float = 1_767_225_600.0,
           **options: Any) -> tuple[list[dict[str, Any]], list[Truth]]:
    """``n`` conversations spread over ``days``: all their events and their truths."""
    rng = random.Random(seed)
    events: list[dict[str, Any]] = []
    truths: list[Truth] = []
    for i in range(n):
        start = start_ts + rng.random() * days * 86_400
        conv_events, truth = conversation(i, rng, start, **options)
        events.extend(conv_events)
        truths.append(truth)
    return events, truths
