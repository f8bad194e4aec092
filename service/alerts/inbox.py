"""The customer's alerts as the app's inbox reads them, with delivery and read receipts and
the customer's answer. Synchronous SQLAlchemy; the API calls it in a worker thread."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bank.models import Transaction
from database.base import utcnow
from service.alerts.errors import AlertAlreadyAnswered, UnknownAlert
from service.alerts.models import AlertStatus, CustomerAlert
from service.auth import hash_token
from service.models import Conversation

Answer = Literal["was_me", "not_me"]
ANSWERED = {"was_me": AlertStatus.CONFIRMED, "not_me": AlertStatus.DISPUTED}
UNSEEN = (AlertStatus.NEW,)
UNREAD = (AlertStatus.NEW, AlertStatus.DELIVERED)
LISTED = 100  # the newest alerts the inbox shows


@dataclass(frozen=True)
class AlertView:
    """An alert with its transaction as on the statement.

    Attributes:
        amount: what left the account (positive), in ``currency``.
        reasons: the reason codes, strongest first.
    """

    id: str
    customer_id: str
    transaction_id: str
    booked_at: datetime
    amount: Decimal
    currency: str
    merchant: str
    score: float
    reasons: tuple[str, ...]
    status: AlertStatus
    created_at: datetime
    delivered_at: datetime | None
    read_at: datetime | None
    answered_at: datetime | None


def alert_view(alert: CustomerAlert, transaction: Transaction) -> AlertView:
    return AlertView(
        id=alert.id,
        customer_id=alert.customer_id,
        transaction_id=alert.transaction_id,
        booked_at=transaction.booked_at,
        amount=abs(transaction.amount),
        currency=transaction.currency,
        merchant=transaction.description,
        score=alert.score,
        reasons=tuple(str(code) for code in alert.reasons),
        status=alert.status,
        created_at=alert.created_at,
        delivered_at=alert.delivered_at,
        read_at=alert.read_at,
        answered_at=alert.answered_at,
    )


class InboxStore:
    """Reads and updates the customers' alerts."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def conversation_of(self, token: str) -> str | None:
        """The id of the conversation whose bearer token this is."""
        with self._sessions() as session:
            return session.scalar(select(Conversation.id).where(Conversation.token_hash == hash_token(token)))

    def inbox(self, customer_id: str) -> list[AlertView]:
        """The customer's newest alerts first; those not yet delivered are delivered now."""
        with self._sessions.begin() as session:
            rows = session.execute(
                select(CustomerAlert, Transaction)
                .join(Transaction, CustomerAlert.transaction_id == Transaction.id)
                .where(CustomerAlert.customer_id == customer_id)
                .order_by(CustomerAlert.created_at.desc(), CustomerAlert.id.desc())
                .limit(LISTED)
            ).all()
            undelivered = [alert.id for alert, _ in rows if alert.delivered_at is None]
            self._deliver(session, undelivered)
            session.flush()
            for alert, _ in rows:
                session.refresh(alert)
            return [alert_view(alert, transaction) for alert, transaction in rows]

    def get(self, customer_id: str, alert_id: str) -> AlertView:
        """One of the customer's alerts (``UnknownAlert`` for anyone else's)."""
        with self._sessions() as session:
            return self._view(session, customer_id, alert_id)

    def mark_delivered(self, alert_ids: Sequence[str]) -> None:
        """Delivery receipts: the alerts reached the customer (an open chat, the app)."""
        with self._sessions.begin() as session:
            self._deliver(session, alert_ids)

    def read(self, customer_id: str, alert_id: str) -> AlertView:
        """Read receipt: the customer opened the alert (delivered too, if it was not yet)."""
        now = utcnow()
        with self._sessions.begin() as session:
            self._view(session, customer_id, alert_id)
            self._deliver(session, [alert_id])
            session.execute(
                update(CustomerAlert).where(CustomerAlert.id == alert_id, CustomerAlert.read_at.is_(None))
                .values(read_at=now)
            )
            session.execute(
                update(CustomerAlert).where(CustomerAlert.id == alert_id, CustomerAlert.status.in_(UNREAD))
                .values(status=AlertStatus.READ)
            )
        return self.get(customer_id, alert_id)

    def check_unanswered(self, customer_id: str, alert_id: str) -> AlertView:
        """The alert, if the customer has not answered it yet (``AlertAlreadyAnswered`` if so)."""
        view = self.get(customer_id, alert_id)
        if view.answered_at is not None:
            raise AlertAlreadyAnswered("You've already told us about this payment.")
        return view

    def answer(self, customer_id: str, alert_id: str, answer: Answer) -> AlertView:
        """Record whether the payment was the customer's; once only (``AlertAlreadyAnswered``)."""
        now = utcnow()
        with self._sessions.begin() as session:
            self._view(session, customer_id, alert_id)
            answered = session.execute(
                update(CustomerAlert)
                .where(CustomerAlert.id == alert_id, CustomerAlert.answered_at.is_(None))
                .values(status=ANSWERED[answer], answered_at=now)
            )
            if answered.rowcount != 1:  # type: ignore[attr-defined]
                raise AlertAlreadyAnswered("You've already told us about this payment.")
            for column in ("delivered_at", "read_at"):
                session.execute(
                    update(CustomerAlert)
                    .where(CustomerAlert.id == alert_id, getattr(CustomerAlert, column).is_(None))
                    .values({column: now})
                )
        return self.get(customer_id, alert_id)

    @staticmethod
    def _deliver(session: Session, alert_ids: Sequence[str]) -> None:
        if not alert_ids:
            return
        now = utcnow()
        session.execute(
            update(CustomerAlert)
            .where(CustomerAlert.id.in_(alert_ids), CustomerAlert.delivered_at.is_(None))
            .values(delivered_at=now)
        )
        session.execute(
            update(CustomerAlert)
            .where(CustomerAlert.id.in_(alert_ids), CustomerAlert.status.in_(UNSEEN))
            .values(status=AlertStatus.DELIVERED)
        )

    @staticmethod
    def _view(session: Session, customer_id: str, alert_id: str) -> AlertView:
        row = session.execute(
            select(CustomerAlert, Transaction)
            .join(Transaction, CustomerAlert.transaction_id == Transaction.id)
            .where(CustomerAlert.id == alert_id, CustomerAlert.customer_id == customer_id)
        ).first()
        if row is None:
            raise UnknownAlert("No such alert.", alert_id=alert_id)
        return alert_view(*row)
