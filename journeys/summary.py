"""One journey's summary, rebuilt from all its steps (so order of arrival does not matter)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from journeys.events import FEEDBACK_INTENT, SHOWN_SLOT
from journeys.payments import PaymentRuns

FALLBACK_ACTIONS = frozenset({
    "action_default_fallback", "utter_rephrase", "utter_default", "action_two_stage_fallback",
    "utter_ask_rephrase",
})
FALLBACK_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})
ESCALATION_ACTIONS = {"action_request_human": "customer_request"}
# The escalation step the handoff source writes from the service's own handoff records; its
# reason (the trigger the queue saw) wins over the bot's.
SERVICE_HANDOFF = "service_handoff"
# Repeating these is normal (answers, buttons), not a rephrasing loop.
NOT_LOOPS = frozenset({"inform", "affirm", "deny", FEEDBACK_INTENT})
PATH_STEPS = 15
NEGATIVE = -0.5


@dataclass
class Summary:
    """The rows rebuilt for one conversation."""

    journey: dict[str, Any]
    intents: list[dict[str, Any]] = field(default_factory=list)
    recommendations: list[dict[str, Any]] = field(default_factory=list)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarise(
    steps: Sequence[dict[str, Any]], form_slots: dict[str, tuple[str, ...]], funnel_form: str,
    segment_of: dict[str, str], fallback_confidence: float,
) -> Summary:
    """The journey row, its per-intent counts and its recommendations from its steps."""
    steps = sorted(steps, key=lambda s: (s["ts"], s.get("id") or 0))
    conversation_id = steps[0]["conversation_id"]
    customer_id = next((s["customer_id"] for s in steps if s.get("customer_id")), None)
    channel = next((s["channel"] for s in steps if s.get("channel")), None) or "unknown"
    turns: list[dict[str, Any]] = []  # user turns with their fallback flag
    path: list[str] = []
    escalation_reason: str | None = None
    service_reason: str | None = None
    active_form: str | None = None
    funnel_started, funnel_completed, funnel_ended = False, False, False
    funnel_slots = set(form_slots.get(funnel_form, ()))
    filled: set[str] = set()
    recs: dict[str, dict[str, Any]] = {}
    payments = PaymentRuns()
    for step in steps:
        payments.see(step)
        kind, name = step["kind"], step.get("name")
        if kind == "user":
            low = (step.get("confidence") is not None and step["confidence"] < fallback_confidence)
            turns.append({"intent": name or "unknown", "fallback": name in FALLBACK_INTENTS or low,
                          "sentiment": step.get("sentiment")})
            path.append(name or "unknown")
            if name == FEEDBACK_INTENT and step.get("detail"):
                rec_id, _, outcome = step["detail"].partition("|")
                if rec_id in recs and outcome in ("accepted", "declined", "more_info"):
                    if recs[rec_id]["outcome"] in ("shown", "more_info"):
                        recs[rec_id]["outcome"] = outcome
        elif kind == "action":
            if name in FALLBACK_ACTIONS and turns:
                turns[-1]["fallback"] = True
            if name in ESCALATION_ACTIONS and escalation_reason is None:
                escalation_reason = ESCALATION_ACTIONS[name]
        elif kind == "escalation" and name == SERVICE_HANDOFF:
            service_reason = service_reason or step.get("detail") or "unknown"
        elif kind == "escalation":
            escalation_reason = step.get("detail") or escalation_reason or "unknown"
        elif kind == "form_start":
            active_form = name
            if name == funnel_form and not funnel_started:
                funnel_started = True
                path.append(f"form:{name}")
        elif kind == "form_end":
            if active_form == funnel_form:
                funnel_ended = True
                funnel_completed = funnel_completed or funnel_slots <= filled
            active_form = None
        elif kind == "slot" and name == SHOWN_SLOT:
            for pair in (step.get("detail") or "").split(","):
                rec_id, _, product_id = pair.partition(":")
                if rec_id and product_id and rec_id not in recs:
                    recs[rec_id] = {"conversation_id": conversation_id, "rec_id": rec_id[:64],
                                    "product_id": product_id[:60], "outcome": "shown"}
        elif kind == "slot" and name in funnel_slots and not funnel_ended:
            # Until the funnel form ends: slots filled in it, or from the message that opened it.
            if step.get("detail") not in (None, "null"):  # set, or a confirmation's true or false
                filled.add(name or "")
            else:
                filled.discard(name or "")
    required = form_slots.get(funnel_form, ())
    leading = 0
    for slot in required:
        if slot not in filled:
            break
        leading += 1
    if funnel_started and not funnel_completed and leading == len(required):
        funnel_completed = True  # all slots filled; the form's end event may still be on its way
    abandon_slot = required[leading] if funnel_started and not funnel_completed and leading < len(required) \
        else None
    escalation_reason = service_reason or escalation_reason
    escalated = escalation_reason is not None
    if escalated:
        path.append("escalation")
    abandoned = not escalated and (abandon_slot is not None or bool(turns and turns[-1]["fallback"]))
    path.append("abandoned" if abandoned else ("handoff" if escalated else "end"))
    loops = sum(
        1 for a, b in zip(turns, turns[1:], strict=False)
        if (a["fallback"] and b["fallback"]) or (a["intent"] == b["intent"] and a["intent"] not in NOT_LOOPS)
    )
    sentiments = [t["sentiment"] for t in turns if t["sentiment"] is not None]
    started, ended = steps[0]["ts"], steps[-1]["ts"]
    journey = {
        "conversation_id": conversation_id, "customer_id": customer_id, "channel": channel,
        "segment": segment_of.get(customer_id or "", "unknown"),
        "day": datetime.fromtimestamp(started, UTC).strftime("%Y-%m-%d"),
        "started_ts": started, "ended_ts": ended, "turns": len(turns),
        "fallbacks": sum(t["fallback"] for t in turns), "rephrase_loops": loops,
        "escalated": escalated, "escalation_reason": escalation_reason, "abandoned": abandoned,
        "form_name": funnel_form if funnel_started else None,
        "form_slots_filled": leading if funnel_started else 0, "form_completed": funnel_completed,
        "form_abandon_slot": abandon_slot, "sentiment_mean": _mean(sentiments),
        "sentiment_first": sentiments[0] if sentiments else None,
        "sentiment_last": sentiments[-1] if sentiments else None,
        "negative_turns": sum(1 for s in sentiments if s <= NEGATIVE),
        "path": ">".join(path[:PATH_STEPS] + (path[-1:] if len(path) > PATH_STEPS else []))[:400],
        "last_step": (path[-2] if len(path) > 1 else None),
        **payments.fields(),
    }
    where = {"day": journey["day"], "channel": channel, "segment": journey["segment"]}
    for rec in recs.values():
        rec.update(where)
    per_intent: dict[str, dict[str, Any]] = {}
    for turn in turns:
        row = per_intent.setdefault(turn["intent"], {"conversation_id": conversation_id,
                                                     "intent": turn["intent"][:80],
                                                     "turns": 0, "fallbacks": 0, "negative": 0, **where})
        row["turns"] += 1
        row["fallbacks"] += int(turn["fallback"])
        row["negative"] += int(turn["sentiment"] is not None and turn["sentiment"] <= NEGATIVE)
    return Summary(journey, list(per_intent.values()), list(recs.values()))
