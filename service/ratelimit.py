"""Rate limits (slowapi): per bearer token (customers' and colleagues' apart) and per client
address, over all routes.

A refused request gets the project's JSON error (429, ``rate_limited``) and ``Retry-After``.
Tokens are counted under a hash, so the limiter's storage (Redis with several workers)
never holds a usable token. Health checks and metrics scrapes are not limited.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from redis.exceptions import RedisError
from slowapi import Limiter
from slowapi.errors import RateLimitExceeded
from slowapi.wrappers import LimitGroup
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from service.errors_http import error_response

UNLIMITED_PATHS = frozenset({"/healthz", "/metrics"})
CONVERSATION_PATHS = ("/v1/conversations",)  # where bearer tokens are customers' conversation tokens


def client_address(request: Request) -> str:
    """The peer address (behind a proxy, run uvicorn with ``--forwarded-allow-ips``)."""
    return request.client.host if request.client else "unknown"


def bearer_key(request: Request) -> str:
    """A hash of the request's bearer token (header, or ``?token=`` of a WebSocket)."""
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else ""
    return hashlib.sha256(token.encode()).hexdigest()[:32] if token else ""


def _unlimited(request: Request) -> bool:
    return request.url.path in UNLIMITED_PATHS


def _conversation_path(request: Request) -> bool:
    return request.url.path.startswith(CONVERSATION_PATHS)


def _not_a_customer_token(request: Request) -> bool:
    return _unlimited(request) or not bearer_key(request) or not _conversation_path(request)


def _not_a_staff_token(request: Request) -> bool:
    return _unlimited(request) or not bearer_key(request) or _conversation_path(request)


def build_limiter(per_token: str, per_ip: str, storage_uri: str = "memory://",
                  per_staff_token: str | None = None) -> Limiter:
    """A limiter holding the limits as application-wide limits, each under its own key: per
    address, per customer token (conversation routes), per staff token (everything else)."""
    limiter = Limiter(key_func=client_address, storage_uri=storage_uri, key_prefix="ratelimit",
                      strategy="fixed-window", in_memory_fallback_enabled=True)
    # slowapi keys every application limit by the limiter's one key function; the
    # per-token group is added with its own key function and skips token-less requests.
    limiter._application_limits = [
        LimitGroup(per_ip, client_address, "ip", False, None, None, _unlimited, 1, False),
        LimitGroup(per_token, bearer_key, "token", False, None, None, _not_a_customer_token, 1, False),
        LimitGroup(per_staff_token or per_token, bearer_key, "staff", False, None, None,
                   _not_a_staff_token, 1, False),
    ]
    return limiter


def retry_after_s(request: Request) -> int:
    """Seconds until the exceeded limit's window resets (at least 1)."""
    limiter: Limiter = request.scope["app"].state.limiter
    hit = getattr(request.state, "view_rate_limit", None)
    if hit is None:
        return 1
    limit, args = hit
    reset_at, _ = limiter.limiter.get_window_stats(limit, *args)
    return max(1, math.ceil(reset_at - time.time()))


async def too_many_requests(request: Request, exc: RateLimitExceeded) -> JSONResponse:
    """429 in the project's error shape, with ``Retry-After``."""
    wait = retry_after_s(request)
    return error_response(429, "rate_limited", "Too many requests. Please slow down.",
                          {"limit": str(exc.limit.limit) if exc.limit else "", "retry_after_s": wait},
                          headers={"Retry-After": str(wait)})


log = logging.getLogger(__name__)


class RateLimitMiddleware:
    """Checks both limits before the app sees a request.

    slowapi's own middleware finds the route first and skips requests it cannot match, and
    with FastAPI's included routers it matches none, so this one checks every HTTP request
    by its path (unknown paths count too: a scan is limited like any other traffic).
    """

    def __init__(self, app: ASGIApp, limiter: Limiter) -> None:
        self.app = app
        self.limiter = limiter
        self.blocking_storage = not (limiter._storage_uri or "memory://").startswith("memory://")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            if self.blocking_storage:  # Redis and the like: keep the event loop free
                await run_in_threadpool(self.limiter._check_request_limit, request, None, True)
            else:
                self.limiter._check_request_limit(request, None, True)
        except RateLimitExceeded as exc:
            handler = scope["app"].exception_handlers.get(RateLimitExceeded, too_many_requests)
            response = await handler(request, exc)
            await response(scope, receive, send)
            return
        except RedisError as exc:
            # The shared counters are unreachable (Redis restarting): serve the request rather
            # than fail it; limits resume with Redis.
            log.warning("rate limit storage unavailable (%s); request not limited", type(exc).__name__)
        await self.app(scope, receive, send)


def install_rate_limits(app: FastAPI, per_token: str, per_ip: str, storage_uri: str,
                        per_staff_token: str | None = None) -> Limiter:
    """Attach the limiter, its middleware and the 429 handler to ``app``."""
    limiter = build_limiter(per_token, per_ip, storage_uri, per_staff_token)
    app.state.limiter = limiter
    app.add_exception_handler(RateLimitExceeded, too_many_requests)  # type: ignore[arg-type]
    app.add_middleware(RateLimitMiddleware, limiter=limiter)
    return limiter
