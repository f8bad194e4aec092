"""Each nudge shown, opened and acted on, recorded for journeys and the nudge experiment.

Events become journey steps of kind ``nudge`` (``journeys.events.Step`` fields, built by
:func:`journey_step`), stored by the journey consumer's ``ingest_steps`` like the service's
handoff steps: the journey summary reads no ``nudge`` step, so turns, fallbacks and funnels are
unchanged, and ``journey_steps`` counts nudges by name, kind and variant (``detail``). A nudge
shown in a conversation joins that conversation's journey; one shown only in the app's inbox is
kept under ``nudges_<customer id>``. Acting on a nudge is an outcome of 1 in the nudge
experiment (``journeys.experiments.Experiments.record_where_assigned``); a nudge that expires
unanswered is an outcome of 0.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from insights.nudges.nudge import Nudge

STEP_KIND = "nudge"
INBOX_PREFIX = "nudges_"


class NudgeEventName(StrEnum):
    SHOWN = "nudge_shown"
    OPENED = "nudge_opened"
    ACTED = "nudge_acted"
    EXPIRED = "nudge_expired"  # its time ran out and the customer never acted


@dataclass(frozen=True)
class NudgeEvent:
    """One thing that happened to a nudge."""

    name: NudgeEventName
    nudge_id: str
    customer_id: str
    kind: str
    variant: str
    product_id: str | None
    at: datetime
    channel: str = "app"
    conversation_id: str | None = None

    @classmethod
    def of(cls, name: NudgeEventName, nudge: Nudge, at: datetime, channel: str = "app",
           conversation_id: str | None = None) -> NudgeEvent:
        return cls(name, nudge.id, nudge.customer_id, nudge.kind.value, nudge.variant, nudge.product_id,
                   at, channel, conversation_id)


def journey_step(event: NudgeEvent) -> dict[str, Any]:
    """The journey step of an event, as ``journeys.events.Step`` keyword arguments."""
    conversation_id = (event.conversation_id or f"{INBOX_PREFIX}{event.customer_id}")[:64]
    ts = event.at.timestamp()
    key = hashlib.sha1(f"{conversation_id}|{STEP_KIND}|{event.nudge_id}|{event.name.value}|{ts:.6f}"
                       .encode()).hexdigest()
    return {
        "event_key": key, "conversation_id": conversation_id, "ts": ts, "kind": STEP_KIND,
        "name": event.name.value,
        "detail": f"{event.nudge_id}|{event.kind}|{event.variant}|{event.product_id or ''}"[:400],
        "confidence": None, "sentiment": None, "text": None,
        "customer_id": event.customer_id[:40], "channel": event.channel[:16],
    }


class ExperimentOutcomes(Protocol):
    """Logs rewards for customers assigned in experiments (``journeys.experiments.Experiments``)."""

    def record_where_assigned(self, names: Iterable[str], customer_id: str, reward: float) -> list[str]: ...


StepWriter = Callable[[list[dict[str, Any]]], object]
"""Stores journey steps given as ``Step`` keyword arguments, e.g.
``lambda rows: consumer.ingest_steps([Step(**row) for row in rows])``."""


class NudgeMeasurement:
    """Records nudge events as journey steps and experiment outcomes.

    Args:
        steps: Where the journey steps go.
        outcomes: The experiments, or None when no experiment runs.
        experiment: The nudge experiment's name.
    """

    def __init__(self, steps: StepWriter, outcomes: ExperimentOutcomes | None = None,
                 experiment: str = "nudge_wording") -> None:
        self._steps = steps
        self._outcomes = outcomes
        self._experiment = experiment

    def record(self, events: Sequence[NudgeEvent]) -> None:
        """Store the events; an acted or expired one is an outcome in the nudge experiment."""
        if not events:
            return
        self._steps([journey_step(e) for e in events])
        if self._outcomes is None:
            return
        for event in events:
            if event.name in (NudgeEventName.ACTED, NudgeEventName.EXPIRED):
                reward = 1.0 if event.name == NudgeEventName.ACTED else 0.0
                self._outcomes.record_where_assigned([self._experiment], event.customer_id, reward)


def counts(steps: Iterable[dict[str, Any]]) -> Counter[tuple[str, str, str]]:
    """(event name, nudge kind, variant) -> how many, from nudge steps (rows of ``journey_steps``)."""
    tally: Counter[tuple[str, str, str]] = Counter()
    for step in steps:
        if step.get("kind") != STEP_KIND:
            continue
        _, kind, variant, _ = (str(step.get("detail") or "").split("|") + ["", "", "", ""])[:4]
        tally[(str(step.get("name")), kind, variant)] += 1
    return tally
