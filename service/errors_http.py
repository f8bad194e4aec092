"""Turns every error into one JSON shape: ``{"error": {"code", "message", "details"}}``.

The service's own errors carry their status; the lower packages' errors are plain, and
``DOMAIN_STATUS`` gives each its HTTP status here.

Validation errors name the field and the problem but never echo the input, which may hold
personal data.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException

from journeys.errors import ExperimentError, GroupBelowK, InvalidFilter, JourneyError, UnknownExperiment
from service.errors import BotUnavailable, ServiceError

DOMAIN_STATUS: dict[type[JourneyError], int] = {
    GroupBelowK: 403,
    InvalidFilter: 422,
    ExperimentError: 422,
    UnknownExperiment: 404,
}


def domain_status(error: JourneyError) -> int:
    """The HTTP status of a lower package's error (its nearest listed class; 400 otherwise)."""
    for cls in type(error).__mro__:
        if cls in DOMAIN_STATUS:
            return DOMAIN_STATUS[cls]
    return 400


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message, "details": details or {}}},
        status_code=status, headers=headers,
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(_: Request, exc: ServiceError) -> JSONResponse:
        headers = None
        if isinstance(exc, BotUnavailable) or "retry_after_s" in exc.details:
            headers = {"Retry-After": str(exc.details.get("retry_after_s", 5))}
        return error_response(exc.status_code, exc.code, exc.message, exc.details, headers)

    @app.exception_handler(JourneyError)
    async def domain_error(_: Request, exc: JourneyError) -> JSONResponse:
        return error_response(domain_status(exc), exc.code, exc.message, exc.details)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(DisconnectionError)
    async def store_unavailable(_: Request, exc: Exception) -> JSONResponse:
        # The database is down or restarting: nothing was acknowledged, so a retry is safe.
        # The error's text may quote SQL parameters (personal data): only its type is kept.
        return error_response(503, "store_unavailable",
                              "Our systems are briefly unavailable. Please try again shortly.",
                              {"cause": type(exc).__name__, "retry_after_s": 5},
                              headers={"Retry-After": "5"})

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": ".".join(str(p) for p in err.get("loc", ())), "problem": err.get("msg", "")}
            for err in exc.errors()
        ]
        return error_response(422, "invalid_request", "The request is not valid.",
                              {"problems": problems})

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return error_response(exc.status_code, "http_error", str(exc.detail))
