"""Calls the action server the way Rasa does: ``POST /webhook`` with a tracker as JSON."""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import yaml

from assistant import names
from identity.assertion import METADATA_KEY, sign_assertion
from stack.processes import ROOT

CONVERSATION = "test-conversation"
# The key the test action server verifies customer assertions with (``IDENTITY_ASSERTION_KEY``).
ASSERTION_KEY = "test-assertion-key-of-the-action-server-0123456789"
RECENT_ACR = "urn:bank:loa:1"  # below the step-up level: only auth_time makes a login recent


def signed_metadata(
    customer: str,
    *,
    key: str = ASSERTION_KEY,
    conversation: str = CONVERSATION,
    auth_time: float | None = None,
    acr: str | None = RECENT_ACR,
    ttl_s: int = 120,
    now: float | None = None,
) -> dict[str, Any]:
    """Message metadata as the front service sends it for a signed-in ``customer``."""
    moment = now if now is not None else time.time()
    login = int(auth_time if auth_time is not None else moment)
    token = sign_assertion(key.encode(), conversation, customer, login, acr, ttl_s, now=moment)
    return {"channel": "web", METADATA_KEY: token}


@functools.cache
def domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "assistant" / "domain.yml").read_text())


def slot_event(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def user_event(
    text: str,
    intent: str,
    entities: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "metadata": metadata or {},
        "parse_data": {
            "intent": {"name": intent, "confidence": 0.99},
            "entities": entities or [],
            "text": text,
        },
    }


def entity(name: str, value: str, role: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"entity": name, "value": value, "extractor": "DIETClassifier"}
    if role:
        found["role"] = role
    return found


@dataclass
class Turn:
    """The latest user message and the slots before it; ``candidates`` are slot values the
    message filled (Rasa appends them after the form's own action, as here)."""

    text: str = ""
    intent: str = "inform"
    entities: list[dict[str, Any]] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)
    candidates: dict[str, Any] = field(default_factory=dict)
    form: str | None = None
    requested_slot: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    earlier_events: list[dict[str, Any]] = field(default_factory=list)
    customer: str | None = None  # signs a fresh, recent assertion for them into the metadata
    ranking: list[dict[str, Any]] = field(default_factory=list)  # the classifier's intent_ranking

    def tracker(self) -> dict[str, Any]:
        metadata = self.metadata
        if self.customer is not None:
            metadata = {**signed_metadata(self.customer), **self.metadata}
        before = {**self.slots}
        events: list[dict[str, Any]] = [{"event": "action", "name": "action_session_start"}]
        events += [slot_event(k, v) for k, v in before.items()]
        events += self.earlier_events
        events += [
            {"event": "action", "name": names.ACTION_LISTEN},
            user_event(self.text, self.intent, self.entities, metadata),
        ]
        slots = {**before, **self.candidates}
        if self.form:
            slots[names.SLOT_REQUESTED] = self.requested_slot
            events += [
                slot_event(names.SLOT_REQUESTED, self.requested_slot),
                {"event": "action", "name": self.form},
            ]
            events += [slot_event(k, v) for k, v in self.candidates.items()]
        return {
            "sender_id": CONVERSATION,
            "slots": slots,
            "latest_message": {
                "text": self.text,
                "intent": {"name": self.intent, "confidence": 0.99},
                "intent_ranking": self.ranking,
                "entities": self.entities,
                "metadata": metadata,
            },
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": self.form} if self.form else {},
            "latest_action_name": self.form or names.ACTION_LISTEN,
        }


@dataclass
class ActionResult:
    events: list[dict[str, Any]]
    responses: list[dict[str, Any]]

    @property
    def text(self) -> str:
        return "\n".join(r.get("text") or "" for r in self.responses)

    def slots(self) -> dict[str, Any]:
        return {e["name"]: e["value"] for e in self.events if e.get("event") == "slot"}


def run_action(server: str, action: str, turn: Turn) -> ActionResult:
    """Run ``action`` on the action server at ``server`` for ``turn``."""
    response = httpx.post(
        f"{server}/webhook",
        json={
            "next_action": action,
            "sender_id": CONVERSATION,
            "tracker": turn.tracker(),
            "domain": domain(),
            "version": "3.6.21",
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return ActionResult(events=body["events"], responses=body["responses"])
