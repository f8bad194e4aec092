"""Helpers for the tests on the running stack: a colleague driving the agent API."""

from __future__ import annotations

from typing import Any

import httpx

from service.staff.settings import LOCAL_DEMO_PASSWORD
from tests.support.chat import ChatClient


class Colleague:
    """A signed-in colleague using the agent API."""

    def __init__(self, api_url: str, username: str) -> None:
        self.http = httpx.Client(base_url=api_url, timeout=60)
        response = self.http.post(
            "/v1/staff/login", json={"username": username, "password": LOCAL_DEMO_PASSWORD}
        )
        assert response.status_code == 200, response.text
        self.token: str = response.json()["token"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def handoff_of(self, chat: ChatClient) -> dict[str, Any] | None:
        """The conversation's open handoff in the queue, if any."""
        queue = self.http.get("/v1/agents/queue").json()
        return next((h for h in queue if h["conversation_id"] == chat.id), None)

    def post(self, handoff_id: str, action: str, **body: Any) -> httpx.Response:
        return self.http.post(f"/v1/agents/handoffs/{handoff_id}/{action}", json=body or None)

    def packet(self, handoff_id: str) -> dict[str, Any]:
        return self.http.get(f"/v1/agents/handoffs/{handoff_id}").json()


def system_events(turn: dict[str, Any]) -> list[str]:
    """The handoff notices among a turn's replies (``queued``, ``waiting``, ...)."""
    return [
        r["custom"]["system"]["event"] for r in turn["replies"] if r.get("custom") and "system" in r["custom"]
    ]
