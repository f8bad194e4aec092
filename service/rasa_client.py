"""Talks to the Rasa server over its HTTP API (REST channel) and to the action server's health."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from service.errors import BotUnavailable


@dataclass(frozen=True)
class BotReply:
    """One message the bot sent back: text, buttons and/or a custom payload."""

    text: str | None = None
    buttons: list[dict[str, str]] = field(default_factory=list)
    custom: dict[str, Any] | None = None

    @classmethod
    def from_rasa(cls, raw: dict[str, Any]) -> BotReply:
        buttons = [
            {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
            for b in raw.get("buttons") or []
        ]
        custom = raw.get("custom")
        if raw.get("image"):
            custom = {**(custom or {}), "image": raw["image"]}
        return cls(text=raw.get("text"), buttons=buttons, custom=custom)


class RasaClient:
    """Sends customer messages to Rasa's REST channel and checks that the bot can answer."""

    def __init__(
        self,
        rasa_url: str,
        action_server_url: str,
        timeout_s: float = 30.0,
        retry_after_s: int = 5,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self._rasa_url = rasa_url.rstrip("/")
        self._action_url = action_server_url.rstrip("/")
        self._retry_after_s = retry_after_s
        self._http = http or httpx.AsyncClient(timeout=timeout_s)
        self._healthy_until = 0.0

    async def aclose(self) -> None:
        await self._http.aclose()

    async def health(self) -> dict[str, bool]:
        """Whether Rasa (with a model loaded) and the action server answer their health checks."""
        return {
            "rasa": await self._ok(f"{self._rasa_url}/status"),
            "action_server": await self._ok(f"{self._action_url}/health"),
        }

    async def ensure_available(self) -> None:
        """Raise ``BotUnavailable`` unless both servers are up (a good answer is cached 1 s).

        Checked before a message goes to Rasa, so that a message is never half-processed by a
        bot whose action server is down.
        """
        if time.monotonic() < self._healthy_until:
            return
        checks = await self.health()
        down = [name for name, ok in checks.items() if not ok]
        if down:
            raise BotUnavailable(
                "The assistant is unavailable right now. Your message is kept and will be "
                "answered as soon as it is back; there is no need to send it again.",
                unavailable=down,
                retry_after_s=self._retry_after_s,
            )
        self._healthy_until = time.monotonic() + 1.0

    async def send(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> list[BotReply]:
        """Send one message and return the bot's replies; ``BotUnavailable`` if it cannot."""
        await self.ensure_available()
        try:
            response = await self._http.post(
                f"{self._rasa_url}/webhooks/rest/webhook",
                json={"sender": conversation_id, "message": text, "metadata": metadata},
            )
            response.raise_for_status()
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            self._healthy_until = 0.0
            raise BotUnavailable(
                "The assistant did not answer. Your message is kept and will be answered "
                "as soon as it is back.",
                retry_after_s=self._retry_after_s,
                cause=type(exc).__name__,
            ) from exc
        replies = [BotReply.from_rasa(item) for item in body if isinstance(item, dict)]
        if not replies:
            # Rasa answers with nothing when an action it ran failed: if the action server
            # went down meanwhile, keep the message pending rather than answer it with silence.
            self._healthy_until = 0.0
            await self.ensure_available()
        return replies

    async def _ok(self, url: str) -> bool:
        try:
            response = await self._http.get(url, timeout=3.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200
