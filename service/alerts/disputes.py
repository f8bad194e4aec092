""""This wasn't me": the customer's active cards are frozen and a fraud colleague is asked to
join their conversation, with the transaction in the handoff's packet.

The handoff uses the policy's ``fraud`` reason (routed to ``cards_and_fraud``, urgent), as a
customer reporting fraud in the chat does.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool

from bank.enums import CardStatus
from bank.store import ProfileStore
from bank.views import CardView
from service import metrics
from service.alerts.inbox import AlertView
from service.alerts.texts import reason_texts
from service.handoff.policy import Priority
from service.handoff.routing import estimate_wait
from service.handoff.schemas import Goal, PacketCore, TriggerOut
from service.handoff.service import HandoffService, wait_words
from service.handoff.store import QUEUED, Notice
from service.handoff.triggers import TriggerHit
from service.hub import MessageHub

FRAUD = "fraud"
FRAUD_LABEL = "Suspected fraud"  # when the policy has no trigger with the reason
DISPUTED_FORM = "unusual_activity_alert"


def freeze_active_cards(profiles: ProfileStore, customer_id: str) -> list[CardView]:
    """Freeze every active card of the customer; the cards frozen now."""
    return [profiles.freeze_card(customer_id, card.id)
            for card in profiles.cards(customer_id) if card.status == CardStatus.ACTIVE]


def dispute_packet(alert: AlertView, frozen: list[CardView], hit: TriggerHit) -> PacketCore:
    """The stored part of the handoff's packet: the transaction and what was done already."""
    cards = ", ".join(f"ending {card.last4}" for card in frozen) or "none active"
    summary = (
        f"The customer said an unusual payment was not theirs: {alert.currency} {alert.amount:,.2f} to "
        f"{alert.merchant} on {alert.booked_at:%d %b %Y %H:%M} UTC (transaction {alert.transaction_id}). "
        f"Cards frozen: {cards}. Flagged because: {'; '.join(reason_texts(alert.reasons)).lower()}."
    )
    transaction = {
        "alert_id": alert.id,
        "transaction_id": alert.transaction_id,
        "booked_at": alert.booked_at.isoformat(),
        "amount": f"{alert.amount:.2f}",
        "currency": alert.currency,
        "merchant": alert.merchant,
        "score": alert.score,
        "reasons": list(alert.reasons),
        "frozen_cards": [card.last4 for card in frozen],
    }
    return PacketCore(
        summary=summary,
        triggers=[TriggerOut(reason=hit.reason, label=hit.label, priority=int(hit.priority),
                             detail=hit.detail)],
        goal=Goal(form=DISPUTED_FORM, collected=transaction),
        intents=[],
    )


class FraudHandoff:
    """Opens a handoff to the fraud skill for a disputed alert.

    Args:
        handoff: the handoff service (its store, policy and the agents' feed).
        hub: the fan-out to the customer's sockets.
    """

    def __init__(self, handoff: HandoffService, hub: MessageHub) -> None:
        self._handoff = handoff
        self._hub = hub

    async def open(self, conversation_id: str, alert: AlertView, frozen: list[CardView]) -> str | None:
        """Queue the handoff in the customer's conversation and tell them their place; its id,
        or None when the conversation has a handoff open already."""
        policy = self._handoff.policy
        detail = f"customer disputed unusual-activity alert {alert.id} (transaction {alert.transaction_id})"
        hit = TriggerHit(FRAUD, policy.labels().get(FRAUD, FRAUD_LABEL), Priority.URGENT, detail)
        store = self._handoff.store
        waits = await run_in_threadpool(store.recent_waits, policy.routing.skill_for(FRAUD))
        opened = await run_in_threadpool(
            store.open_handoff, conversation_id, [hit], dispute_packet(alert, frozen, hit),
            datetime.now(UTC), None,
            lambda position: self._notice(position,
                                          estimate_wait(position, waits, policy.routing.wait_estimate)),
        )
        if opened is None:
            return None
        summary, message = opened
        metrics.count_escalation(FRAUD)
        self._hub.publish(conversation_id, message.model_dump(mode="json"))
        queue = await run_in_threadpool(store.queue)
        handoffs = [h.model_dump(mode="json") for h in queue]
        self._handoff.feed.broadcast({"type": "queue", "handoffs": handoffs})
        return summary.id

    def _notice(self, position: int, wait_s: int) -> Notice:
        messages = self._handoff.policy.messages
        text = messages.queued if self._handoff.feed.agents_online() else messages.queued_nobody_online
        return Notice(text.format(position=position, wait=wait_words(wait_s)),
                      {"system": {"event": QUEUED, "position": position, "estimated_wait_s": wait_s}})
