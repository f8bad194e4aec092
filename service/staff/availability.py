"""Whether a colleague takes new conversations, and the skill every colleague has by default."""

from __future__ import annotations

from enum import StrEnum

# The skill of conversations that need no specialist, and of colleagues created without skills.
GENERAL = "general"
# Concurrent conversations of a colleague created without a limit of their own.
DEFAULT_MAX_CHATS = 3


class Availability(StrEnum):
    """A colleague's status: only ``available`` colleagues are offered new conversations."""

    AVAILABLE = "available"
    BUSY = "busy"
    AWAY = "away"
