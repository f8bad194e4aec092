"""Conversations of demo customers through the public API, signed in at the identity provider
the API names (``GET /web/config``): for tests, benchmarks and the journey simulator."""

from __future__ import annotations

import threading
import time
from typing import Any, Protocol

import httpx

from stack.identity_provider import customer_token

TOKEN_REUSE_S = 10.0  # a token is reused this long: fresh enough for the step-up rule
_tokens: dict[tuple[str, str], tuple[float, str]] = {}
_lock = threading.Lock()


class ApiClient(Protocol):
    """An HTTP client on the API's base URL (httpx's, or a test client)."""

    def get(self, url: str) -> Any: ...

    def post(self, url: str, *, json: Any = None, headers: dict[str, str] | None = None) -> Any: ...


def issuer_of(http: ApiClient) -> str:
    """The identity provider the API at ``http.base_url`` trusts."""
    response = http.get("/web/config")
    response.raise_for_status()
    return str(response.json()["issuer"])


def access_token(issuer: str, customer_id: str, fresh: bool = False) -> str:
    """A demo customer's access token (signed in within ``TOKEN_REUSE_S`` unless ``fresh``)."""
    key = (issuer, customer_id)
    with _lock:
        cached = _tokens.get(key)
        if not fresh and cached is not None and time.monotonic() - cached[0] < TOKEN_REUSE_S:
            return cached[1]
    token = customer_token(issuer, customer_id)
    with _lock:
        _tokens[key] = (time.monotonic(), token)
    return token


def login_headers(http: ApiClient, customer_id: str) -> dict[str, str]:
    """The ``Authorization`` header that starts a conversation as ``customer_id``."""
    return {"Authorization": f"Bearer {access_token(issuer_of(http), customer_id)}"}


def login_headers_at(api_url: str, customer_id: str) -> dict[str, str]:
    """``login_headers`` for the API at ``api_url`` (for async clients and other processes)."""
    with httpx.Client(base_url=api_url, timeout=30) as http:
        return login_headers(http, customer_id)


def start_conversation(http: ApiClient, customer_id: str | None, channel: str = "web") -> dict[str, Any]:
    """Start a conversation (signed in as ``customer_id``, or anonymous for None); the 201 body."""
    headers = login_headers(http, customer_id) if customer_id else {}
    response = http.post("/v1/conversations", json={"channel": channel}, headers=headers)
    if response.status_code != 201:
        raise RuntimeError(f"starting a conversation answered {response.status_code}: {response.text[:200]}")
    body: dict[str, Any] = response.json()
    return body
