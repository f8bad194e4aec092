"""What Rasa's tracker says about a conversation, in the shape the triggers need.

Read from ``GET /conversations/{id}/tracker`` (Rasa's HTTP API): the customer's messages
with their intent, confidence and sentiment, what the bot did after each, the slots, the
active form and how often in a row it asked for the same slot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from service.handoff.sentiment import SentimentReading, read_sentiment

REQUESTED_SLOT = "requested_slot"


@dataclass(frozen=True)
class UserTurn:
    """One customer message and what the bot did until the next one.

    Attributes:
        text: The message as Rasa got it.
        intent: The top intent (``None`` if the NLU gave none).
        confidence: The top intent's confidence.
        sentiment: The sentiment reading, when the pipeline adds one.
        at: Unix time of the message.
        actions: Names of the actions the bot ran after it.
        customs: Custom payloads the bot sent after it.
        slots_set: Slots set after it (name -> value), in order.
        entities: The entities the NLU found in it (``{"entity": ..., "value": ...}``).
    """

    text: str
    intent: str | None
    confidence: float
    sentiment: SentimentReading | None
    at: float
    actions: tuple[str, ...] = ()
    customs: tuple[Mapping[str, Any], ...] = ()
    slots_set: tuple[tuple[str, Any], ...] = ()
    entities: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class FormAsks:
    """The active form asked for ``slot`` ``times`` times in a row without progress."""

    form: str
    slot: str
    times: int


@dataclass(frozen=True)
class ConversationSignals:
    """Everything the triggers and the handoff packet read from the tracker."""

    turns: tuple[UserTurn, ...]
    slots: Mapping[str, Any] = field(default_factory=dict)
    active_loop: str | None = None
    form_asks: FormAsks | None = None
    paused: bool = False

    @property
    def latest(self) -> UserTurn | None:
        return self.turns[-1] if self.turns else None


def _turn(event: Mapping[str, Any]) -> UserTurn:
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    return UserTurn(
        text=str(event.get("text") or parse.get("text") or ""),
        intent=intent.get("name"),
        confidence=float(intent.get("confidence") or 0.0),
        sentiment=read_sentiment(parse),
        at=float(event.get("timestamp") or 0.0),
        entities=tuple(e for e in parse.get("entities") or [] if isinstance(e, Mapping)),
    )


def _with(turn: UserTurn, **changes: Any) -> UserTurn:
    return UserTurn(**{**turn.__dict__, **changes})


def _form_asks(events: Sequence[Mapping[str, Any]], active_loop: str | None) -> FormAsks | None:
    """How often in a row the active form asked for the same slot with nothing filled between.

    A slot counts as progress only when its value changes to something that is not empty,
    so a validation that rejects an answer (sets the slot to ``None``) is no progress.
    """
    if not active_loop:
        return None
    values: dict[str, Any] = {}
    slot: str | None = None
    times = 0
    progress = False
    for event in events:
        kind = event.get("event")
        if kind == "active_loop":
            slot, times, progress = None, 0, False
        elif kind == "slot":
            name, value = str(event.get("name")), event.get("value")
            if name == REQUESTED_SLOT:
                if value is None:
                    continue
                if value == slot and not progress:
                    times += 1
                else:
                    slot, times = value, 1
                progress = False
            else:
                if value is not None and values.get(name) != value:
                    progress = True
                values[name] = value
    return FormAsks(active_loop, slot, times) if slot else None


def signals_from_tracker(tracker: Mapping[str, Any]) -> ConversationSignals:
    """Turn a Rasa tracker (its JSON state with events) into :class:`ConversationSignals`."""
    events: Sequence[Mapping[str, Any]] = tracker.get("events") or []
    turns: list[UserTurn] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            turns.append(_turn(event))
        elif not turns:
            continue
        elif kind == "action" and event.get("name") != "action_listen":
            turns[-1] = _with(turns[-1], actions=(*turns[-1].actions, str(event.get("name"))))
        elif kind == "bot":
            custom = (event.get("data") or {}).get("custom")
            if isinstance(custom, Mapping):
                turns[-1] = _with(turns[-1], customs=(*turns[-1].customs, custom))
        elif kind == "slot":
            pair = (str(event.get("name")), event.get("value"))
            turns[-1] = _with(turns[-1], slots_set=(*turns[-1].slots_set, pair))
    active_loop = (tracker.get("active_loop") or {}).get("name")
    return ConversationSignals(
        turns=tuple(turns),
        slots=dict(tracker.get("slots") or {}),
        active_loop=active_loop,
        form_asks=_form_asks(events, active_loop),
        paused=bool(tracker.get("paused")),
    )
