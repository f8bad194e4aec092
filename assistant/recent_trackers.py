"""The trackers Rasa has just saved, held until the turn channel answers with their recent
state, so that nothing reads the tracker store a second time for the same turn.

Runs inside Rasa's environment: the tracker store (:mod:`assistant.tracker_store`) puts each
tracker it saves here, and the turn channel (:mod:`assistant.turn_channel`) takes it once the
message is handled.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from typing import Any, Generic, TypeVar

from rasa.shared.core.events import Event, Restarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

# Enough customer messages for every escalation trigger's window (the service's policy.yml
# reads at most the last few); the service fetches the whole tracker when a handoff opens.
RECENT_USER_TURNS = 12


T = TypeVar("T")


class Latest(Generic[T]):
    """The latest value put per conversation, at most ``size`` of them (oldest dropped); a
    value is taken once."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._values: OrderedDict[str, T] = OrderedDict()

    def put(self, sender_id: str, value: T) -> None:
        self._values[sender_id] = value
        self._values.move_to_end(sender_id)
        while len(self._values) > self._size:
            self._values.popitem(last=False)

    def take(self, sender_id: str) -> T | None:
        return self._values.pop(sender_id, None)

    def __len__(self) -> int:
        return len(self._values)


# A tracker saved outside a channel's turn (events appended through the HTTP API) is never
# taken; the bound keeps those from piling up.
SAVED: Latest[DialogueStateTracker] = Latest(1024)


def recent_events(tracker: DialogueStateTracker, user_turns: int = RECENT_USER_TURNS) -> list[Event]:
    """The events from the ``user_turns``-th last customer message on (none before a restart)."""
    tail: list[Event] = []
    seen = 0
    for event in reversed(tracker.events):
        if isinstance(event, Restarted):
            break
        tail.append(event)
        if isinstance(event, UserUttered):
            seen += 1
            if seen == user_turns:
                break
    tail.reverse()
    return tail


def recent_state(tracker: DialogueStateTracker, user_turns: int = RECENT_USER_TURNS) -> dict[str, Any]:
    """The tracker's state as ``GET /conversations/{id}/tracker`` gives it (slots, active form,
    paused), with only its recent events: the cost does not grow with the conversation."""
    return {
        "sender_id": tracker.sender_id,
        "slots": tracker.current_slot_values(),
        "active_loop": dataclasses.asdict(tracker.active_loop) if tracker.active_loop else {},
        "paused": tracker.is_paused(),
        "events": [event.as_dict() for event in recent_events(tracker, user_turns)],
    }
