"""Payments held for review (by sanctions screening or a scam warning) and what colleagues do
with them: release (the money goes, or the payment is scheduled) or cancel. Each decision is
recorded in the audit chain with the colleague, the payment and the reason they give, and the
customer is told of it in their most recent conversation (never the reason)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bank.payees import PayeeStore
from bank.payments import PaymentStore
from bank.views import PaymentView
from privacy.audit import AuditLog
from service.compliance.audit_writer import AuditedTransactions
from service.errors import ServiceError
from service.hub import MessageHub
from service.payment_notices import CANCELLED, RELEASED, PaymentNotices, Told
from service.transcripts import TranscriptStore

RELEASE_ACTION = "payment_release"
CANCEL_ACTION = "payment_cancel"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HeldPayment:
    """A payment held for review, with the last four digits of its payee's account."""

    payment: PaymentView
    account_ending: str | None


@dataclass(frozen=True)
class Decided:
    """A colleague's decision: the payment as it is now, and the notice the customer got."""

    payment: PaymentView
    told: Told | None


class PaymentReviews:
    """Held payments for colleagues, and their audited decisions.

    Args:
        sessions: sessions on the profile store's database.
        audited: the audit log's serialised writer.
        audit_key: the key the audit chain is keyed with.
        transcripts: the conversations, where the customer is told of the decision.
        hub: the fan-out to the sockets watching a conversation.
    """

    def __init__(
        self, sessions: sessionmaker[Session], audited: AuditedTransactions, audit_key: bytes,
        transcripts: TranscriptStore, hub: MessageHub,
    ) -> None:
        self._payments = PaymentStore(sessions)
        self._notices = PaymentNotices(transcripts, PayeeStore(sessions))
        self._hub = hub
        self._audited = audited
        self._key = audit_key

    def held(self) -> list[HeldPayment]:
        return [HeldPayment(p, self._notices.account_ending(p)) for p in self._payments.held_for_review()]

    def release(self, actor: str, payment_id: str, reason: str) -> Decided:
        """Release a held payment (``bank.errors`` if it can't be), audit the decision and tell
        the customer."""
        payment = self._held(payment_id)
        released = self._payments.release_payment(payment.customer_id, payment_id)
        self._record(actor, RELEASE_ACTION, payment_id, reason)
        return Decided(released, self._tell(released, RELEASED))

    def cancel(self, actor: str, payment_id: str, reason: str) -> Decided:
        """Cancel a held payment: no money moves; the decision is audited, the customer told."""
        payment = self._held(payment_id)
        cancelled = self._payments.cancel_payment(payment.customer_id, payment_id)
        self._record(actor, CANCEL_ACTION, payment_id, reason)
        return Decided(cancelled, self._tell(cancelled, CANCELLED))

    def publish(self, decided: Decided) -> None:
        """Push the customer's notice to their open sockets (call on the event loop)."""
        if decided.told is not None:
            self._hub.publish(decided.told.conversation_id, decided.told.message.model_dump(mode="json"))

    def _held(self, payment_id: str) -> PaymentView:
        return self._payments.held_payment(payment_id)

    def _record(self, actor: str, action: str, payment_id: str, reason: str) -> None:
        self._audited.run(
            lambda session: AuditLog(session, self._key).record(actor, action, payment_id, reason)
        )

    def _tell(self, payment: PaymentView, event: str) -> Told | None:
        # The decision stands whatever happens here: a notice that can't be stored is logged.
        try:
            return self._notices.tell(payment, event)
        except (SQLAlchemyError, ServiceError) as exc:
            log.warning("payment notice not stored: %s", type(exc).__name__)
            return None
