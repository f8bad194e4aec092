"""The nudges stored for delivery: the engine's history (``NudgeHistory``), the decisions of a
round stored under a lock on the customer, held nudges released when due, expiry, and the
app inbox's receipts (delivered, read, acted). Synchronous SQLAlchemy; the API and the loop
call it in a worker thread.

Several workers may run rounds at once: a customer's evaluation and the storing of its
decisions hold the customer's row (PostgreSQL ``FOR UPDATE``), a nudge id is unique, and
every status change is a conditional update, so a nudge is posted, expired or acted on once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bank.models import Account, Customer, Transaction
from database.base import utcnow
from insights.nudges import Decision, Nudge, NudgeKind, SentNudge, Verdict
from service.alerts.errors import NudgeAlreadyActed, NudgeExpired, UnknownNudge
from service.alerts.nudge_models import CustomerNudge, NudgeStatus

LISTED = 100  # the newest nudges the inbox shows
SHOWN = (NudgeStatus.NEW, NudgeStatus.DELIVERED, NudgeStatus.READ, NudgeStatus.ACTED)  # in the inbox
LIVE = (NudgeStatus.NEW, NudgeStatus.DELIVERED, NudgeStatus.READ)  # may still expire


@dataclass(frozen=True)
class NudgeView:
    """A stored nudge as the inbox and the chat show it."""

    id: str
    customer_id: str
    kind: str
    subject: str
    title: str
    text: str
    payload: dict[str, Any]
    product_id: str | None
    variant: str
    status: NudgeStatus
    conversation_id: str | None
    deliver_at: datetime
    expires_at: datetime
    created_at: datetime
    delivered_at: datetime | None
    read_at: datetime | None
    acted_at: datetime | None

    @property
    def action(self) -> dict[str, Any]:
        return dict(self.payload.get("action") or {})

    @property
    def assumptions(self) -> list[str]:
        return [str(a) for a in self.payload.get("assumptions") or []]

    def nudge(self) -> Nudge:
        """The nudge again, for the policy's recheck."""
        return Nudge(self.id, self.customer_id, NudgeKind(self.kind), self.subject, self.title, self.text,
                     tuple(self.assumptions), self.action, self.created_at, self.expires_at,
                     self.product_id, self.variant, dict(self.payload.get("figures") or {}))


def nudge_view(row: CustomerNudge) -> NudgeView:
    return NudgeView(row.id, row.customer_id, row.kind, row.subject, row.title, row.text, dict(row.payload),
                     row.product_id, row.variant, row.status, row.conversation_id, row.deliver_at,
                     row.expires_at, row.created_at, row.delivered_at, row.read_at, row.acted_at)


@dataclass(frozen=True)
class Receipt:
    """A nudge after a receipt, and whether this call was the first to give it."""

    nudge: NudgeView
    first: bool


class NudgeStore:
    """Reads and updates the customers' nudges."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # ------------------------------------------------------------ the engine's history
    def sent(self, customer_id: str, since: datetime) -> Sequence[SentNudge]:
        """Every nudge stored for the customer with a delivery time since ``since``."""
        with self._sessions() as session:
            rows = session.execute(
                select(CustomerNudge.id, CustomerNudge.kind, CustomerNudge.subject, CustomerNudge.deliver_at)
                .where(CustomerNudge.customer_id == customer_id, CustomerNudge.deliver_at >= since)
            ).all()
        return [SentNudge(r.id, NudgeKind(r.kind), r.subject, r.deliver_at) for r in rows]

    # ------------------------------------------------------------ rounds
    def active_customers(self, since: datetime, until: datetime, after: str | None, limit: int) -> list[str]:
        """Customers with a transaction booked in (``since``, ``until``], by id after ``after``."""
        query = (select(Account.customer_id).join(Transaction, Transaction.account_id == Account.id)
                 .where(Transaction.booked_at > since, Transaction.booked_at <= until))
        if after is not None:
            query = query.where(Account.customer_id > after)
        with self._sessions() as session:
            return list(session.scalars(query.distinct().order_by(Account.customer_id).limit(limit)))

    def decide(self, customer_id: str, evaluate: Callable[[], list[Decision]]) -> tuple[list[Decision],
                                                                                         list[NudgeView]]:
        """Evaluate the customer's nudges holding their row and store those sent or held.

        Returns the decisions and the nudges stored now as due (``new``); a nudge another
        worker stored first is not stored again.
        """
        due: list[NudgeView] = []
        with self._sessions.begin() as session:
            # FOR NO KEY UPDATE: rows that only point at the customer (consents, assignments) may
            # still be written meanwhile, by the engine itself too.
            session.execute(
                select(Customer.id).where(Customer.id == customer_id).with_for_update(key_share=True)
            )
            decisions = evaluate()
            for decision in decisions:
                entry, nudge = decision.sent(), decision.nudge
                if entry is None or nudge is None:
                    continue
                row = _row(nudge, entry.at, NudgeStatus.NEW if decision.verdict == Verdict.SEND
                           else NudgeStatus.HELD)
                try:
                    with session.begin_nested():
                        session.add(row)
                except IntegrityError:
                    continue
                if row.status == NudgeStatus.NEW:
                    due.append(nudge_view(row))
        return decisions, due

    def held_due(self, now: datetime, limit: int) -> list[NudgeView]:
        """Held nudges whose delivery time has come, earliest first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(CustomerNudge).where(CustomerNudge.status == NudgeStatus.HELD,
                                            CustomerNudge.deliver_at <= now)
                .order_by(CustomerNudge.deliver_at, CustomerNudge.id).limit(limit)
            )
            return [nudge_view(row) for row in rows]

    def settle(self, nudge_id: str, decision: Decision, now: datetime) -> NudgeView | None:
        """Apply the recheck of a held nudge: due now (returned, if this call released it),
        held again until ``deliver_at``, or expired (suppressed)."""
        with self._sessions.begin() as session:
            held = (CustomerNudge.id == nudge_id, CustomerNudge.status == NudgeStatus.HELD)
            if decision.verdict == Verdict.HOLD and decision.deliver_at is not None:
                session.execute(update(CustomerNudge).where(*held).values(deliver_at=decision.deliver_at))
                return None
            status = NudgeStatus.NEW if decision.verdict == Verdict.SEND else NudgeStatus.EXPIRED
            values: dict[str, Any] = {"status": status}
            if status == NudgeStatus.NEW:
                values["deliver_at"] = now
            changed = session.execute(update(CustomerNudge).where(*held).values(values))
            if changed.rowcount != 1 or status != NudgeStatus.NEW:  # type: ignore[attr-defined]
                return None
            return nudge_view(session.get_one(CustomerNudge, nudge_id))

    def posted(self, nudge_id: str, conversation_id: str, delivered: bool) -> None:
        """The nudge went into a conversation; ``delivered`` when a socket of it was open."""
        now = utcnow()
        with self._sessions.begin() as session:
            session.execute(update(CustomerNudge).where(CustomerNudge.id == nudge_id)
                            .values(conversation_id=conversation_id))
            if delivered:
                _deliver(session, [nudge_id], now)

    def expire(self, now: datetime, limit: int) -> list[NudgeView]:
        """Mark the live nudges past their expiry ``expired``; those this call expired."""
        expired: list[NudgeView] = []
        with self._sessions.begin() as session:
            ids = list(session.scalars(
                select(CustomerNudge.id)
                .where(CustomerNudge.status.in_(LIVE), CustomerNudge.expires_at <= now)
                .order_by(CustomerNudge.expires_at).limit(limit)
            ))
            for nudge_id in ids:
                changed = session.execute(
                    update(CustomerNudge).where(CustomerNudge.id == nudge_id, CustomerNudge.status.in_(LIVE))
                    .values(status=NudgeStatus.EXPIRED)
                )
                if changed.rowcount == 1:  # type: ignore[attr-defined]
                    expired.append(nudge_view(session.get_one(CustomerNudge, nudge_id)))
        return expired

    # ------------------------------------------------------------ the inbox
    def inbox(self, customer_id: str) -> tuple[list[NudgeView], list[str]]:
        """The customer's due nudges, newest first (those not delivered yet are delivered now),
        and the ids delivered by this call."""
        with self._sessions.begin() as session:
            ids = list(session.scalars(
                select(CustomerNudge.id)
                .where(CustomerNudge.customer_id == customer_id, CustomerNudge.status.in_(SHOWN))
                .order_by(CustomerNudge.deliver_at.desc(), CustomerNudge.id.desc()).limit(LISTED)
            ))
            delivered = _deliver(session, ids, utcnow())
            rows = session.scalars(select(CustomerNudge).where(CustomerNudge.id.in_(ids))
                                   .execution_options(populate_existing=True))
            by_id = {row.id: nudge_view(row) for row in rows}
        return [by_id[i] for i in ids], delivered

    def read(self, customer_id: str, nudge_id: str) -> Receipt:
        """Read receipt (delivered too, if it was not yet); ``first`` when it had not been read."""
        now = utcnow()
        with self._sessions.begin() as session:
            _owned(session, customer_id, nudge_id)
            _deliver(session, [nudge_id], now)
            changed = session.execute(
                update(CustomerNudge).where(CustomerNudge.id == nudge_id, CustomerNudge.read_at.is_(None))
                .values(read_at=now)
            )
            session.execute(
                update(CustomerNudge)
                .where(CustomerNudge.id == nudge_id,
                       CustomerNudge.status.in_((NudgeStatus.NEW, NudgeStatus.DELIVERED)))
                .values(status=NudgeStatus.READ)
            )
            return Receipt(_owned(session, customer_id, nudge_id), changed.rowcount == 1)  # type: ignore[attr-defined]

    def act(self, customer_id: str, nudge_id: str) -> NudgeView:
        """The customer pressed the nudge's action; once only (``NudgeAlreadyActed``), and not
        after it expired (``NudgeExpired``)."""
        now = utcnow()
        with self._sessions.begin() as session:
            view = _owned(session, customer_id, nudge_id)
            if view.acted_at is not None:
                raise NudgeAlreadyActed("You've already acted on this.", nudge_id=nudge_id)
            if view.status == NudgeStatus.EXPIRED or view.expires_at <= now:
                raise NudgeExpired("This suggestion has expired.", nudge_id=nudge_id)
            changed = session.execute(
                update(CustomerNudge)
                .where(CustomerNudge.id == nudge_id, CustomerNudge.acted_at.is_(None),
                       CustomerNudge.status.in_(LIVE))
                .values(status=NudgeStatus.ACTED, acted_at=now)
            )
            if changed.rowcount != 1:  # type: ignore[attr-defined]
                raise NudgeAlreadyActed("You've already acted on this.", nudge_id=nudge_id)
            for column in ("delivered_at", "read_at"):
                session.execute(
                    update(CustomerNudge)
                    .where(CustomerNudge.id == nudge_id, getattr(CustomerNudge, column).is_(None))
                    .values({column: now})
                )
            return _owned(session, customer_id, nudge_id)


def _row(nudge: Nudge, deliver_at: datetime, status: NudgeStatus) -> CustomerNudge:
    return CustomerNudge(
        id=nudge.id, customer_id=nudge.customer_id, kind=nudge.kind.value, subject=nudge.subject[:200],
        title=nudge.title[:120], text=nudge.text, payload=nudge.payload(), product_id=nudge.product_id,
        variant=nudge.variant, status=status, deliver_at=deliver_at, expires_at=nudge.expires_at,
        created_at=nudge.created_at,
    )


def _deliver(session: Session, nudge_ids: Sequence[str], now: datetime) -> list[str]:
    """Delivery receipts; the ids delivered now (not before)."""
    if not nudge_ids:
        return []
    fresh = list(session.scalars(
        select(CustomerNudge.id).where(CustomerNudge.id.in_(nudge_ids), CustomerNudge.delivered_at.is_(None))
    ))
    delivered = []
    for nudge_id in fresh:
        changed = session.execute(
            update(CustomerNudge).where(CustomerNudge.id == nudge_id, CustomerNudge.delivered_at.is_(None))
            .values(delivered_at=now)
        )
        if changed.rowcount == 1:  # type: ignore[attr-defined]
            delivered.append(nudge_id)
    session.execute(
        update(CustomerNudge).where(CustomerNudge.id.in_(nudge_ids), CustomerNudge.status == NudgeStatus.NEW)
        .values(status=NudgeStatus.DELIVERED)
    )
    return delivered


def _owned(session: Session, customer_id: str, nudge_id: str) -> NudgeView:
    row = session.scalar(
        select(CustomerNudge).where(CustomerNudge.id == nudge_id, CustomerNudge.customer_id == customer_id)
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise UnknownNudge("No such nudge.", nudge_id=nudge_id)
    return nudge_view(row)
