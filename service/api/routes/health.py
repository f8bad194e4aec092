"""Liveness and readiness: ``/healthz``, cheap under a flood.

The dependency checks (database, Rasa, action server) run at most once per
``SERVICE_HEALTH_CACHE_S``: every other request in that time answers from the last result,
and requests arriving while a check runs wait for that one instead of starting their own.
"""

from __future__ import annotations

import asyncio
import time

from fastapi import APIRouter, FastAPI, Request, Response
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from service.schemas import Health

router = APIRouter(tags=["health"])
DEFAULT_CACHE_S = 2.0


def _database_answers(app: FastAPI) -> bool:
    try:
        with app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        return False


class HealthChecks:
    """The dependency checks, cached for ``ttl_s`` seconds and run one at a time."""

    def __init__(self, ttl_s: float = DEFAULT_CACHE_S) -> None:
        self._ttl_s = ttl_s
        self._checks: dict[str, bool] | None = None
        self._checked_at = 0.0
        self._locks: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}
        self.runs = 0  # how many times the dependencies were checked

    def _fresh(self) -> dict[str, bool] | None:
        if self._checks is not None and time.monotonic() - self._checked_at < self._ttl_s:
            return dict(self._checks)
        return None

    async def current(self, app: FastAPI) -> dict[str, bool]:
        """The checks' last result, or a new one when it is older than the TTL."""
        cached = self._fresh()
        if cached is not None:
            return cached
        lock = self._locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())
        async with lock:
            cached = self._fresh()
            if cached is not None:
                return cached
            checks = await app.state.rasa.health()
            checks["database"] = await run_in_threadpool(_database_answers, app)
            self.runs += 1
            self._checks, self._checked_at = checks, time.monotonic()
            return dict(checks)


def health_checks(app: FastAPI) -> HealthChecks:
    """The app's cached checks (``app.state.health_checks``, made with the default TTL if absent)."""
    if not hasattr(app.state, "health_checks"):
        app.state.health_checks = HealthChecks()
    checks: HealthChecks = app.state.health_checks
    return checks


@router.get("/healthz", response_model=Health,
            responses={503: {"model": Health, "description": "Degraded: a dependency is down."}})
async def healthz(request: Request, response: Response) -> Health:
    """``ok`` when the database, Rasa and the action server answer; ``degraded`` (503) if not.
    The result may be up to ``SERVICE_HEALTH_CACHE_S`` old."""
    checks = await health_checks(request.app).current(request.app)
    healthy = all(checks.values())
    if not healthy:
        response.status_code = 503
    return Health(status="ok" if healthy else "degraded", checks=checks)
