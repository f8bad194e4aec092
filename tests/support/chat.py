"""A small client for driving conversations through the API in tests."""

from __future__ import annotations

from typing import Any

import httpx

from stack.customer_sessions import start_conversation


class ChatClient:
    """One customer's conversation through the public API."""

    def __init__(self, api_url: str, customer_id: str | None = "cus_001", channel: str = "web") -> None:
        """Start a conversation signed in as ``customer_id`` at the API's identity provider
        (None: anonymous)."""
        self.http = httpx.Client(base_url=api_url, timeout=60)
        body = start_conversation(self.http, customer_id, channel)
        self.id: str = body["id"]
        self.token: str = body["token"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def send(self, text: str, payload: str | None = None, **extra: Any) -> dict[str, Any]:
        response = self.http.post(f"/v1/conversations/{self.id}/messages",
                                  json={"text": text, "payload": payload, **extra})
        assert response.status_code == 200, response.text
        return response.json()

    def say(self, text: str) -> str:
        """Send text; return the bot's replies joined into one lower-case string."""
        return " ".join(r["text"] or "" for r in self.send(text)["replies"]).lower()

    def click(self, turn: dict[str, Any], title_part: str) -> dict[str, Any]:
        """Click the first offered button whose title contains ``title_part``."""
        button = button_like(turn, title_part)
        return self.send(button["title"], payload=button["payload"])

    def transcript(self) -> dict[str, Any]:
        return self.http.get(f"/v1/conversations/{self.id}").json()


def button_like(turn: dict[str, Any], title_part: str) -> dict[str, str]:
    """The first button of a turn's replies whose title contains ``title_part``."""
    for reply in turn["replies"]:
        for button in reply["buttons"]:
            if title_part.lower() in button["title"].lower():
                return button
    raise AssertionError(f"no button like {title_part!r} in {turn['replies']}")
