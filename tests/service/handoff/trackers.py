"""Rasa tracker states written by hand, in the shape ``GET /conversations/{id}/tracker``
returns, for the trigger tests that need no running bot."""

from __future__ import annotations

from typing import Any

_clock = iter(range(1_700_000_000, 1_800_000_000))


def user(
    text: str, intent: str | None, confidence: float = 0.95, sentiment: dict[str, Any] | None = None
) -> dict[str, Any]:
    parse: dict[str, Any] = {"text": text, "intent": {"name": intent, "confidence": confidence}}
    if sentiment is not None:
        parse["sentiment"] = sentiment
    return {"event": "user", "timestamp": float(next(_clock)), "text": text, "parse_data": parse}


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name}


def bot(text: str | None = None, custom: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"event": "bot", "text": text, "data": {"custom": custom}}


def slot(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def loop(name: str | None) -> dict[str, Any]:
    return {"event": "active_loop", "name": name}


def tracker(
    *events: dict[str, Any], slots: dict[str, Any] | None = None, active_loop: str | None = None
) -> dict[str, Any]:
    return {
        "sender_id": "conv_test",
        "events": list(events),
        "slots": slots or {},
        "active_loop": {"name": active_loop} if active_loop else {},
        "paused": False,
    }


def negative(score: float, anger: float | None = None) -> dict[str, Any]:
    reading: dict[str, Any] = {"label": "negative", "score": score}
    if anger is not None:
        reading["anger"] = anger
    return reading


NEUTRAL = {"label": "neutral", "score": 0.8}
