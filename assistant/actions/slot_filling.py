"""Helpers shared by the form validation actions."""

from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker

from assistant import names
from assistant.actions.conversation import last_bot_action, latest_intent, latest_text, previous_value
from assistant.actions.parsing import ParseError

# Intents whose text may answer the form's question even when no entity was found.
ANSWER_INTENTS = frozenset({names.INTENT_INFORM, names.INTENT_NLU_FALLBACK})


def text_answer(tracker: Tracker, slot: str, parser: Callable[[str], Any]) -> dict[str, Any]:
    """Fill ``slot`` from the whole message when it answers the question just asked.

    Used when the entity extractor found nothing: the message must answer the slot the
    form requested, be an ``inform`` (or low-confidence) message that filled no other
    slot, and hold something ``parser`` recognises (a malformed value is passed on, so
    validation can say why).

    Returns:
        ``{slot: text}``, or ``{}`` to leave the slot alone.
    """
    if tracker.get_slot(names.SLOT_REQUESTED) != slot:
        return {}
    if tracker.slots_to_validate() or latest_intent(tracker) not in ANSWER_INTENTS:
        return {}  # an entity already filled something, or the message is about something else
    text = latest_text(tracker).strip()
    if not text or text.startswith("/"):
        return {}
    try:
        parser(text)
    except ParseError as error:
        if error.code == "missing":
            return {}
    return {slot: text}


def is_correction(tracker: Tracker, slot: str, new_value: Any) -> bool:
    """True when the customer changed an answer they gave earlier in the form.

    A form starting again after a sign-in checks the answers as given: no correction.
    """
    if tracker.get_slot(names.SLOT_REQUESTED) == slot or latest_intent(tracker) == names.INTENT_SIGNED_IN:
        return False
    old = previous_value(tracker, slot)
    return old is not None and str(old) != str(new_value)


def confirmation(tracker: Tracker, slot: str) -> dict[str, Any]:
    """Fill a form's yes / no slot from affirm or deny, when the form asked for it (and not
    when the customer answers "do you want to stop?" asked meanwhile)."""
    if tracker.get_slot(names.SLOT_REQUESTED) != slot:
        return {}
    if last_bot_action(tracker) == names.UTTER_ASK_CONFIRM_STOP:
        return {}
    intent = latest_intent(tracker)
    if intent == names.INTENT_AFFIRM:
        return {slot: True}
    if intent == names.INTENT_DENY:
        return {slot: False}
    return {}
