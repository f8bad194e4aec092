"""Security headers on every HTTP response, and CORS for the origins the settings allow.

The pages in ``service/web/static`` load only their own scripts and stylesheets and talk
to this origin over fetch and WebSocket, so the policy allows ``'self'`` and nothing inline;
the web chat also fetches the identity provider's discovery document and redeems its sign-in
code at the provider's token endpoint, so ``connect-src`` names the provider's origin too.
FastAPI's ``/docs`` and ``/redoc`` load Swagger UI and ReDoc from a CDN with an inline
bootstrap script, so they get a looser policy of their own.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from identity.settings import IdentitySettings


def page_policy(provider_origin: str | None = None) -> str:
    """The pages' policy: this origin only, plus fetches to the identity provider's origin."""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'" + (f" {provider_origin}" if provider_origin else ""),
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])
DOCS_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com",
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly",
    "font-src 'self' https://fonts.gstatic.com",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])
DOCS_PATHS = ("/docs", "/redoc")
HSTS = "max-age=63072000; includeSubDomains"


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url`` (what a CSP source names)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def security_headers(path: str, production: bool, provider_origin: str | None = None) -> dict[str, str]:
    """The headers every response to ``path`` carries."""
    policy = DOCS_POLICY if path.startswith(DOCS_PATHS) else page_policy(provider_origin)
    headers = {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }
    if production:
        headers["Strict-Transport-Security"] = HSTS
    return headers


class SecurityHeadersMiddleware:
    """ASGI middleware adding :func:`security_headers` (without replacing ones a route set)."""

    def __init__(self, app: ASGIApp, production: bool = False, provider_origin: str | None = None) -> None:
        self.app = app
        self.production = production
        self.provider_origin = provider_origin

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope.get("path", ""), self.production, self.provider_origin)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


def install_security_headers(
    app: FastAPI, production: bool, cors_origins: list[str], provider_origin: str | None = None,
) -> None:
    """CORS (only when origins are configured) inside the security headers middleware.

    ``provider_origin`` (by default the origin of ``IdentitySettings().issuer``) is the one
    other origin the pages may fetch from.
    """
    if provider_origin is None:
        provider_origin = origin_of(IdentitySettings().issuer)
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"],
            expose_headers=["Retry-After", "X-Request-ID"],
            max_age=600,
        )
    app.add_middleware(SecurityHeadersMiddleware, production=production, provider_origin=provider_origin)
