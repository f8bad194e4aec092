"""Proactive nudges delivered: each round evaluates the nudge engine for customers with new
transactions, stores what it sends or holds, releases held nudges that fall due (rechecked
against consent, expiry and quiet hours), posts due ones into the customer's most recent
conversation, expires overdue ones, and reports what was shown or expired to
:class:`~insights.nudges.NudgeMeasurement`.

The chat message carries a custom payload the web chat renders as a card with its action::

    {"type": "nudge", "nudge_id": "nud_…", "kind": "salary_arrived", "title": "…", "text": "…",
     "assumptions": ["…"], "action": {"type": "open_chat", "intent": "budget_status"}}

A nudge counts as delivered (and ``nudge_shown`` is recorded) once a socket of that
conversation was open in this worker when it was published, or when the app's inbox first
lists it; until then it stays ``new``. A customer with no conversation finds it in the inbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.concurrency import run_in_threadpool

from bank.errors import UnknownCustomer
from insights.nudges import NudgeEngine, NudgeEvent, NudgeEventName, NudgeMeasurement, Verdict, recheck
from insights.nudges.offers import ProductRecommender, Recommendation
from service.alerts.nudge_store import NudgeStore, NudgeView
from service.background import repeat
from service.hub import MessageHub
from service.transcripts import TranscriptStore

log = logging.getLogger(__name__)

NUDGE = "nudge"
FIRST_LOOK_BACK = timedelta(days=1)  # a worker's first round reads the last day's activity


def nudge_payload(nudge: NudgeView) -> dict[str, Any]:
    """The chat message's custom payload for ``nudge``."""
    return {"type": NUDGE, "nudge_id": nudge.id, "kind": nudge.kind, "title": nudge.title,
            "text": nudge.text, "assumptions": nudge.assumptions, "action": nudge.action}


def nudge_event(name: NudgeEventName, nudge: NudgeView, at: datetime, channel: str = "app") -> NudgeEvent:
    """A measurement event of a stored nudge (in the journey of the chat it was posted into)."""
    return NudgeEvent(name, nudge.id, nudge.customer_id, nudge.kind, nudge.variant, nudge.product_id, at,
                      channel, nudge.conversation_id)


class LazyRecommender:
    """The recommender built on first use (only an idle-cash nudge asks it for a product)."""

    def __init__(self, get: Callable[[], ProductRecommender]) -> None:
        self._get = get

    def recommend(self, customer_id: str, goal: Mapping[str, Any], k: int = 3,
                  strategy: str = "score") -> Recommendation:
        return self._get().recommend(customer_id, goal, k, strategy)


@dataclass
class RoundReport:
    evaluated: int = 0
    stored: int = 0
    posted: int = 0
    expired: int = 0


class NudgeRounds:
    """Runs nudge rounds in one worker.

    Args:
        engine: finds and decides the nudges (its history should be ``store``).
        store: the stored nudges.
        transcripts: the conversations, where due nudges are posted.
        hub: the fan-out to the sockets watching a conversation.
        measurement: where shown and expired events go (None: not measured).
        batch: the most customers, held nudges and expiries one round handles.
        clock: now (UTC); tests pin it.
    """

    def __init__(self, engine: NudgeEngine, store: NudgeStore, transcripts: TranscriptStore, hub: MessageHub,
                 measurement: NudgeMeasurement | None = None, batch: int = 200,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.engine = engine
        self._store = store
        self._transcripts = transcripts
        self._hub = hub
        self._measurement = measurement
        self._batch = batch
        self._clock = clock or (lambda: datetime.now(UTC))
        self._since: datetime | None = None  # activity read from here (the last round's start)
        self._after: str | None = None  # resume after this customer when the last batch was full

    def evaluate(self, customer_id: str, now: datetime) -> list[NudgeView]:
        """Evaluate one customer and store the decisions; the nudges due now."""
        try:
            decisions, due = self._store.decide(customer_id, lambda: self.engine.evaluate(customer_id, now))
        except UnknownCustomer:
            return []
        for decision in decisions:
            if decision.verdict == Verdict.SUPPRESS:
                log.info("nudge %s suppressed: %s", decision.kind.value, decision.reason)
        return due

    def release(self, now: datetime) -> list[NudgeView]:
        """Recheck the held nudges that fall due; those released now."""
        released = []
        for held in self._store.held_due(now, self._batch):
            decision = recheck(held.nudge(), self.engine.granted(held.customer_id), now, self.engine.settings)
            view = self._store.settle(held.id, decision, now)
            if view is not None:
                released.append(view)
            elif decision.verdict == Verdict.SUPPRESS:
                log.info("held nudge %s dropped: %s", held.kind, decision.reason)
        return released

    def customers(self, now: datetime) -> list[str]:
        """The customers with activity since the last round (a bounded batch)."""
        since = self._since or now - FIRST_LOOK_BACK
        ids = self._store.active_customers(since, now, self._after, self._batch)
        if len(ids) == self._batch:  # more to read: the next round goes on from here
            self._since, self._after = since, ids[-1]
        else:
            self._since, self._after = now, None
        return ids

    def post(self, nudge: NudgeView) -> NudgeView | None:
        """Put a due nudge into the customer's most recent conversation; the nudge as posted if it
        reached an open socket (delivered), else None."""
        conversation_id = self._transcripts.latest_of_customer(nudge.customer_id)
        if conversation_id is None:
            return None
        message = self._transcripts.add_system_message(conversation_id, nudge.text, nudge_payload(nudge))
        self._hub.publish(conversation_id, message.model_dump(mode="json"))
        delivered = bool(self._hub.subscriber_count(conversation_id))
        self._store.posted(nudge.id, conversation_id, delivered)
        if not delivered:
            return None
        return NudgeView(**{**nudge.__dict__, "conversation_id": conversation_id})

    def record(self, events: Sequence[NudgeEvent]) -> None:
        if self._measurement is not None and events:
            self._measurement.record(events)

    async def run(self) -> RoundReport:
        """One round."""
        now = self._clock()
        report = RoundReport()
        due: list[NudgeView] = []
        for customer_id in await run_in_threadpool(self.customers, now):
            try:
                stored = await run_in_threadpool(self.evaluate, customer_id, now)
            except Exception as exc:  # noqa: BLE001 - one customer's failure spares the others
                log.warning("nudges of one customer failed: %s", type(exc).__name__)
                continue
            report.evaluated += 1
            report.stored += len(stored)
            due.extend(stored)
        due.extend(await run_in_threadpool(self.release, now))
        events = []
        for nudge in due:
            shown = await run_in_threadpool(self.post, nudge)
            report.posted += 1
            if shown is not None:
                events.append(nudge_event(NudgeEventName.SHOWN, shown, now, "web"))
        expired = await run_in_threadpool(self._store.expire, now, self._batch)
        report.expired = len(expired)
        events.extend(nudge_event(NudgeEventName.EXPIRED, n, now) for n in expired
                      if n.delivered_at is not None)
        await run_in_threadpool(self.record, events)
        return report


async def nudge_forever(rounds: NudgeRounds, interval_s: float) -> None:
    """A round every ``interval_s`` seconds until cancelled (see :func:`repeat`)."""

    async def round_() -> str | None:
        report = await rounds.run()
        if not (report.stored or report.posted or report.expired):
            return None
        return (f"{report.evaluated} customers, {report.stored} stored, {report.posted} posted, "
                f"{report.expired} expired")

    await repeat("nudge", round_, interval_s, log)
