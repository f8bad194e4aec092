"""Limits of the agent console's WebSocket, counted in the rate limiter's storage (Redis with
several workers): handshakes per client address, messages per colleague, the largest frame,
and how often a live socket rechecks the colleague's session (signed out or disabled: closed).
"""

from __future__ import annotations

import logging

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError
from starlette.concurrency import run_in_threadpool

from service.staff.settings import StaffSettings

log = logging.getLogger(__name__)
NAMESPACE = "staff-socket"


class StaffSocketGuard:
    """Moving-window counters and limits for the agent console socket.

    Args:
        settings: ``staff_socket_*`` limits.
        storage_uri: ``memory://`` (one process) or ``redis://...`` (shared by workers).
    """

    def __init__(self, settings: StaffSettings, storage_uri: str = "memory://") -> None:
        self._blocking = not storage_uri.startswith("memory://")
        self._window = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self.handshake = parse(settings.staff_socket_handshakes)
        self.message = parse(settings.staff_socket_messages)
        self.max_frame_bytes = settings.staff_socket_max_frame_bytes
        self.recheck_s = settings.staff_socket_recheck_s

    async def allow(self, item: RateLimitItem, *keys: str) -> bool:
        """Count one hit; False once the limit is reached (an unreachable storage allows)."""
        try:
            if self._blocking:
                return bool(await run_in_threadpool(self._window.hit, item, NAMESPACE, *keys))
            return self._window.hit(item, NAMESPACE, *keys)
        except RedisError as exc:
            log.warning("rate limit storage unavailable (%s); not limited", type(exc).__name__)
            return True
