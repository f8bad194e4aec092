"""Structured JSON logs (structlog) with a request id, and no personal data in them.

``configure_logging`` sends the standard library's records (ours, uvicorn's) and structlog's
through one JSON renderer. ``RequestIdMiddleware`` takes a well-formed incoming
``X-Request-ID`` or makes one, returns it, and binds it to every log line of the request;
``current_request_id`` hands it to the Rasa client. A last processor masks what looks like
an email, a card or account number, an IBAN or a token, as a safety net behind the
redaction that happens before anything is logged.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from collections.abc import MutableMapping
from typing import Any

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{8,128}$")

_MASKS = (
    (re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"), "<EMAIL>"),
    (re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"), "<IBAN>"),
    (re.compile(r"\b\d(?:[ \-]?\d){11,18}\b"), "<CARD>"),
    (re.compile(r"\b\d{6,}\b"), "<NUMBER>"),
    (re.compile(r"(?i)(token|password|secret|authorization)([\"']?\s*[=:]\s*[\"']?)[^\s&\"',;]+"),
     r"\1\2<SECRET>"),
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._\-~+/]+=*"), "Bearer <SECRET>"),
)
_configured = False


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (a test's capture, a redirect)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


def mask(text: str) -> str:
    """``text`` with email addresses, card and account numbers, IBANs and secrets masked."""
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


def _mask_values(value: Any) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {k: _mask_values(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask_values(v) for v in value]
    return value


def mask_event(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: masks personal data in every string of the event."""
    return {key: _mask_values(value) for key, value in event.items()}


def configure_logging(json: bool = True, level: str = "INFO") -> None:
    """Route structlog and the standard library through one renderer, once per process."""
    global _configured
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
    ]
    renderer: Any = (structlog.processors.JSONRenderer() if json
                     else structlog.dev.ConsoleRenderer(colors=False))
    handler = _StderrHandler()
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, mask_event, renderer],
    ))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_service_json", False)]:
        root.removeHandler(old)
    handler._service_json = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per call to Rasa is noise
    if not _configured:
        structlog.configure(
            processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
            logger_factory=structlog.stdlib.LoggerFactory(),
            wrapper_class=structlog.stdlib.BoundLogger,
            cache_logger_on_first_use=True,
        )
    _configured = True


def current_request_id() -> str | None:
    """The id of the request being handled (None outside a request, e.g. redelivery)."""
    return structlog.contextvars.get_contextvars().get("request_id")


class RequestIdMiddleware:
    """Binds a request id to the log context, returns it, and logs one line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.log = structlog.get_logger("service.access")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers", [])).get(REQUEST_ID_HEADER.lower().encode(), b"")
        decoded = incoming.decode("latin-1")
        request_id = decoded if VALID_REQUEST_ID.match(decoded) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = time.perf_counter()

        async def with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, with_id)
            finally:
                # The path without its query (a WebSocket's carries the token).
                self.log.info("request", method=scope.get("method", "WS"), path=scope.get("path"),
                              status=status, duration_ms=round((time.perf_counter() - started) * 1000, 1))
