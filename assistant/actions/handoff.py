"""Asking for a person: tell the customer and flag the handoff to the front service."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant import names

HANDOFF_REASON = "customer_request"


class ActionRequestHuman(Action):
    """Say a colleague will take over and emit ``{"handoff": {"reason": ...}}``."""

    def name(self) -> str:
        return names.ACTION_REQUEST_HUMAN

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(
            text=(
                "Of course. I'm passing you to one of my colleagues, who will take over this "
                "chat shortly. They'll be able to see our conversation so far."
            )
        )
        dispatcher.utter_message(json_message={"handoff": {"reason": HANDOFF_REASON}})
        return [SlotSet(names.SLOT_HANDOFF_REQUESTED, True)]
