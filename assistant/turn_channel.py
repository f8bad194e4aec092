"""The channel the service talks to: Rasa's REST channel whose answer also carries the
conversation's recent state (slots, active form, paused, the events of its last few
messages), which the service's escalation triggers read.

``POST /webhooks/turn/webhook {"sender", "message", "metadata"}`` answers
``{"messages": [...], "tracker": {...} | null, "stages": {...}}``: the messages as the REST
channel gives them, the state of the tracker Rasa saved for this message (``null`` when Rasa
saved none, for instance after an error), and the seconds Rasa spent per stage on it
(:mod:`assistant.turn_timings`). Runs inside Rasa's environment; named in ``credentials.yml``.
"""

from __future__ import annotations

import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant import turn_timings
from assistant.recent_trackers import SAVED, recent_state

log = logging.getLogger(__name__)


class TurnInput(RestInput):
    """The REST channel, answering with the bot's messages and the tracker's recent state."""

    @classmethod
    def name(cls) -> str:
        return "turn"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("turn_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            sender_id = await self._extract_sender(request)
            collector = CollectingOutputChannel()
            message = UserMessage(self._extract_message(request), collector, sender_id,
                                  input_channel=self._extract_input_channel(request),
                                  metadata=self.get_metadata(request))
            timings = turn_timings.start()
            try:
                await on_new_message(message)
            except CancelledError:
                log.error("turn channel: the message timed out")
            except Exception:  # the REST channel's behaviour: answer with what was said
                log.exception("turn channel: the message failed")
            saved = SAVED.take(str(sender_id))
            return response.json({
                "messages": collector.messages,
                "tracker": recent_state(saved) if saved is not None else None,
                "stages": {stage: round(seconds, 6) for stage, seconds in timings.items()},
            })

        return webhook
