"""The customer's satisfaction answer as a journey step (kind ``satisfaction``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from database.base import utcnow
from journeys.events import SATISFACTION_STEP, Step, event_key
from service.handoff.schemas import HandoffSummary

StepSink = Callable[[Sequence[Step]], object]


def satisfaction_step(handoff: HandoffSummary, rating: str, ts: float | None = None) -> Step:
    """The step of one answer: name the rating, detail the handoff's reason."""
    at = utcnow().timestamp() if ts is None else ts
    return Step(
        event_key(handoff.conversation_id, SATISFACTION_STEP, at, handoff.id),
        handoff.conversation_id,
        at,
        SATISFACTION_STEP,
        rating,
        handoff.reason[:40],
        customer_id=handoff.customer_id,
        channel=handoff.channel,
    )


def satisfaction_journal(sink: StepSink) -> Callable[[HandoffSummary, str], object]:
    """A satisfaction listener for :class:`HandoffService` that stores each answer's step."""

    def record(handoff: HandoffSummary, rating: str) -> object:
        return sink([satisfaction_step(handoff, rating)])

    return record
