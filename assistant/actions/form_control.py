"""Leaving a form early: forget what it had collected."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant import names


class ActionCancelForm(Action):
    """Clear the slots of every form (run after ``action_deactivate_loop``)."""

    def name(self) -> str:
        return names.ACTION_CANCEL_FORM

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        slots = (*names.TRANSFER_SLOTS, *names.PAYMENT_SLOTS, *names.REPAYMENT_SLOTS, *names.GOAL_SLOTS,
                 names.SLOT_REQUESTED)
        return [SlotSet(slot, None) for slot in slots]
