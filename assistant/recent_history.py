"""The part of a conversation Rasa's policies predict from, and the part its action server is
sent: the last customer messages, after the slots and the form as they stood before them.

Rasa's policies rebuild their states from the conversation's first event on every prediction,
so each turn of a long conversation costs more than the one before. Yet they read only the
last few states: TED and memoization four (``max_history`` in config.yml), the rule policy as
many as its longest rule. Cut a few customer messages further back than that, with the slots
and the active form restored where the cut falls, a conversation gives them the same last
states and the cost of a prediction stops growing with its length.

The action server is sent the same recent turns in full and, before them, the customer's
earlier messages as text alone (the payment checks look for scam signals in every message of
the conversation): not every event of the conversation on each call, which made an action
call ten times slower after 500 turns than after a few.

Runs inside Rasa's environment; :mod:`assistant.rasa_server` puts it in front of the policies
and of the calls to the action server.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    Event,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

# Customer messages the policies see. Each brings at least two states (listening, then an
# answer), so twenty or more states: far more than max_history (4) and our longest rule.
POLICY_USER_TURNS = 10


def cut_index(events: list[Event], user_turns: int) -> int:
    """Where the ``user_turns``-th last customer message's turn begins in ``events`` (at the
    ``action_listen`` before it), or 0 when the conversation is not longer than that."""
    seen = 0
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            seen += 1
            if seen == user_turns:
                start = index
                while start > 0 and not isinstance(events[start - 1], ActionExecuted):
                    start -= 1
                return max(start - 1, 0)
    return 0


def state_before(events: list[Event], tracker: DialogueStateTracker) -> list[Event]:
    """Events that set the slots and the active form as ``events`` leave them, from the
    initial values of ``tracker``'s slots."""
    values: dict[str, Any] = {}
    loop: str | None = None
    for event in events:
        if isinstance(event, SlotSet):
            values[event.key] = event.value
        elif isinstance(event, AllSlotsReset):
            values = {}
        elif isinstance(event, ActiveLoop):
            loop = event.name
    restored: list[Event] = [
        SlotSet(name, value)
        for name, value in values.items()
        if name in tracker.slots and value != tracker.slots[name].initial_value
    ]
    if loop:
        restored.append(ActiveLoop(loop))
    return restored


def recent_tracker(
    tracker: DialogueStateTracker, user_turns: int = POLICY_USER_TURNS, earlier_texts: bool = False
) -> DialogueStateTracker:
    """``tracker`` itself when it holds ``user_turns`` customer messages or fewer; otherwise a
    new tracker of the slots and form as they stood before the last ``user_turns`` messages,
    then those messages' events; with ``earlier_texts``, the earlier customer messages come
    first, as their text alone."""
    if user_turns <= 0:
        return tracker
    events = tracker.applied_events()
    cut = cut_index(events, user_turns)
    if cut == 0:
        return tracker
    earlier: list[Event] = []
    if earlier_texts:
        earlier = [UserUttered(e.text) for e in events[:cut] if isinstance(e, UserUttered) and e.text]
    recent = tracker.init_copy()
    for event in earlier + state_before(events[:cut], tracker) + events[cut:]:
        recent.update(event)
    return recent
