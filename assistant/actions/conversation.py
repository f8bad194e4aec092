"""Reading the conversation: who the customer is, what the bot last did, what changed."""

from typing import Any

from rasa_sdk import Tracker

from assistant import names


def customer_id(tracker: Tracker) -> str | None:
    """The signed-in customer's id.

    Looked up in the ``customer_id`` slot (set by ``action_session_start``), then in the
    latest message's metadata, then in the session's start metadata: the front service
    sends ``{"customer_id": ...}`` as metadata with every message.
    """
    slot = tracker.get_slot(names.SLOT_CUSTOMER_ID)
    if slot:
        return str(slot)
    for metadata in (_latest_metadata(tracker), tracker.get_slot(names.SLOT_SESSION_STARTED_METADATA)):
        if isinstance(metadata, dict) and metadata.get("customer_id"):
            return str(metadata["customer_id"])
    return None


def _latest_metadata(tracker: Tracker) -> dict[str, Any] | None:
    metadata = tracker.latest_message.get("metadata") if tracker.latest_message else None
    if metadata:
        return metadata
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return event.get("metadata")
    return None


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
