"""The staff and agent API is documented in OpenAPI, and the console page is served."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_openapi_documents_staff_and_agent_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/v1/staff/login",
        "/v1/staff/me",
        "/v1/staff/logout",
        "/v1/agents/queue",
        "/v1/agents/colleagues",
        "/v1/agents/handoffs/{handoff_id}",
    ):
        assert path in paths, path
    for action in ("claim", "messages", "notes", "transfer", "resolve", "close"):
        operation = paths[f"/v1/agents/handoffs/{{handoff_id}}/{action}"]["post"]
        assert operation["description"] or operation["summary"]
        assert {"401", "403", "409"} <= set(operation["responses"])
    packet = spec["components"]["schemas"]["HandoffPacket"]["properties"]
    assert {
        "summary",
        "goal",
        "intents",
        "sentiment",
        "recommendations",
        "profile",
        "segment",
        "transcript",
        "notes",
    } <= set(packet)
    assert "StaffBearer" in spec["components"]["securitySchemes"]


def test_agent_console_page(client: TestClient) -> None:
    page = client.get("/agent")
    assert page.status_code == 200 and "Agent console" in page.text
    assert client.get("/static/agent.js").status_code == 200
