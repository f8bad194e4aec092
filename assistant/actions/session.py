"""Session start: remember the channel the conversation comes from (sent as metadata)."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant import names

CARRIED_OVER_SLOTS = (names.SLOT_CHANNEL,)


class ActionSessionStart(Action):
    """Start a session, copying ``channel`` from the start metadata.

    Only the channel is carried over from an earlier session; half-finished forms, pending
    actions and the customer are not. Who the customer is never comes from metadata as
    such: each account action checks the latest message's customer assertion.
    """

    def name(self) -> str:
        return names.ACTION_SESSION_START

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        metadata = tracker.get_slot(names.SLOT_SESSION_STARTED_METADATA) or {}
        for slot in CARRIED_OVER_SLOTS:
            value = metadata.get(slot) or tracker.get_slot(slot)
            if value:
                events.append(SlotSet(slot, str(value)))
        events.append(ActionExecuted(names.ACTION_LISTEN))
        return events
