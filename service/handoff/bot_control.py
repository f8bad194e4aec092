"""Rasa's HTTP API beyond the chat channel: read the tracker, pause and resume the bot, make
it speak (``rasa run --enable-api``).

While a conversation is with a colleague the bot is paused through Rasa's own ``pause``
event, so even a message that reached Rasa would not be answered by it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx
from pydantic import SecretStr

from service.errors import BotUnavailable
from service.rasa_client import BotReply, auth_params, preferred_order

PAUSE: dict[str, Any] = {"event": "pause"}
RESUME: dict[str, Any] = {"event": "resume"}


def slot_event(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


LEAVE_FORM: dict[str, Any] = {"event": "active_loop", "name": None}


class BotControl:
    """Reads trackers and appends events through Rasa's HTTP API.

    Args:
        rasa_url: Rasa's base URL, or several comma-separated (Rasa servers sharing one
            tracker store: a conversation's calls go to its preferred server, then the next).
        http: The HTTP client (closed by :meth:`aclose`).
        auth_token: The token Rasa's HTTP API requires (``rasa run --auth-token``).
    """

    def __init__(self, rasa_url: str, http: httpx.AsyncClient | None = None,
                 auth_token: SecretStr | None = None) -> None:
        self._urls = [u.strip().rstrip("/") for u in rasa_url.split(",") if u.strip()]
        self._http = http or httpx.AsyncClient(timeout=30.0)
        self._auth = auth_params(auth_token)
        self._domain: dict[str, Any] | None = None

    async def aclose(self) -> None:
        await self._http.aclose()

    async def tracker(self, conversation_id: str) -> dict[str, Any]:
        """The conversation's tracker with every event since the last restart."""
        return await self._call(
            "GET", f"/conversations/{conversation_id}/tracker", conversation_id,
            params={"include_events": "AFTER_RESTART"},
        )

    async def append_events(self, conversation_id: str, events: Sequence[Mapping[str, Any]]) -> None:
        """Append events to the tracker (Rasa runs no prediction for them)."""
        await self._call(
            "POST",
            f"/conversations/{conversation_id}/tracker/events",
            conversation_id,
            json=list(events),
            params={"include_events": "NONE"},
        )

    async def execute(self, conversation_id: str, action: str) -> list[BotReply]:
        """Run one action (e.g. a response) and return what the bot said."""
        body = await self._call(
            "POST",
            f"/conversations/{conversation_id}/execute",
            conversation_id,
            json={"name": action},
            params={"include_events": "NONE"},
        )
        return [BotReply.from_rasa(m) for m in body.get("messages") or [] if isinstance(m, dict)]

    async def required_slots(self, form: str) -> list[str]:
        """The slots ``form`` asks for, from the trained model's domain (cached)."""
        if self._domain is None:
            self._domain = await self._call("GET", "/domain", "", headers={"Accept": "application/json"})
        forms = self._domain.get("forms") or {}
        return list((forms.get(form) or {}).get("required_slots") or [])

    async def _call(self, method: str, path: str, conversation_id: str, **kwargs: Any) -> dict[str, Any]:
        order = preferred_order(conversation_id, len(self._urls))
        params = {**kwargs.pop("params", {}), **self._auth}
        for attempt, index in enumerate(order, start=1):
            try:
                response = await self._http.request(method, f"{self._urls[index]}{path}",
                                                    params=params, **kwargs)
                response.raise_for_status()
                body = response.json()
            except httpx.ConnectError as exc:  # that server is down: Rasa never saw the call
                if attempt < len(order):
                    continue
                raise BotUnavailable("The assistant's control API did not answer.",
                                     cause=type(exc).__name__) from exc
            except (httpx.HTTPError, ValueError) as exc:
                raise BotUnavailable(
                    "The assistant's control API did not answer.", cause=type(exc).__name__
                ) from exc
            return body if isinstance(body, dict) else {"items": body}
        raise BotUnavailable("No Rasa server is configured.")
