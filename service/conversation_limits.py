"""Limits on starting conversations and on the customer's WebSocket, counted in the same
storage as the HTTP rate limits (Redis with several workers).

HTTP requests pass the application-wide limits of ``service.ratelimit`` too; these add the
per-address limit on new conversations and the socket's own (handshakes per address,
messages per conversation), which the HTTP middleware never sees.
"""

from __future__ import annotations

import logging
import time

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from redis.exceptions import RedisError
from starlette.concurrency import run_in_threadpool

from service.settings import ServiceSettings

log = logging.getLogger(__name__)


class ConversationLimits:
    """Fixed-window counters for conversation starts, socket handshakes and socket messages."""

    def __init__(self, settings: ServiceSettings) -> None:
        self._blocking = not settings.rate_limit_storage_uri.startswith("memory://")
        self._window = FixedWindowRateLimiter(storage_from_string(settings.rate_limit_storage_uri))
        self.start = parse(settings.rate_limit_conversation_start_per_ip)
        self.handshake = parse(settings.rate_limit_socket_handshake_per_ip)
        self.message = parse(settings.rate_limit_socket_message_per_conversation)
        self.max_frame_bytes = settings.socket_max_frame_bytes
        self.sockets_per_conversation = settings.sockets_per_conversation

    async def allow(self, item: RateLimitItem, *keys: str) -> bool:
        """Count one hit; False once the limit is reached (an unreachable storage allows)."""
        try:
            if self._blocking:
                return bool(await run_in_threadpool(self._window.hit, item, "conversation", *keys))
            return self._window.hit(item, "conversation", *keys)
        except RedisError as exc:
            log.warning("rate limit storage unavailable (%s); not limited", type(exc).__name__)
            return True

    def retry_after_s(self, item: RateLimitItem, *keys: str) -> int:
        """Seconds until the window of ``item`` under ``keys`` resets (at least 1)."""
        try:
            reset_at, _ = self._window.get_window_stats(item, "conversation", *keys)
        except RedisError:
            return 1
        return max(1, int(reset_at - time.time()) + 1)
