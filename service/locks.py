"""One turn at a time per conversation: an asyncio lock in one process, a Redis lock across
several service workers."""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Protocol

from redis import asyncio as aioredis
from redis.exceptions import LockError, RedisError

from service.errors import BotUnavailable


class ConversationLocks(Protocol):
    """Serialises the turns of one conversation."""

    def hold(self, conversation_id: str) -> contextlib.AbstractAsyncContextManager[None]:
        """Hold the conversation's lock for the duration of a ``with`` block."""

    async def is_held(self, conversation_id: str) -> bool:
        """Whether some worker holds the lock now."""


class LocalLocks:
    """Locks of one process (the embedded profile's single API worker)."""

    def __init__(self) -> None:
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    def hold(self, conversation_id: str) -> contextlib.AbstractAsyncContextManager[None]:
        return self._held(conversation_id)

    @contextlib.asynccontextmanager
    async def _held(self, conversation_id: str) -> AsyncIterator[None]:
        async with self._locks[conversation_id]:
            yield

    async def is_held(self, conversation_id: str) -> bool:
        return self._locks[conversation_id].locked()


class RedisLocks:
    """Leased Redis locks shared by every service worker.

    A worker that dies holding a lock loses it after ``lease_s``; a worker that cannot reach
    Redis answers ``BotUnavailable`` (the message stays pending and is answered later).
    """

    def __init__(self, redis: aioredis.Redis, lease_s: float, wait_s: float, retry_after_s: int) -> None:
        self._redis = redis
        self._lease_s = lease_s
        self._wait_s = wait_s
        self._retry_after_s = retry_after_s

    def hold(self, conversation_id: str) -> contextlib.AbstractAsyncContextManager[None]:
        return self._held(conversation_id)

    @contextlib.asynccontextmanager
    async def _held(self, conversation_id: str) -> AsyncIterator[None]:
        lock = self._redis.lock(self._key(conversation_id), timeout=self._lease_s,
                                blocking_timeout=self._wait_s)
        try:
            acquired = await lock.acquire()
        except RedisError as exc:
            raise self._unavailable(type(exc).__name__) from exc
        if not acquired:
            raise self._unavailable("lock_busy")
        try:
            yield
        finally:
            with contextlib.suppress(LockError, RedisError):
                await lock.release()

    async def is_held(self, conversation_id: str) -> bool:
        try:
            return bool(await self._redis.exists(self._key(conversation_id)))
        except RedisError:
            return True  # unknown: let the caller skip it this round

    @staticmethod
    def _key(conversation_id: str) -> str:
        return f"service:turn-lock:{conversation_id}"

    def _unavailable(self, cause: str) -> BotUnavailable:
        return BotUnavailable(
            "The assistant is busy or unavailable right now. Your message is kept and will be "
            "answered as soon as it can be; there is no need to send it again.",
            retry_after_s=self._retry_after_s, cause=cause,
        )
