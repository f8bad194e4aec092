"""Buttons that several of the bot's answers offer."""

from typing import Any

from assistant import names

SPEAK_TO_SOMEONE: dict[str, Any] = {"title": "Speak to someone", "payload": f"/{names.INTENT_REQUEST_HUMAN}"}
HELP_BUTTONS: list[dict[str, Any]] = [SPEAK_TO_SOMEONE]
