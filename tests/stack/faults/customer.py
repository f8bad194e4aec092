"""A customer who retries like the app does, and an audit of what reached the transcript."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from stack.customer_sessions import login_headers
from tests.support.chat import button_like

DELIVERED = ("answered", "relayed")  # answered by the bot, or passed to a colleague


@dataclass
class Ledger:
    """What one customer sent and what became of it."""

    sent: int = 0
    answered: int = 0
    lost: int = 0
    duplicated: int = 0
    unavailable_answers: int = 0  # 503s seen (each with a Retry-After) before success
    missing: tuple[str, ...] = ()  # sent texts not found in the transcript (for the report)
    stored: tuple[str, ...] = ()  # the customer's messages as the transcript has them


class RetryingCustomer:
    """Sends each message with a client message id and retries it until it is answered."""

    def __init__(self, api_url: str, customer_id: str, deadline_s: float = 120) -> None:
        self.http = httpx.Client(base_url=api_url, timeout=30)
        self.deadline_s = deadline_s
        self.ledger = Ledger()
        self.texts: list[str] = []
        body = self._until_ok("POST", "/v1/conversations", {"channel": "web"},
                              self._signed_in(customer_id)).json()
        self.id, self.token = body["id"], body["token"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def send(self, text: str, payload: str | None = None) -> dict[str, Any]:
        """Send until answered; return the turn."""
        self.ledger.sent += 1
        self.texts.append(text)
        body = {"text": text, "payload": payload, "client_message_id": uuid.uuid4().hex}
        return self._until_ok("POST", f"/v1/conversations/{self.id}/messages", body).json()

    def say(self, text: str) -> str:
        return " ".join(r["text"] or "" for r in self.send(text)["replies"]).lower()

    def click(self, turn: dict[str, Any], title_part: str) -> dict[str, Any]:
        button = button_like(turn, title_part)
        return self.send(button["title"], payload=button["payload"])

    def transcript_messages(self) -> list[dict[str, Any]]:
        return self._until_ok("GET", f"/v1/conversations/{self.id}", None).json()["messages"]

    def audit_unordered(self, wait_s: float = 60) -> Ledger:
        """``audit`` for messages sent at once: the order they were stored in is free."""
        stored = [m["text"] for m in self.transcript_messages() if m["sender"] == "user"]
        self.texts.sort(key=lambda t: stored.index(t) if t in stored else len(stored))
        return self.audit(wait_s)

    def audit(self, wait_s: float = 60) -> Ledger:
        """Compare the transcript with what was sent: every message once, in order, answered."""
        deadline = time.monotonic() + wait_s
        while True:
            messages = self._until_ok("GET", f"/v1/conversations/{self.id}", None).json()["messages"]
            users = [m for m in messages if m["sender"] == "user"]
            if all(m["status"] in DELIVERED for m in users) or time.monotonic() > deadline:
                break
            time.sleep(1)
        texts = [m["text"] for m in users]
        self.ledger.answered = sum(m["status"] in DELIVERED for m in users)
        self.ledger.duplicated = max(0, len(users) - len(self.texts))
        self.ledger.missing = tuple(t for t in self.texts if t not in texts)
        self.ledger.stored = tuple(texts)
        self.ledger.lost = len(self.ledger.missing) + sum(m["status"] not in DELIVERED for m in users)
        assert texts == self.texts or self.ledger.duplicated or self.ledger.lost, texts
        return self.ledger

    def _signed_in(self, customer_id: str) -> dict[str, str]:
        """The customer's login headers, retried while the API is unreachable."""
        deadline = time.monotonic() + self.deadline_s
        while True:
            try:
                return login_headers(self.http, customer_id)
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1.0)

    def _until_ok(self, method: str, url: str, body: dict[str, Any] | None,
                  headers: dict[str, str] | None = None) -> httpx.Response:
        deadline = time.monotonic() + self.deadline_s
        while True:
            try:
                response = self.http.request(method, url, json=body, headers=headers)
            except httpx.TransportError:
                response = None
            if response is not None and response.status_code < 300:
                return response
            if response is not None:
                assert response.status_code in (429, 503), response.text
                assert response.headers.get("Retry-After"), "a 503 or 429 says when to retry"
                self.ledger.unavailable_answers += 1
            if time.monotonic() > deadline:
                raise AssertionError(f"{method} {url} not answered within {self.deadline_s} s")
            time.sleep(1.0)
