"""Asking the customer to sign in, or to sign in again (step-up), and remembering what to
resume afterwards.

Both requests are a short text and a custom payload the web page and the app act on:
``{"type": "sign_in_required"}`` while the conversation is anonymous, and
``{"type": "step_up_required", "max_age": ..., "acr_values": ...}`` when a sensitive action
needs a more recent login. ``pending_action`` names the action (or form) that
``action_resume_pending`` runs again when the service reports the sign-in (``/signed_in``).
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.trust import get_checker

SIGN_IN_TEXT = (
    "To help with your accounts I need to know it's you. Please sign in, and I'll carry on from here."
)
STEP_UP_TEXT = (
    "For your security, please confirm it's you by signing in again. "
    "Nothing has been changed yet: I'll carry on as soon as you have."
)
SIGNED_IN_TEXT = "You're signed in."
REQUESTS = frozenset({names.PAYLOAD_SIGN_IN_REQUIRED, names.PAYLOAD_STEP_UP_REQUIRED})


def asked_this_turn(tracker: Tracker) -> bool:
    """Whether the bot already asked for a sign-in or step-up since the latest user message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot":
            custom = (event.get("data") or {}).get("custom")
            if isinstance(custom, dict) and custom.get("type") in REQUESTS:
                return True
    return False


def ask_to_sign_in(
    dispatcher: CollectingDispatcher, tracker: Tracker, pending: str | None
) -> list[EventType]:
    """Ask an anonymous customer to sign in (once a turn); remember ``pending`` if given."""
    if asked_this_turn(tracker):
        return []
    dispatcher.utter_message(text=SIGN_IN_TEXT, json_message={"type": names.PAYLOAD_SIGN_IN_REQUIRED})
    return [SlotSet(names.SLOT_PENDING_ACTION, pending)] if pending else []


def ask_to_step_up(
    dispatcher: CollectingDispatcher, tracker: Tracker, pending: str
) -> list[EventType]:
    """Ask a signed-in customer for a more recent login before a sensitive action."""
    if asked_this_turn(tracker):
        return []
    settings = get_checker().settings
    dispatcher.utter_message(
        text=STEP_UP_TEXT,
        json_message={
            "type": names.PAYLOAD_STEP_UP_REQUIRED,
            "max_age": settings.step_up_max_age_s,
            "acr_values": settings.step_up_acr,
        },
    )
    return [SlotSet(names.SLOT_PENDING_ACTION, pending)]
