"""Fan-out of new transcript messages to the WebSockets watching a conversation.

``MessageHub`` works inside one process. ``RedisMessageHub`` publishes through Redis, so a
socket held by one service worker sees the messages another worker stored. Messages are
already durable in the transcript store: the hub is only the fast path, and a socket that
sees a gap in the sequence numbers fills it from the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from typing import Any

import redis
from redis import asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
CHANNEL_PREFIX = "service:conversation:"


class MessageHub:
    """Each subscriber gets its own queue of every message published for its conversation."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    def subscribe(self, conversation_id: str) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._queues[conversation_id].add(queue)
        return queue

    def subscriber_count(self, conversation_id: str) -> int:
        """How many sockets of this worker follow the conversation."""
        return len(self._queues.get(conversation_id, ()))

    def unsubscribe(self, conversation_id: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._queues[conversation_id].discard(queue)
        if not self._queues[conversation_id]:
            del self._queues[conversation_id]

    def publish(self, conversation_id: str, message: dict[str, Any]) -> None:
        self.deliver_locally(conversation_id, message)

    def deliver_locally(self, conversation_id: str, message: dict[str, Any]) -> None:
        for queue in self._queues.get(conversation_id, ()):
            queue.put_nowait(message)

    async def start(self) -> None:
        """Start any background work (none in one process)."""

    async def aclose(self) -> None:
        """Stop any background work."""


class RedisMessageHub(MessageHub):
    """Publishes to a Redis channel per conversation; one listener per worker fans out."""

    def __init__(self, redis_url: str) -> None:
        super().__init__()
        self._publisher = redis.Redis.from_url(redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._redis_url = redis_url
        self._listener: asyncio.Task[None] | None = None

    def publish(self, conversation_id: str, message: dict[str, Any]) -> None:
        try:
            self._publisher.publish(CHANNEL_PREFIX + conversation_id, json.dumps(message))
        except RedisError:
            # Redis is down: this worker's sockets still get it; others fill the gap later.
            self.deliver_locally(conversation_id, message)

    async def start(self) -> None:
        self._listener = asyncio.create_task(self._listen_forever())

    async def aclose(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        self._publisher.close()

    async def _listen_forever(self) -> None:
        while True:
            client = aioredis.Redis.from_url(self._redis_url, socket_connect_timeout=0.5)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.psubscribe(CHANNEL_PREFIX + "*")
                    async for item in pubsub.listen():
                        if item.get("type") != "pmessage":
                            continue
                        channel = item["channel"].decode()
                        self.deliver_locally(channel[len(CHANNEL_PREFIX):], json.loads(item["data"]))
            except (RedisError, OSError) as exc:
                log.warning("message hub lost Redis (%s); retrying", type(exc).__name__)
                await asyncio.sleep(0.5)
            finally:
                with contextlib.suppress(Exception):
                    await client.aclose()
