"""Finds unusual transactions on the event path: each round reads the transactions booked
since the stored watermark, gives each its category (``service.alerts.categories``), scores it
against its customer's baseline and stores an alert for a score at or above the threshold.

Baselines are built from the customer's history (``Baseline.from_history``) the first time a
customer is met, kept in memory (least recently used dropped first) and caught up with what
other workers scored since. Several workers may run rounds at once: the watermark row is
locked for the round (PostgreSQL) and an alert is unique per transaction, so a transaction
never gets two alerts. Payments the customer made in our own channels (a payment or transfer
id on the transaction) shape the baseline but are not alerted on.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bank.enums import TransactionStatus
from bank.models import Account, Transaction
from database.base import utcnow
from insights.anomalies import AnomalyScorer, AnomalySettings, Baseline, TransactionEvent
from service.alerts.categories import NewTransactionCategories
from service.alerts.inbox import AlertView, alert_view
from service.alerts.models import AlertStatus, AlertWatermark, CustomerAlert

WATERMARK = "unusual_activity"
SCORED = (TransactionStatus.BOOKED, TransactionStatus.PENDING)  # money that moved or will
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Position = tuple[datetime, str]  # (booked_at, transaction id): the order transactions are read in


@dataclass
class _Known:
    """A customer's baseline and the last transaction taken into it."""

    baseline: Baseline
    position: Position


def _after(position: Position) -> ColumnElement[bool]:
    booked_at, transaction_id = position
    return or_(Transaction.booked_at > booked_at,
               and_(Transaction.booked_at == booked_at, Transaction.id > transaction_id))


def _before(position: Position) -> ColumnElement[bool]:
    booked_at, transaction_id = position
    return or_(Transaction.booked_at < booked_at,
               and_(Transaction.booked_at == booked_at, Transaction.id < transaction_id))


def _scored() -> Select[tuple[Transaction, str]]:
    return (select(Transaction, Account.customer_id)
            .join(Account, Transaction.account_id == Account.id)
            .where(Transaction.status.in_(SCORED)))


class AlertDetector:
    """Scores new transactions and stores the alerts.

    Args:
        sessions: the database.
        scorer: what scores a transaction against a baseline (and its threshold).
        settings: the baseline's window and burst length.
        batch: the most transactions one round reads.
        customers: the most baselines kept in memory.
        categories: what gives a new transaction its category (the default: corrections, then
            our model).
    """

    def __init__(self, sessions: sessionmaker[Session], scorer: AnomalyScorer,
                 settings: AnomalySettings | None = None, batch: int = 500, customers: int = 10_000,
                 categories: NewTransactionCategories | None = None) -> None:
        self._sessions = sessions
        self._categories = categories or NewTransactionCategories()
        self.scorer = scorer
        self._settings = settings or AnomalySettings()
        self._batch = batch
        self._capacity = customers
        self._known: OrderedDict[str, _Known] = OrderedDict()

    @classmethod
    def from_settings(cls, sessions: sessionmaker[Session], batch: int = 500) -> AlertDetector:
        """The threshold and baseline settings from ``INSIGHTS_ANOMALY_*``."""
        settings = AnomalySettings()
        return cls(sessions, AnomalyScorer.from_settings(settings), settings, batch)

    def round(self) -> list[AlertView]:
        """Score the transactions after the watermark (one batch); the alerts stored now."""
        try:
            with self._sessions.begin() as session:
                return self._round(session)
        except IntegrityError:  # another worker made the watermark first: next round reads on
            return []
        except Exception:
            self._known.clear()  # baselines may hold transactions this round did not commit
            raise

    def _round(self, session: Session) -> list[AlertView]:
        mark = session.scalar(
            select(AlertWatermark).where(AlertWatermark.name == WATERMARK).with_for_update()
        )
        if mark is None:
            self._start(session)
            return []
        rows = session.execute(
            _scored().where(_after((mark.booked_at, mark.transaction_id)))
            .order_by(Transaction.booked_at, Transaction.id).limit(self._batch)
        ).all()
        stored: list[AlertView] = []
        for transaction, customer_id in rows:
            self._categories.apply(session, customer_id, transaction)
            alert = self._score(session, transaction, customer_id)
            if alert is not None:
                stored.append(alert_view(alert, transaction))
        if rows:
            last = rows[-1][0]
            mark.booked_at, mark.transaction_id, mark.updated_at = last.booked_at, last.id, utcnow()
        return stored

    def _start(self, session: Session) -> None:
        """The first round anywhere: alerts start from the latest transaction, not the history."""
        latest = session.execute(
            select(Transaction.booked_at, Transaction.id)
            .order_by(Transaction.booked_at.desc(), Transaction.id.desc()).limit(1)
        ).first()
        booked_at, transaction_id = (latest[0], latest[1]) if latest else (EPOCH, "")
        session.add(AlertWatermark(name=WATERMARK, booked_at=booked_at, transaction_id=transaction_id))
        session.flush()

    def _score(self, session: Session, transaction: Transaction, customer_id: str) -> CustomerAlert | None:
        position = (transaction.booked_at, transaction.id)
        baseline = self.baseline(session, customer_id, position)
        event = TransactionEvent.from_transaction(transaction)
        score = self.scorer.score(baseline, event)
        baseline.update(event)
        self._known[customer_id].position = position
        ours = transaction.payment_id is not None or transaction.transfer_id is not None
        if not score.alert or ours:
            return None
        alert = CustomerAlert(
            id=f"alr_{uuid.uuid4().hex[:28]}", customer_id=customer_id, transaction_id=transaction.id,
            score=score.score, reasons=[str(code) for code in score.codes], status=AlertStatus.NEW,
        )
        try:
            with session.begin_nested():
                session.add(alert)
        except IntegrityError:  # alerted already (another worker, an earlier round)
            return None
        return alert

    def baseline(self, session: Session, customer_id: str, position: Position) -> Baseline:
        """The customer's baseline of every transaction before ``position``."""
        known = self._known.get(customer_id)
        if known is not None and known.position >= position:
            known = None  # it holds this transaction already (a round that failed): rebuild
        history = _scored().where(Account.customer_id == customer_id, _before(position))
        if known is not None:
            history = history.where(_after(known.position))
        events = [TransactionEvent.from_transaction(t)
                  for t, _ in session.execute(history.order_by(Transaction.booked_at, Transaction.id))]
        if known is None:
            known = _Known(Baseline.from_history(events, self._settings.window, self._settings.burst_minutes),
                           position)
        else:
            for event in events:  # what other workers scored since
                known.baseline.update(event)
        self._known[customer_id] = known
        self._known.move_to_end(customer_id)
        while len(self._known) > self._capacity:
            self._known.popitem(last=False)
        return known.baseline

    def cached(self, customer_id: str) -> Baseline | None:
        """The customer's baseline as this detector holds it in memory, if it does."""
        known = self._known.get(customer_id)
        return known.baseline if known else None

