"""Prometheus metrics of the service, served on ``/metrics``: on the public app in local
environments, and on an internal port (``SERVICE_METRICS_PORT``, :class:`InternalMetricsServer`)
wherever it is set; production serves them on the internal port only.

Labels are closed sets (error types, escalation reasons from the policy file), never a
conversation, a customer or a text. With several uvicorn workers set
``PROMETHEUS_MULTIPROC_DIR`` (an empty directory, shared by the workers, emptied at each
start): every worker writes there and a scrape of any worker adds them up.
"""

from __future__ import annotations

import inspect
import json
import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from service.models import Message
from service.transcripts import PENDING

TURN_LATENCY = Histogram(
    "assistant_turn_latency_seconds",
    "From a customer message accepted to the bot's replies stored.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64),
)
NLU_CONFIDENCE = Histogram(
    "assistant_nlu_confidence",
    "Confidence of the top intent of each customer message (from Rasa's tracker).",
    buckets=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0),
)
FALLBACKS = Counter("assistant_fallbacks_total", "Turns the bot answered with its fallback (rephrase).")
ESCALATIONS = Counter("assistant_escalations_total", "Handoffs to a colleague, by reason.", ["reason"])
ABANDONED_WAITS = Counter("handoff_abandoned_waits_total",
                          "Handoffs the customer left while waiting (back to the assistant).")
SATISFACTION = Counter("handoff_satisfaction_total",
                       "Customers' answers to the satisfaction question after a colleague handed back.",
                       ["rating"])
CALLBACK_OUTCOMES = Counter("handoff_callback_outcomes_total",
                            "Booked callbacks completed by colleagues, by outcome.", ["outcome"])
ERRORS = Counter("service_errors_total", "Error responses, by error type and status.", ["type", "status"])
REPHRASE_ACTIONS = ("utter_rephrase",)


def observe_turn(seconds: float) -> None:
    TURN_LATENCY.observe(seconds)


def observe_nlu(intent: str | None, confidence: float, actions: Iterable[str],
                fallback_intents: Iterable[str], fallback_actions: Iterable[str]) -> None:
    """Record one customer turn as read from the tracker: its confidence, and a fallback."""
    if intent is not None:
        NLU_CONFIDENCE.observe(confidence)
    done = set(actions)
    if intent in set(fallback_intents) or done & {*fallback_actions, *REPHRASE_ACTIONS}:
        FALLBACKS.inc()


def count_escalation(reason: str) -> None:
    ESCALATIONS.labels(reason=reason).inc()


def count_abandoned_wait() -> None:
    ABANDONED_WAITS.inc()


def count_satisfaction(rating: str) -> None:
    SATISFACTION.labels(rating=rating).inc()


def count_callback_outcome(outcome: str) -> None:
    CALLBACK_OUTCOMES.labels(outcome=outcome).inc()


def count_error(error_type: str, status: int) -> None:
    ERRORS.labels(type=error_type, status=str(status)).inc()


class PendingCollector(Collector):
    """The number of customer messages stored as pending (not yet answered), at scrape time."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with self._sessions() as session:
            depth = session.scalar(
                select(func.count()).select_from(Message).where(Message.status == PENDING)
            )
        yield GaugeMetricFamily("assistant_pending_messages",
                                "Customer messages waiting for the bot (stored as pending).",
                                value=depth or 0)


def exposition(sessions: sessionmaker[Session] | None, collectors: Sequence[Collector] = ()) -> bytes:
    """The text exposition: this process's (or all workers') metrics, the queue depth and the
    ``collectors`` read at scrape time (from the database, so the same in every worker)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    if sessions is not None:
        pending = CollectorRegistry(auto_describe=False)
        pending.register(PendingCollector(sessions))
        body += generate_latest(pending)
    if collectors:
        at_scrape = CollectorRegistry(auto_describe=False)
        for collector in collectors:
            at_scrape.register(collector)
        body += generate_latest(at_scrape)
    return body


router = APIRouter(include_in_schema=False)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """Prometheus scrape endpoint."""
    state = request.app.state
    body = await run_in_threadpool(
        exposition, getattr(state, "sessions", None), getattr(state, "scrape_collectors", ())
    )
    return Response(body, media_type=CONTENT_TYPE_LATEST)


log = logging.getLogger(__name__)
Sessions = Callable[[], "sessionmaker[Session] | None"]


class _MetricsHandler(BaseHTTPRequestHandler):
    server: _MetricsHTTPServer

    def do_GET(self) -> None:  # noqa: N802 - the http.server hook
        if self.path.split("?")[0] != "/metrics":
            self.send_error(404)
            return
        body = exposition(self.server.sessions())
        self.send_response(200)
        self.send_header("Content-Type", CONTENT_TYPE_LATEST)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - scrapes are not logged
        return


class _MetricsHTTPServer(ThreadingHTTPServer):
    # Every API worker binds the port (SO_REUSEPORT); with PROMETHEUS_MULTIPROC_DIR any
    # worker's scrape adds all of them up, so it does not matter which one answers.
    allow_reuse_port = True
    daemon_threads = True

    def __init__(self, address: tuple[str, int], sessions: Sessions) -> None:
        self.sessions = sessions
        super().__init__(address, _MetricsHandler)


class InternalMetricsServer:
    """``GET /metrics`` on ``host:port``, off the public app, in a thread of its own.

    Args:
        host: the interface (``127.0.0.1``, or the container's internal network).
        port: the port (0 picks a free one: see ``port`` after ``start``).
        sessions: returns the service database's sessions for the pending-messages gauge.
    """

    def __init__(self, host: str, port: int, sessions: Sessions) -> None:
        self._address = (host, port)
        self._sessions = sessions
        self._server: _MetricsHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1] if self._server else self._address[1]

    def start(self) -> None:
        self._server = _MetricsHTTPServer(self._address, self._sessions)
        self._thread = threading.Thread(target=self._server.serve_forever, name="metrics", daemon=True)
        self._thread.start()
        log.info("metrics served on the internal port %d", self.port)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None


def count_errors_in_handlers(app: FastAPI) -> None:
    """Wrap every installed exception handler so that each error response is counted."""
    for exc_class, handler in list(app.exception_handlers.items()):
        app.exception_handlers[exc_class] = _counting(handler)


def error_code(response: Response, exc: Exception) -> str:
    """The ``error.code`` of a JSON error response (a closed set), else the exception's class."""
    try:
        code = json.loads(bytes(response.body))["error"]["code"]
    except (AttributeError, ValueError, KeyError, TypeError):
        return type(exc).__name__
    return code if isinstance(code, str) and len(code) <= 40 else type(exc).__name__


def _counting(handler: Callable[..., Any]) -> Callable[..., Any]:
    async def counted(request: Request, exc: Exception) -> Response:
        response = handler(request, exc)
        if inspect.isawaitable(response):
            response = await response
        count_error(error_code(response, exc), response.status_code)
        return response

    return counted
