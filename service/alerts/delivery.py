"""Puts a new alert into the customer's most recent conversation and publishes it to the
sockets watching it; runs the detection rounds on a timer in each worker.

The chat message carries a custom payload the web chat renders as a card with "This was me"
and "This wasn't me" buttons::

    {"type": "unusual_activity", "alert_id": "alr_…", "date": "2026-12-07T03:12:00+00:00",
     "amount": "480.00", "currency": "GBP", "merchant": "ACME ELECTRONICS",
     "reasons": ["Much more than you usually spend on this kind of thing", …]}

An alert counts as delivered once a socket of that conversation was open in this worker when
it was published, or when the app's inbox first lists it; until then it stays ``new``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from starlette.concurrency import run_in_threadpool

from service.alerts.inbox import AlertView, InboxStore
from service.alerts.texts import alert_text, reason_texts
from service.background import repeat
from service.hub import MessageHub
from service.transcripts import TranscriptStore

log = logging.getLogger(__name__)

UNUSUAL_ACTIVITY = "unusual_activity"


def alert_payload(alert: AlertView) -> dict[str, Any]:
    """The chat message's custom payload for ``alert``."""
    return {
        "type": UNUSUAL_ACTIVITY,
        "alert_id": alert.id,
        "date": alert.booked_at.isoformat(),
        "amount": f"{alert.amount:.2f}",
        "currency": alert.currency,
        "merchant": alert.merchant,
        "reasons": reason_texts(alert.reasons),
    }


class AlertDelivery:
    """Tells customers of new alerts in their open conversation.

    Args:
        transcripts: the conversations, where the alert message is stored.
        hub: the fan-out to the sockets watching a conversation.
        inbox: the alerts, for delivery receipts.
    """

    def __init__(self, transcripts: TranscriptStore, hub: MessageHub, inbox: InboxStore) -> None:
        self._transcripts = transcripts
        self._hub = hub
        self._inbox = inbox

    def store_message(self, alert: AlertView) -> str | None:
        """Append the alert to the customer's most recent conversation (None if they have none)
        and return that conversation's id; the message still has to be published."""
        conversation_id = self._transcripts.latest_of_customer(alert.customer_id)
        if conversation_id is None:
            return None
        text = alert_text(alert.booked_at, alert.amount, alert.currency, alert.merchant)
        message = self._transcripts.add_system_message(conversation_id, text, alert_payload(alert))
        self._hub.publish(conversation_id, message.model_dump(mode="json"))
        return conversation_id

    async def deliver(self, alerts: Sequence[AlertView]) -> int:
        """Put each alert into its customer's conversation; how many reached an open socket."""
        reached: list[str] = []
        for alert in alerts:
            conversation_id = await run_in_threadpool(self.store_message, alert)
            if conversation_id is not None and self._hub.subscriber_count(conversation_id):
                reached.append(alert.id)
        if reached:
            await run_in_threadpool(self._inbox.mark_delivered, reached)
        return len(reached)


async def alert_round(detect: Callable[[], Sequence[AlertView]], delivery: AlertDelivery) -> int:
    """One round: detect, then deliver; how many alerts were stored."""
    alerts = await run_in_threadpool(detect)
    if alerts:
        await delivery.deliver(alerts)
    return len(alerts)


async def detect_forever(detect: Callable[[], Sequence[AlertView]], delivery: AlertDelivery,
                         interval_s: float) -> None:
    """A round every ``interval_s`` seconds until cancelled (see :func:`repeat`)."""

    async def round_() -> str | None:
        stored = await alert_round(detect, delivery)
        return f"{stored} alerts" if stored else None

    await repeat("unusual-activity", round_, interval_s, log)
