"""Talks to the Rasa server over its HTTP API (the turn channel) and to the action server's
health.

Rasa's HTTP API (``/status``, trackers, the model) requires the token Rasa was started with
(``rasa run --auth-token``), sent as the ``token`` query parameter; its channels
(``/webhooks/turn/webhook``, assistant/turn_channel.py) do not check it.
"""

from __future__ import annotations

import re
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import SecretStr

from service.errors import BotUnavailable
from service.logs import current_request_id


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


@dataclass(frozen=True)
class BotTurn:
    """What one customer message got from the bot.

    Attributes:
        replies: The bot's messages.
        tracker: The conversation's state after the turn, with the events of its last few
            messages (the shape of Rasa's tracker JSON); ``None`` when Rasa saved none.
        stages: Seconds Rasa spent per stage of its own (graph nodes, tracker load and
            save, actions); only well-formed names and values are kept.
    """

    replies: list[BotReply]
    tracker: dict[str, Any] | None = None
    stages: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_rasa(cls, body: Any) -> BotTurn:
        """From the turn channel's answer (``{"messages", "tracker"}``) or the REST
        channel's (a list of messages)."""
        if not isinstance(body, dict):
            body = {"messages": body}
        tracker = body.get("tracker")
        return cls(
            replies=[BotReply.from_rasa(m) for m in body.get("messages") or [] if isinstance(m, dict)],
            tracker=tracker if isinstance(tracker, dict) else None,
            stages=_stages(body.get("stages")),
        )


_STAGE_NAME = re.compile(r"[A-Za-z0-9_.]{1,64}")
MAX_RASA_STAGES = 40  # a graph has some twenty nodes; more is not a stage breakdown


def _stages(raw: Any) -> dict[str, float]:
    if not isinstance(raw, dict) or len(raw) > MAX_RASA_STAGES:
        return {}
    return {
        name: float(seconds) for name, seconds in raw.items()
        if isinstance(name, str) and _STAGE_NAME.fullmatch(name)
        and isinstance(seconds, int | float) and not isinstance(seconds, bool) and 0 <= seconds < 3600
    }


@dataclass(frozen=True)
class BotEndpoint:
    """One Rasa server and the action server it calls."""

    rasa_url: str
    action_url: str


def endpoints_from(rasa_urls: str, action_urls: str) -> list[BotEndpoint]:
    """Pair comma-separated Rasa and action server URLs (one action server for all is fine)."""
    rasas = [u.strip().rstrip("/") for u in rasa_urls.split(",") if u.strip()]
    actions = [u.strip().rstrip("/") for u in action_urls.split(",") if u.strip()]
    if not rasas or not actions or len(actions) not in (1, len(rasas)):
        raise ValueError("Give one action server URL, or one for each Rasa URL.")
    return [BotEndpoint(r, actions[i if len(actions) > 1 else 0]) for i, r in enumerate(rasas)]


def auth_params(token: SecretStr | None) -> dict[str, str]:
    """The query parameters that authenticate a call to Rasa's HTTP API (none without a token)."""
    return {"token": token.get_secret_value()} if token is not None else {}


HEALTHY_FOR_S = 2.0  # how long a good health check or an answered message vouches for a bot
# Connecting must be quick (a dead server refuses at once); a busy one may answer its status
# only after the turns queued before it.
HEALTH_TIMEOUT = httpx.Timeout(30.0, connect=1.0)


def preferred_order(conversation_id: str, n: int) -> list[int]:
    """Endpoint indexes to try, starting from this conversation's own (the same in every
    service worker, so a conversation stays on one Rasa while it is up)."""
    first = zlib.crc32(conversation_id.encode()) % n
    return [(first + i) % n for i in range(n)]


class RasaClient:
    """Sends customer messages to Rasa's REST channel and checks that the bot can answer.

    With several bot endpoints (Rasa workers sharing a tracker store and a lock store), a
    conversation prefers one worker (by a hash of its id) and fails over to the next healthy
    one; a worker that refuses a connection is skipped at once.
    """

    def __init__(
        self,
        rasa_url: str,
        action_server_url: str,
        timeout_s: float = 30.0,
        retry_after_s: int = 5,
        http: httpx.AsyncClient | None = None,
        auth_token: SecretStr | None = None,
    ) -> None:
        self._endpoints = endpoints_from(rasa_url, action_server_url)
        self._auth = auth_params(auth_token)
        self._retry_after_s = retry_after_s
        self._http = http or httpx.AsyncClient(timeout=timeout_s)
        self._healthy_until = [0.0] * len(self._endpoints)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def health(self) -> dict[str, bool]:
        """Whether some Rasa (with a model loaded) and some action server answer their checks."""
        checks = [await self._endpoint_health(e) for e in self._endpoints]
        return {
            "rasa": any(c["rasa"] for c in checks),
            "action_server": any(c["action_server"] for c in checks),
        }

    async def ensure_available(self, conversation_id: str = "") -> BotEndpoint:
        """A bot endpoint whose Rasa and action server both answer (a good answer, or a
        message answered, counts for ``HEALTHY_FOR_S``); ``BotUnavailable`` if none does.

        Checked before a message goes to Rasa, so that a message is never half-processed by a
        bot whose action server is down. A Rasa busy with other turns answers its status
        late but answers: only a refused or failed connection counts as down.
        """
        down: set[str] = set()
        for index in self._preference(conversation_id):
            if time.monotonic() < self._healthy_until[index]:
                return self._endpoints[index]
            checks = await self._endpoint_health(self._endpoints[index])
            if all(checks.values()):
                self._healthy_until[index] = time.monotonic() + HEALTHY_FOR_S
                return self._endpoints[index]
            down |= {name for name, ok in checks.items() if not ok}
        raise BotUnavailable(
            "The assistant is unavailable right now. Your message is kept and will be "
            "answered as soon as it is back; there is no need to send it again.",
            unavailable=sorted(down),
            retry_after_s=self._retry_after_s,
        )

    async def send(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> BotTurn:
        """Send one message and return the bot's replies and the conversation's recent state;
        ``BotUnavailable`` if it cannot."""
        for _ in self._endpoints:
            endpoint = await self.ensure_available(conversation_id)
            index = self._endpoints.index(endpoint)
            try:
                response = await self._http.post(
                    f"{endpoint.rasa_url}/webhooks/turn/webhook",
                    json={"sender": conversation_id, "message": text,
                          "metadata": {**metadata, "request_id": current_request_id()}},
                )
                response.raise_for_status()
                body = response.json()
            except httpx.ConnectError:
                # Refused before Rasa saw the message: safe to try the next worker at once.
                self._healthy_until[index] = 0.0
                continue
            except (httpx.HTTPError, ValueError) as exc:
                self._healthy_until[index] = 0.0
                raise BotUnavailable(
                    "The assistant did not answer. Your message is kept and will be answered "
                    "as soon as it is back.",
                    retry_after_s=self._retry_after_s,
                    cause=type(exc).__name__,
                ) from exc
            turn = BotTurn.from_rasa(body)
            if turn.replies:
                self._healthy_until[index] = time.monotonic() + HEALTHY_FOR_S
            else:
                # Rasa answers with nothing when an action it ran failed: if the action server
                # went down meanwhile, keep the message pending rather than answer with silence.
                self._healthy_until[index] = 0.0
                checks = await self._endpoint_health(endpoint)
                if not all(checks.values()):
                    raise BotUnavailable(
                        "The assistant is unavailable right now. Your message is kept and will "
                        "be answered as soon as it is back.",
                        unavailable=sorted(n for n, ok in checks.items() if not ok),
                        retry_after_s=self._retry_after_s,
                    )
            return turn
        raise BotUnavailable(
            "The assistant is unavailable right now. Your message is kept and will be "
            "answered as soon as it is back.",
            unavailable=["rasa"],
            retry_after_s=self._retry_after_s,
        )

    def _preference(self, conversation_id: str) -> list[int]:
        return preferred_order(conversation_id, len(self._endpoints))

    async def _endpoint_health(self, endpoint: BotEndpoint) -> dict[str, bool]:
        return {
            "rasa": await self._ok(f"{endpoint.rasa_url}/status", self._auth),
            "action_server": await self._ok(f"{endpoint.action_url}/health"),
        }

    async def _ok(self, url: str, params: dict[str, str] | None = None) -> bool:
        try:
            response = await self._http.get(url, params=params, timeout=HEALTH_TIMEOUT)
        except httpx.HTTPError:
            return False
        return response.status_code == 200
