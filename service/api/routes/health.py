"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy import text

from service.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health,
            responses={503: {"model": Health, "description": "Degraded: a dependency is down."}})
async def healthz(request: Request, response: Response) -> Health:
    """``ok`` when the database, Rasa and the action server answer; ``degraded`` (503) if not."""
    checks = await request.app.state.rasa.health()
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = True
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        checks["database"] = False
    healthy = all(checks.values())
    if not healthy:
        response.status_code = 503
    return Health(status="ok" if healthy else "degraded", checks=checks)
