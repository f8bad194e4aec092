"""Live feeds of the agent consoles (in-process): who is online, queue updates, and the
messages of the conversations each colleague has.

Each open console is an :class:`AgentConnection` with one outbox; the agent WebSocket sends
whatever lands there. A colleague watches a conversation by subscribing to the same
:class:`service.hub.MessageHub` the customer's socket uses, so both see the same messages
with the same sequence numbers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from typing import Any

from service.hub import MessageHub
from service.staff.roles import HANDLES_CONVERSATIONS
from service.staff.schemas import StaffPublic

Event = dict[str, Any]


class AgentConnection:
    """One open agent console."""

    def __init__(self, staff: StaffPublic, hub: MessageHub) -> None:
        self.staff = staff
        self.outbox: asyncio.Queue[Event] = asyncio.Queue()
        self._hub = hub
        self._watching: dict[str, asyncio.Task[None]] = {}

    def watch(self, conversation_id: str) -> None:
        if conversation_id in self._watching:
            return
        queue = self._hub.subscribe(conversation_id)
        self._watching[conversation_id] = asyncio.create_task(self._forward(conversation_id, queue))

    def unwatch(self, conversation_id: str) -> None:
        task = self._watching.pop(conversation_id, None)
        if task is not None:
            task.cancel()

    def close(self) -> None:
        for conversation_id in list(self._watching):
            self.unwatch(conversation_id)

    async def _forward(self, conversation_id: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        try:
            while True:
                message = await queue.get()
                if "type" in message:  # an event for the customer's client, not a message
                    continue
                self.outbox.put_nowait(
                    {"type": "message", "conversation_id": conversation_id, "message": message}
                )
        finally:
            with contextlib.suppress(KeyError):
                self._hub.unsubscribe(conversation_id, queue)


class AgentFeed:
    """The open agent consoles, by colleague."""

    def __init__(self, hub: MessageHub) -> None:
        self._hub = hub
        self._connections: dict[int, set[AgentConnection]] = defaultdict(set)

    def connect(self, staff: StaffPublic) -> AgentConnection:
        connection = AgentConnection(staff, self._hub)
        self._connections[staff.id].add(connection)
        return connection

    def disconnect(self, connection: AgentConnection) -> None:
        connection.close()
        self._connections[connection.staff.id].discard(connection)
        if not self._connections[connection.staff.id]:
            del self._connections[connection.staff.id]

    def is_online(self, staff_id: int) -> bool:
        return bool(self._connections.get(staff_id))

    def agents_online(self) -> int:
        """How many colleagues who can take conversations have a console open."""
        return sum(
            1
            for conns in self._connections.values()
            if conns and next(iter(conns)).staff.role in HANDLES_CONVERSATIONS
        )

    def online_ids(self) -> set[int]:
        return {staff_id for staff_id, conns in self._connections.items() if conns}

    def watch(self, staff_id: int, conversation_id: str) -> None:
        for connection in self._connections.get(staff_id, ()):
            connection.watch(conversation_id)

    def unwatch(self, staff_id: int, conversation_id: str) -> None:
        for connection in self._connections.get(staff_id, ()):
            connection.unwatch(conversation_id)

    def unwatch_all(self, conversation_id: str) -> None:
        for connections in self._connections.values():
            for connection in connections:
                connection.unwatch(conversation_id)

    def send_to(self, staff_id: int, event: Event) -> None:
        for connection in self._connections.get(staff_id, ()):
            connection.outbox.put_nowait(event)

    def broadcast(self, event: Event) -> None:
        for connections in self._connections.values():
            for connection in connections:
                connection.outbox.put_nowait(event)
