"""Production hardening of the app in one call: secrets, logs, request ids, metrics,
security headers, CORS and rate limits.

``create_app`` calls :func:`install_hardening` after its routers and error handlers, so the
middleware added here wraps everything (outermost first): request id and access log,
security headers, CORS, rate limits, then the app's own.
"""

from __future__ import annotations

import os
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from privacy import PrivacySettings
from service import metrics
from service.errors_http import error_response
from service.logs import RequestIdMiddleware, configure_logging
from service.ratelimit import install_rate_limits
from service.secrets_check import PRODUCTION, ensure_production_secrets
from service.security_headers import install_security_headers
from service.settings import ServiceSettings
from service.staff.settings import StaffSettings

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
    staff_password = StaffSettings().demo_staff_password
    if staff_password is not None:
        env["SERVICE_DEMO_STAFF_PASSWORD"] = staff_password.get_secret_value()
    return env


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
    """Check the secrets (production), then add logs, metrics, headers and rate limits."""
    ensure_production_secrets(settings.environment, settings.database_url, secrets_in_effect())
    configure_logging(json=settings.log_json, level=settings.log_level)
    app.include_router(metrics.router)
    install_rate_limits(app, settings.rate_limit_per_token, settings.rate_limit_per_ip,
                        settings.rate_limit_storage_uri, settings.rate_limit_per_staff_token)
    install_security_headers(app, settings.environment == PRODUCTION, settings.cors_allowed_origins)
    app.add_middleware(RequestIdMiddleware)
    app.add_exception_handler(Exception, internal_error)
    metrics.count_errors_in_handlers(app)
    document_rate_limits(app)
