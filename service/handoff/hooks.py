"""The two calls the conversation flow makes into the handoff (a Protocol, so the flow does
not depend on this package)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from service.models import Conversation


class TurnHooks(Protocol):
    async def relay_if_handed_off(
        self, conversation: Conversation, seq: int, typed: str | None = None
    ) -> bool:
        """If a colleague has the conversation, take customer message ``seq`` for them (it
        does not go to the bot) and return ``True``; ``typed`` is its text when the customer
        typed it (not a button)."""
        ...

    async def after_bot_turn(
        self, conversation: Conversation, seq: int, tracker: Mapping[str, Any] | None = None
    ) -> None:
        """Check the escalation triggers once the bot has answered message ``seq``;
        ``tracker`` is the conversation's recent state as the bot's answer carried it (read
        from Rasa when ``None``)."""
        ...
