"""What the bot's history keeps when a colleague hands a conversation back to the assistant
(the customer's texts are the policy's ``messages``)."""

from __future__ import annotations

from typing import Any


def summary_event(text: str) -> dict[str, Any]:
    """A bot utterance in Rasa's history only (never shown to the customer): what happened with
    a colleague. Rasa featurizes actions, intents, slots and forms, not bot texts, so it
    changes no prediction."""
    return {"event": "bot", "text": text, "metadata": {"handoff_summary": True}}
