"""The handoff packet: what the agent reads so the customer never repeats themselves.

:func:`build_core` runs at the trigger on what Rasa's tracker says (summary, goal, intents
and sentiment over time, the triggers) and is stored with the handoff. :func:`assemble`
adds, when an agent opens it, the live parts: the transcript (as stored: redacted at the
service boundary when the privacy layer is wired), the recommendations shown and the
answers, the profile snapshot and the segment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from assistant import names
from service.handoff.schemas import (
    Goal,
    HandoffEventOut,
    HandoffPacket,
    HandoffSummary,
    IntentPoint,
    NoteOut,
    PacketCore,
    Profile,
    Recommendation,
    SentimentPoint,
    TriggerOut,
)
from service.handoff.signals import ConversationSignals
from service.handoff.triggers import TriggerHit
from service.schemas import MessageOut

# Slots that say nothing about the customer's goal.
INTERNAL_SLOTS = frozenset(
    {
        names.SLOT_CUSTOMER_ID,
        names.SLOT_CHANNEL,
        names.SLOT_PENDING_ACTION,
        names.SLOT_HANDOFF_REQUESTED,
        names.SLOT_REQUESTED,
        names.SLOT_SESSION_STARTED_METADATA,
    }
)
RECOMMENDATION_KEYS = ("recommendations", "products")


class ProfileSource(Protocol):
    """What the packet reads from the profile store (``ProfileStore`` fits)."""

    def get_customer(self, customer_id: str) -> Any: ...
    def accounts(self, customer_id: str) -> Sequence[Any]: ...
    def cards(self, customer_id: str) -> Sequence[Any]: ...
    def goals(self, customer_id: str) -> Sequence[Any]: ...


SegmentSource = Callable[[str], Mapping[str, Any] | None]
# (customer id, since) -> recommendations the recommender logged for them since then.
RecommendationSource = Callable[[str, datetime], list[Recommendation]]


def _at(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp or 0, UTC)


def _words(name: str | None) -> str:
    return (name or "unclear").replace("_", " ")


def build_goal(signals: ConversationSignals, required: Sequence[str]) -> Goal:
    """The form under way (if any), what it has collected and what it still needs."""
    collected = {k: v for k, v in signals.slots.items() if v is not None and k not in INTERNAL_SLOTS}
    if signals.active_loop and required:
        collected = {k: v for k, v in collected.items() if k in required}
    missing = [s for s in required if signals.slots.get(s) is None]
    return Goal(form=signals.active_loop, collected=collected, missing=missing)


def build_summary(signals: ConversationSignals, hits: Sequence[TriggerHit], goal: Goal) -> str:
    """A few plain sentences: what was asked, where the customer got to, why it escalated."""
    asked: list[str] = []
    for turn in signals.turns:
        label = _words(turn.intent)
        if not asked or asked[-1] != label:
            asked.append(label)
    parts = [f"{len(signals.turns)} customer message(s); topics in order: {', '.join(asked[-8:]) or 'none'}."]
    if goal.form:
        have = ", ".join(f"{k} = {v}" for k, v in goal.collected.items()) or "nothing yet"
        need = ", ".join(goal.missing) or "nothing"
        parts.append(f"In {_words(goal.form)}: has {have}; still needs {need}.")
    elif goal.collected:
        parts.append("Known so far: " + ", ".join(f"{k} = {v}" for k, v in goal.collected.items()) + ".")
    readings = [t.sentiment for t in signals.turns[-3:] if t.sentiment is not None]
    if readings:
        latest = readings[-1]
        parts.append(f"Mood: latest message {latest.label} (negativity {latest.negativity:.2f}).")
    parts.append("Escalated for: " + "; ".join(f"{h.label} ({h.detail})" for h in hits) + ".")
    return " ".join(parts)


def build_core(
    signals: ConversationSignals, hits: Sequence[TriggerHit], required_slots: Sequence[str]
) -> PacketCore:
    """The stored part of the packet, from the tracker signals and the triggers that fired."""
    goal = build_goal(signals, required_slots)
    sentiment = [
        SentimentPoint(
            at=_at(t.at), label=t.sentiment.label, negativity=t.sentiment.negativity, anger=t.sentiment.anger
        )
        for t in signals.turns
        if t.sentiment is not None
    ]
    return PacketCore(
        summary=build_summary(signals, hits, goal),
        triggers=[
            TriggerOut(reason=h.reason, label=h.label, priority=int(h.priority), detail=h.detail)
            for h in hits
        ],
        goal=goal,
        intents=[
            IntentPoint(at=_at(t.at), intent=t.intent, confidence=round(t.confidence, 4))
            for t in signals.turns
        ],
        sentiment=sentiment or None,
    )


def recommendations_in(transcript: Sequence[MessageOut]) -> list[Recommendation]:
    """Recommendations the bot showed in the chat (custom payloads) and the next answer."""
    found: list[Recommendation] = []
    for n, message in enumerate(transcript):
        custom = message.custom or {}
        shown = next((custom[k] for k in RECOMMENDATION_KEYS if k in custom), None)
        if message.sender != "bot" or shown is None:
            continue
        answer = next((m.text for m in transcript[n + 1 :] if m.sender == "user"), None)
        found.append(Recommendation(product=shown, shown_at=message.created_at, answer=answer))
    return found


def profile_snapshot(source: ProfileSource, customer_id: str) -> Profile | None:
    """The customer as the profile store sees them now (``None`` if unknown)."""
    customer = source.get_customer(customer_id)
    if customer is None:
        return None
    return Profile(
        first_name=customer.first_name,
        birth_year=customer.birth_year,
        employment_status=str(customer.employment_status),
        credit_band=str(customer.credit_band),
        accounts=[
            {
                "name": a.name,
                "kind": str(a.kind),
                "number": a.masked_number,
                "currency": a.currency,
                "balance": str(a.balance),
                "available": str(a.available),
            }
            for a in source.accounts(customer_id)
        ],
        cards=[
            {"kind": str(c.kind), "last4": c.last4, "status": str(c.status)}
            for c in source.cards(customer_id)
        ],
        goals=[
            {
                "goal_type": str(g.goal_type),
                "target_amount": str(g.target_amount),
                "horizon_months": g.horizon_months,
                "status": str(g.status),
            }
            for g in source.goals(customer_id)
        ],
    )


def assemble(
    summary: HandoffSummary,
    core: PacketCore,
    transcript: Sequence[MessageOut],
    notes: Sequence[NoteOut],
    events: Sequence[HandoffEventOut],
    profile: Profile | None,
    segment: Mapping[str, Any] | None,
    transcript_redacted: bool,
    logged_recommendations: Sequence[Recommendation] = (),
) -> HandoffPacket:
    """The full packet an agent reads."""
    return HandoffPacket(
        handoff=summary,
        summary=core.summary,
        triggers=core.triggers,
        goal=core.goal,
        intents=core.intents,
        sentiment=core.sentiment,
        recommendations=[*logged_recommendations, *recommendations_in(transcript)],
        profile=profile,
        segment=dict(segment) if segment else None,
        transcript=list(transcript),
        transcript_redacted=transcript_redacted,
        notes=list(notes),
        events=list(events),
    )
