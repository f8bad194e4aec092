"""Designed answers from the table, and "Did you mean ...?" when two intents are close.

``action_answer`` says the row of the latest intent (``assistant/answers.yml``), filled with
the bank's facts. ``action_clarify`` runs on ``nlu_fallback``: it says in English what the
assistant understands when the message looks like another language, that it answers only for
accounts with us when the message names another bank, offers the likeliest intents as buttons
when one is plausible, and asks to rephrase otherwise.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions import replies
from assistant.actions.language import looks_english
from assistant.actions.other_banks import other_bank
from assistant.answer_table import Row, load_table
from assistant.facts import render

logger = logging.getLogger(__name__)

CLARIFY_FLOOR = 0.12
"""A ranked intent at or above this confidence is worth offering as a meaning."""
CLARIFY_CHOICES = 3
NOT_OFFERED = frozenset({names.INTENT_NLU_FALLBACK, names.INTENT_SIGNED_IN, "out_of_scope", "inform",
                         "affirm", "deny", "stop"})
"""Intents never offered as a meaning: the service's own, and replies that mean nothing alone."""


SECOND_TOPIC_FLOOR = 0.2
"""A second intent this likely, in a message that joins two parts, is offered after the answer."""
_JOINED = re.compile(r"\b(and|also|plus|as well)\b|[;?.!]\s+\w", re.IGNORECASE)


def _latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def second_topic(tracker: Tracker, table: dict[str, Row]) -> tuple[str, Row] | None:
    """The other question of a message in two parts ("my card hasn't come and ..."), if the
    classifier saw one."""
    if not _JOINED.search(tracker.latest_message.get("text") or ""):
        return None
    first = _latest_intent(tracker)
    ranking = tracker.latest_message.get("intent_ranking") or []
    others = [(i, r) for i, r in choices(ranking, table, floor=SECOND_TOPIC_FLOOR) if i != first]
    return others[0] if others else None


class ActionAnswer(Action):
    """Say the designed answer of the latest intent."""

    def name(self) -> str:
        return names.ACTION_ANSWER

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = _latest_intent(tracker)
        table = load_table()
        row = table.get(intent or "")
        if row is None or row.text is None:
            logger.warning("no designed answer for intent %r", intent)
            dispatcher.utter_message(response=names.UTTER_REPHRASE)
            return []
        dispatcher.utter_message(text=render(row.text))
        other = second_topic(tracker, table)
        if other is not None:
            intent_2, row_2 = other
            dispatcher.utter_message(text=replies.ALSO_ASKED.format(label=row_2.label),
                                     buttons=[{"title": row_2.label, "payload": f"/{intent_2}"}])
        return []


def choices(
    ranking: list[dict[str, Any]], table: dict[str, Row], floor: float = CLARIFY_FLOOR
) -> list[tuple[str, Row]]:
    """The intents worth offering (at or above ``floor``), likeliest first."""
    offered = [
        (entry["name"], table[entry["name"]])
        for entry in ranking
        if entry.get("name") in table and entry["name"] not in NOT_OFFERED
        and float(entry.get("confidence") or 0.0) >= floor
    ]
    return offered[:CLARIFY_CHOICES]


class ActionClarify(Action):
    """Offer the likely meanings of an unclear message, or ask to rephrase."""

    def name(self) -> str:
        return names.ACTION_CLARIFY

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        if not looks_english(text):
            dispatcher.utter_message(text=replies.ENGLISH_ONLY, buttons=[
                {"title": "What can you do?", "payload": "/help"},
                {"title": "Speak to someone", "payload": f"/{names.INTENT_REQUEST_HUMAN}"},
            ])
            return []
        bank = other_bank(text)
        if bank is not None:
            dispatcher.utter_message(text=replies.OTHER_BANK.format(bank=bank))
            return []
        offered = choices(tracker.latest_message.get("intent_ranking") or [], load_table())
        if not offered:
            dispatcher.utter_message(response=names.UTTER_REPHRASE)
            return []
        dispatcher.utter_message(
            text=replies.DID_YOU_MEAN,
            buttons=[{"title": row.label, "payload": f"/{intent}"} for intent, row in offered],
        )
        return []
