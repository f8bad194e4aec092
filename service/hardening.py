"""Production hardening of the app in one call: secrets, staff, logs, request ids, metrics,
documentation, health checks, security headers, CORS and rate limits.

``create_app`` calls :func:`install_hardening` after its routers and error handlers, so the
middleware added here wraps everything (outermost first): request id and access log,
security headers, CORS, rate limits, then the app's own.

In production (``SERVICE_ENVIRONMENT`` production or prod) the app refuses to start on a bad
secret or a staff table with demo colleagues or local passwords, and the public port has no
``/docs``, ``/redoc``, ``/openapi.json`` or ``/metrics``: metrics are served on the internal
``SERVICE_METRICS_HOST:SERVICE_METRICS_PORT`` only. Local environments keep all four on the
public port (and the internal port too where it is set).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import sessionmaker

from database.engine import get_engine
from privacy import PrivacySettings
from service import metrics
from service.api.routes.health import HealthChecks
from service.errors_http import error_response
from service.logs import RequestIdMiddleware, configure_logging
from service.ratelimit import install_rate_limits
from service.secrets_check import ensure_production_secrets, is_production
from service.security_headers import install_security_headers
from service.settings import ServiceSettings
from service.staff.production import ensure_production_staff

log = logging.getLogger(__name__)

RATE_LIMITED: dict[str, Any] = {
    "description": "Too many requests (see Retry-After).",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
}


def secrets_in_effect() -> dict[str, str]:
    """The environment, with the secrets as the settings classes read them (``.env`` too)."""
    env = dict(os.environ)
    vault_key = PrivacySettings().vault_key
    if vault_key is not None:
        env["PRIVACY_VAULT_KEY"] = vault_key.get_secret_value()
    return env


def check_production_staff(settings: ServiceSettings) -> None:
    """Refuse production with demo colleagues or local staff passwords in its database."""
    engine = get_engine(settings.database_url)
    try:
        ensure_production_staff(settings.environment, sessionmaker(engine))
    finally:
        engine.dispose()


def close_public_docs(app: FastAPI) -> None:
    """Remove ``/docs``, ``/redoc`` and ``/openapi.json`` (and Swagger's OAuth redirect)."""
    paths = {app.openapi_url, app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url}
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) not in paths]
    app.openapi_url = app.docs_url = app.redoc_url = app.swagger_ui_oauth2_redirect_url = None


def serve_internal_metrics(app: FastAPI, host: str, port: int) -> None:
    """Serve ``/metrics`` on ``host:port`` while the app runs (wraps its lifespan)."""
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        async with inner(application) as state:
            server = metrics.InternalMetricsServer(host, port, lambda: getattr(app.state, "sessions", None))
            server.start()
            app.state.metrics_server = server
            try:
                yield state
            finally:
                server.stop()

    app.router.lifespan_context = lifespan


def document_rate_limits(app: FastAPI) -> None:
    """Every documented operation may answer 429 (added to the generated OpenAPI document)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                if isinstance(operation, dict) and "responses" in operation:
                    operation["responses"].setdefault("429", RATE_LIMITED)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    """An unexpected failure: the project's error shape, with the request id to quote."""
    request_id = request.scope.get("state", {}).get("request_id")
    return error_response(500, "internal_error", "Something went wrong on our side.",
                          {"request_id": request_id})


def install_hardening(app: FastAPI, settings: ServiceSettings) -> None:
    """Check the secrets and staff (production), then add logs, metrics, documentation,
    health checks, headers and rate limits."""
    production = is_production(settings.environment)
    ensure_production_secrets(settings.environment, settings.database_url, secrets_in_effect())
    if production:
        check_production_staff(settings)
    configure_logging(json=settings.log_json, level=settings.log_level)
    if production:
        close_public_docs(app)
        if settings.metrics_port is None:
            log.warning("SERVICE_METRICS_PORT is not set: metrics are not served")
    else:
        app.include_router(metrics.router)
    if settings.metrics_port is not None:
        serve_internal_metrics(app, settings.metrics_host, settings.metrics_port)
    app.state.health_checks = HealthChecks(settings.health_cache_s)
    install_rate_limits(app, settings.rate_limit_per_token, settings.rate_limit_per_ip,
                        settings.rate_limit_storage_uri, settings.rate_limit_per_staff_token)
    install_security_headers(app, production, settings.cors_allowed_origins)
    app.add_middleware(RequestIdMiddleware)
    app.add_exception_handler(Exception, internal_error)
    metrics.count_errors_in_handlers(app)
    document_rate_limits(app)
