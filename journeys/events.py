"""Rasa event JSON to journey steps.

Rasa's tracker store rows and its event-broker messages carry the same event dicts
(``{"event": "user", "timestamp": ..., "parse_data": ..., "metadata": ...}``; the broker adds
``sender_id``). Each event becomes at most one step, keyed by a hash of its identity so the
same event from either source, or replayed, maps to the same key.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any

from journeys.payments import CONFIRMATION_SLOTS, WARNING_PAYLOAD, WARNING_STEP

# Events that say nothing about the customer's journey.
IGNORED = frozenset({
    "session_started", "restart", "rewind", "followup", "reminder", "cancel_reminder", "pause",
    "resume", "user_featurization", "export", "entities", "loop_interrupted", "action_execution_rejected",
    "stack", "agent", "undo", "reset_slots", "all_slots_reset", "wrong_utterance",
})
SKIPPED_ACTIONS = frozenset({"action_listen", "action_session_start"})
FEEDBACK_INTENT = "recommendation_feedback"
# The customer's answer to the satisfaction question after a colleague handed back (name: the
# rating, detail: the handoff's reason); the service records it.
SATISFACTION_STEP = "satisfaction"
SHOWN_SLOT = "shown_recommendations"


class MalformedEvent(ValueError):
    """The event cannot be read (not an object, no type, no time, no conversation)."""


STEP_FIELDS = ("event_key", "conversation_id", "ts", "kind", "name", "detail", "confidence", "sentiment",
               "text", "customer_id", "channel")


@dataclass(slots=True)
class Step:
    """A journey step, as stored in ``journey_steps`` (treated as immutable; not frozen, which
    makes building the many thousands a second ingest needs slower)."""

    event_key: str
    conversation_id: str
    ts: float
    kind: str  # user, action, slot, form_start, form_end, escalation, warning, satisfaction
    name: str | None = None
    detail: str | None = None
    confidence: float | None = None
    sentiment: float | None = None
    text: str | None = None
    customer_id: str | None = None
    channel: str | None = None

    def row(self) -> dict[str, Any]:
        return dict(zip(STEP_FIELDS, self.values(), strict=True))

    def values(self) -> tuple[Any, ...]:
        """The fields in ``STEP_FIELDS`` order (for a driver-level insert)."""
        return (self.event_key, self.conversation_id, self.ts, self.kind, self.name, self.detail,
                self.confidence, self.sentiment, self.text, self.customer_id, self.channel)


def event_key(conversation_id: str, kind: str, ts: float, name: str | None) -> str:
    """The step's identity: the same event always gives the same key."""
    raw = f"{conversation_id}|{kind}|{ts:.6f}|{name or ''}"
    return hashlib.sha1(raw.encode()).hexdigest()


def signed_sentiment(parse_data: dict[str, Any]) -> float | None:
    """Our SentimentAnalyzer's output as one number in [-1, 1] (negative below zero)."""
    sentiment = parse_data.get("sentiment")
    if not isinstance(sentiment, dict):
        return None
    label, score = sentiment.get("label"), sentiment.get("score")
    if not isinstance(score, int | float):
        return None
    return {"negative": -float(score), "positive": float(score)}.get(str(label), 0.0)


def _entity(parse_data: dict[str, Any], name: str) -> str | None:
    for entity in parse_data.get("entities") or []:
        if isinstance(entity, dict) and entity.get("entity") == name:
            return str(entity.get("value"))
    return None


def _clip(value: str | None, size: int) -> str | None:
    return value[:size] if value is not None else None


def _user_step(event: dict[str, Any], base: dict[str, Any]) -> Step:
    parse_data = event.get("parse_data") or {}
    if not isinstance(parse_data, dict):
        raise MalformedEvent("parse_data is not an object")
    intent = parse_data.get("intent") or {}
    name = intent.get("name") if isinstance(intent, dict) else None
    confidence = intent.get("confidence") if isinstance(intent, dict) else None
    metadata = event.get("metadata") or {}
    detail = None
    if name == FEEDBACK_INTENT:
        detail = f"{_entity(parse_data, 'rec_id')}|{_entity(parse_data, 'feedback')}"
    text = event.get("text")
    return Step(
        **base, kind="user", name=_clip(name, 80), detail=detail,
        confidence=float(confidence) if isinstance(confidence, int | float) else None,
        sentiment=signed_sentiment(parse_data),
        text=text if isinstance(text, str) else None,
        customer_id=_clip(str(metadata["customer_id"]), 40) if metadata.get("customer_id") else None,
        channel=_clip(str(metadata["channel"]), 16) if metadata.get("channel") else None,
    )


def _slot_step(event: dict[str, Any], base: dict[str, Any]) -> Step:
    name, value = event.get("name"), event.get("value")
    if not isinstance(name, str):
        raise MalformedEvent("slot event without a name")
    if name == SHOWN_SLOT:  # ids of products shown, never personal data
        pairs = [f"{v.get('rec_id')}:{v.get('product_id')}" for v in value or [] if isinstance(v, dict)]
        detail = ",".join(pairs)
    elif name in CONFIRMATION_SLOTS and isinstance(value, bool):  # the customer's yes or no
        detail = "true" if value else "false"
    else:  # whether the slot was filled; the value itself is not kept
        detail = "null" if value is None else "set"
    return Step(**base, kind="slot", name=_clip(name, 80), detail=_clip(detail, 400))


def _custom_of(event: dict[str, Any]) -> dict[str, Any] | None:
    """A bot event's custom payload (``{"data": {"custom": {...}}}``), if any."""
    data = event.get("data")
    custom = data.get("custom") if isinstance(data, dict) else None
    return custom if isinstance(custom, dict) else None


def _handoff_of(event: dict[str, Any]) -> dict[str, Any] | None:
    """The bot's own handoff payload (``{"custom": {"handoff": {...}}}``), if any."""
    handoff = (_custom_of(event) or {}).get("handoff")
    return handoff if isinstance(handoff, dict) else None


def _warning_of(event: dict[str, Any]) -> str | None:
    """The level of the bot's scam warning (``{"custom": {"type": "payment_warning", "level":
    ...}}``), if the event is one (its reasons are not kept)."""
    custom = _custom_of(event) or {}
    return str(custom.get("level")) if custom.get("type") == WARNING_PAYLOAD else None


def _bot_step(event: dict[str, Any], base: dict[str, Any]) -> Step | None:
    handoff = _handoff_of(event)
    if handoff:
        return Step(**base, kind="escalation", name="handoff", detail=_clip(str(handoff.get("reason")), 40))
    level = _warning_of(event)
    if level is not None:
        return Step(**base, kind=WARNING_STEP, name=WARNING_PAYLOAD, detail=_clip(level, 16))
    return None


def to_step(event: Any, sender_id: str | None = None) -> Step | None:
    """The step for one Rasa event; None when the event is ignored.

    Raises:
        MalformedEvent: The event cannot be read.
    """
    if isinstance(event, bytes | str):
        try:
            event = json.loads(event)
        except (ValueError, UnicodeDecodeError) as error:
            raise MalformedEvent("not JSON") from error
    if not isinstance(event, dict):
        raise MalformedEvent("not an object")
    kind = event.get("event")
    conversation_id = sender_id or event.get("sender_id")
    ts = event.get("timestamp")
    if not isinstance(kind, str) or not kind:
        raise MalformedEvent("no event type")
    if not isinstance(conversation_id, str) or not conversation_id or len(conversation_id) > 64:
        raise MalformedEvent("no conversation id")
    if not isinstance(ts, int | float) or isinstance(ts, bool) or not math.isfinite(ts) or ts <= 0:
        raise MalformedEvent("no valid timestamp")
    if kind in IGNORED:
        return None
    if kind == "action":
        name = event.get("name")
        if not isinstance(name, str):
            raise MalformedEvent("action event without a name")
        if name in SKIPPED_ACTIONS:
            return None
    elif kind == "bot":
        if not _handoff_of(event) and _warning_of(event) is None:
            return None  # most bot events: nothing to keep, no key
    elif kind not in ("user", "slot", "active_loop"):
        return None
    name_for_key = event.get("text") if kind in ("user", "bot") else event.get("name")
    base: dict[str, Any] = {
        "event_key": event_key(conversation_id, kind, float(ts), str(name_for_key)),
        "conversation_id": conversation_id, "ts": float(ts),
    }
    if kind == "user":
        return _user_step(event, base)
    if kind == "action":
        return Step(**base, kind="action", name=_clip(name, 80))
    if kind == "slot":
        return _slot_step(event, base)
    if kind == "active_loop":
        name = event.get("name")
        return Step(**base, kind="form_start" if name else "form_end", name=_clip(name, 80))
    return _bot_step(event, base)
