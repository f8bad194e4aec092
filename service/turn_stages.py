"""Where a turn's time goes: one histogram per stage of the service's message path.

``turn_stage_seconds{stage=...}`` is served on ``/metrics`` beside the other metrics; the
stages are a closed set (:data:`STAGES`); ``rasa`` is the whole round trip to Rasa.
``rasa_stage_seconds{stage=...}`` breaks that down as Rasa reports it with its answer (each
graph node, ``node.<component>``: the NLU components and policies; ``tracker_load``,
``tracker_save``; ``actions``, the calls to the action server).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Final, Literal

from prometheus_client import Histogram

Stage = Literal[
    "redaction", "transcript", "lock_wait", "crime_guard", "rasa", "handoff_relay", "handoff_trigger",
    "fanout", "total",
]
STAGES: Final[tuple[Stage, ...]] = (
    "redaction",        # personal data found and vaulted (typed text only)
    "transcript",       # the transcript store's reads and writes on the message path
    "lock_wait",        # waiting for the conversation's turn lock
    "crime_guard",      # financial-crime screening of the typed text (and its audit flags)
    "rasa",             # the REST channel round trip: NLU, core, actions, tracker store
    "handoff_relay",    # whether a colleague has the conversation (relay instead of the bot)
    "handoff_trigger",  # the escalation triggers, with their fetch of Rasa's tracker
    "fanout",           # publishing the stored messages to the conversation's sockets
    "total",            # from the message accepted to the turn's answer built
)

TURN_STAGE = Histogram(
    "turn_stage_seconds",
    "Time a turn spends in each stage of the service's message path.",
    ["stage"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32),
)


RASA_STAGE = Histogram(
    "rasa_stage_seconds",
    "Time a turn spends in each stage inside Rasa, as Rasa reports it.",
    ["stage"],
    buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 4),
)


def observe_rasa(stages: Mapping[str, float]) -> None:
    """Record what Rasa reported for one turn (stage -> seconds)."""
    for stage, seconds in stages.items():
        RASA_STAGE.labels(stage=stage).observe(seconds)


def observe(stage: Stage, seconds: float) -> None:
    """Record ``seconds`` spent in ``stage``."""
    TURN_STAGE.labels(stage=stage).observe(seconds)


@contextmanager
def timed(stage: Stage) -> Iterator[None]:
    """Record the time the ``with`` block takes as one observation of ``stage`` (also when
    it raises)."""
    began = time.perf_counter()
    try:
        yield
    finally:
        observe(stage, time.perf_counter() - began)
