"""Failed sign-ins counted per username and per client address, in a moving window.

Past either limit every attempt of that username, or from that address, is refused with 429
and ``Retry-After`` before any password is checked, the right one included, until the oldest
failure leaves the window; a successful sign-in clears its username's count (not the
address's). Counts live in the rate limiter's storage (Redis with several workers), under a
hash of the username. If that storage is unreachable, sign-ins are not throttled (logged),
as for the other rate limits.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError

from service.staff.errors import SignInThrottled

log = logging.getLogger(__name__)
NAMESPACE = "staff-sign-in"


def _username_key(username: str) -> str:
    return hashlib.sha256(username.encode()).hexdigest()[:32]


class SignInThrottle:
    """Counts failed sign-ins and refuses attempts past the limits.

    Args:
        per_username: failures allowed per username (``limits`` notation, ``"5/minute"``).
        per_address: failures allowed per client address.
        storage_uri: ``memory://`` (one process) or ``redis://...`` (shared by workers).
    """

    def __init__(self, per_username: str, per_address: str, storage_uri: str = "memory://") -> None:
        self._per_username = parse(per_username)
        self._per_address = parse(per_address)
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def _counters(self, username: str | None, address: str) -> list[tuple[RateLimitItem, str, str]]:
        counters = [(self._per_address, "address", address)]
        if username is not None:
            counters.append((self._per_username, "username", _username_key(username)))
        return counters

    def check(self, username: str | None, address: str) -> None:
        """Raise ``SignInThrottled`` if this username or address is over its limit."""
        try:
            for item, kind, key in self._counters(username, address):
                if not self._limiter.test(item, NAMESPACE, kind, key):
                    reset_at = self._limiter.get_window_stats(item, NAMESPACE, kind, key).reset_time
                    wait = max(1, math.ceil(reset_at - time.time()))
                    raise SignInThrottled(
                        "Too many failed sign-ins. Please wait before trying again.",
                        retry_after_s=wait,
                    )
        except RedisError as exc:
            log.warning("sign-in throttle storage unavailable (%s); not throttled", type(exc).__name__)

    def failed(self, username: str | None, address: str) -> None:
        """Count one failed sign-in of ``username`` (None when unknown) from ``address``."""
        try:
            for item, kind, key in self._counters(username, address):
                self._limiter.hit(item, NAMESPACE, kind, key)
        except RedisError as exc:
            log.warning("sign-in throttle storage unavailable (%s); not counted", type(exc).__name__)

    def succeeded(self, username: str) -> None:
        """Forget the username's failures after a successful sign-in."""
        try:
            self._limiter.clear(self._per_username, NAMESPACE, "username", _username_key(username))
        except RedisError as exc:
            log.warning("sign-in throttle storage unavailable (%s)", type(exc).__name__)
