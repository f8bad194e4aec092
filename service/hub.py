"""In-process fan-out of new transcript messages to the WebSockets watching a conversation."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any


class MessageHub:
    """Each subscriber gets its own queue of every message published for its conversation."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    def subscribe(self, conversation_id: str) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._queues[conversation_id].add(queue)
        return queue

    def unsubscribe(self, conversation_id: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._queues[conversation_id].discard(queue)
        if not self._queues[conversation_id]:
            del self._queues[conversation_id]

    def publish(self, conversation_id: str, message: dict[str, Any]) -> None:
        for queue in self._queues.get(conversation_id, ()):
            queue.put_nowait(message)
