"""Reading the conversation: who the customer is (verified), what the bot last did, what changed."""

from typing import Any

from rasa_sdk import Tracker

from assistant import names
from assistant.actions.trust import get_checker
from identity.assertion import METADATA_KEY, CustomerAssertion


def customer_assertion(tracker: Tracker, action: str = "") -> CustomerAssertion | None:
    """The verified customer assertion of the latest user message, or None.

    Only the assertion the front service signed into this message's metadata for this
    conversation (``tracker.sender_id``) counts: slots, other metadata fields and earlier
    messages are never read. None means anonymous; a refused assertion is logged with the
    reason and ``action`` and also gives None.
    """
    metadata = _latest_metadata(tracker)
    token = metadata.get(METADATA_KEY) if metadata else None
    return get_checker().verify(token, tracker.sender_id, action or "an action")


def customer_id(tracker: Tracker, action: str = "") -> str | None:
    """The signed-in customer's id, from a valid assertion only (None while anonymous)."""
    assertion = customer_assertion(tracker, action)
    return assertion.customer_id if assertion else None


def _latest_metadata(tracker: Tracker) -> dict[str, Any] | None:
    """The metadata of the latest user message (Rasa keeps it in the parse data and the event)."""
    latest = tracker.latest_message or {}
    metadata = latest.get("metadata")
    if isinstance(metadata, dict) and metadata.get(METADATA_KEY):
        return metadata
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            found = event.get("metadata")
            return found if isinstance(found, dict) else None
    return metadata if isinstance(metadata, dict) else None


def last_bot_action(tracker: Tracker) -> str | None:
    """The last action the bot ran before the latest user message (listen excluded)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "action":
            name = event.get("name")
            if name != names.ACTION_LISTEN:
                return name
    return None


def previous_value(tracker: Tracker, slot: str) -> Any:
    """The value ``slot`` had before the latest user message (None if never set)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return None


def latest_intent(tracker: Tracker) -> str | None:
    """The intent of the latest user message."""
    return (tracker.latest_message or {}).get("intent", {}).get("name")


def latest_text(tracker: Tracker) -> str:
    """The text of the latest user message ("" for none)."""
    return (tracker.latest_message or {}).get("text") or ""


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    """Values of ``entity`` in the latest message, whatever their role."""
    entities = (tracker.latest_message or {}).get("entities") or []
    return [str(e["value"]) for e in entities if e.get("entity") == entity and e.get("value")]


def confirms_offer(tracker: Tracker, offer_slot: str) -> bool:
    """A yes to the offer held in ``offer_slot``, or the sign-in again (step-up) that such a
    yes asked for."""
    if not tracker.get_slot(offer_slot):
        return False
    return latest_intent(tracker) in (names.INTENT_AFFIRM, names.INTENT_SIGNED_IN)
