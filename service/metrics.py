"""Prometheus metrics of the service, served on ``/metrics``.

Labels are closed sets (error types, escalation reasons from the policy file), never a
conversation, a customer or a text. With several uvicorn workers set
``PROMETHEUS_MULTIPROC_DIR`` (an empty directory, shared by the workers, emptied at each
start): every worker writes there and a scrape of any worker adds them up.
"""

from __future__ import annotations

import inspect
import json
import os
from collections.abc import Callable, Iterable, Iterator
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


def exposition(sessions: sessionmaker[Session] | None) -> bytes:
    """The text exposition: this process's (or all workers') metrics and the queue depth."""
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
    return body


router = APIRouter(include_in_schema=False)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """Prometheus scrape endpoint."""
    body = await run_in_threadpool(exposition, getattr(request.app.state, "sessions", None))
    return Response(body, media_type=CONTENT_TYPE_LATEST)


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
