"""The OpenAPI document describes every public route and its error responses."""

from __future__ import annotations

import httpx
import pytest

from stack.processes import Stack

pytestmark = pytest.mark.stack


def test_openapi_lists_routes_and_errors(stack: Stack) -> None:
    spec = httpx.get(f"{stack.config.api_url}/openapi.json").json()
    paths = spec["paths"]
    assert set(paths) >= {"/v1/conversations", "/v1/conversations/{conversation_id}/messages",
                          "/v1/conversations/{conversation_id}", "/healthz"}
    send = paths["/v1/conversations/{conversation_id}/messages"]["post"]
    assert {"200", "401", "403", "404", "413", "422", "503"} <= set(send["responses"])
    assert "HTTPBearer" in spec["components"]["securitySchemes"]


def test_healthz_reports_each_dependency(stack: Stack) -> None:
    body = httpx.get(f"{stack.config.api_url}/healthz").json()
    assert body == {"status": "ok", "checks": {"rasa": True, "action_server": True, "database": True}}
