"""What each customer agreed to (profiling, marketing), when and through which channel.

Answers are appended to the recommender's ``consents`` table and never updated; the latest
answer per purpose is in force. The recommender reads the same table
(``StoreRepository.has_consent``), so a withdrawn profiling consent stops profile-based
recommendations at once.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bank.models import Customer
from recommender.models import Consent, ConsentChannel, ConsentPurpose
from service.compliance.schemas import ConsentHistory, ConsentState
from service.errors import NotFound
from service.transcripts import as_utc

# The conversation channel a customer answers through in the chat.
CHAT_CHANNELS = {"web": ConsentChannel.WEB_CHAT, "app": ConsentChannel.APP}


def _state(row: Consent) -> ConsentState:
    return ConsentState(
        purpose=ConsentPurpose(row.purpose),
        granted=row.granted,
        channel=ConsentChannel(row.channel),
        recorded_at=as_utc(row.recorded_at),
    )


class ConsentBook:
    """Reads and records consent answers.

    Args:
        sessions: a ``sessionmaker`` on the database holding ``customers`` and ``consents``.
    """

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def current(self, customer_id: str) -> list[ConsentState]:
        """The answer in force per purpose; a purpose never asked is not granted."""
        with self._sessions() as session:
            self._check_customer(session, customer_id)
            return [self._latest(session, customer_id, purpose) for purpose in ConsentPurpose]

    def history(self, customer_id: str) -> ConsentHistory:
        """Every answer, oldest first, and the answers in force."""
        with self._sessions() as session:
            self._check_customer(session, customer_id)
            rows = session.scalars(
                select(Consent)
                .where(Consent.customer_id == customer_id)
                .order_by(Consent.recorded_at, Consent.id)
            ).all()
            current = [self._latest(session, customer_id, purpose) for purpose in ConsentPurpose]
            return ConsentHistory(customer_id=customer_id, current=current, history=[_state(r) for r in rows])

    def record(
        self, customer_id: str, purpose: ConsentPurpose, granted: bool, channel: ConsentChannel
    ) -> ConsentState:
        """Appends one answer; it is in force from now."""
        with self._sessions.begin() as session:
            self._check_customer(session, customer_id)
            row = Consent(
                customer_id=customer_id,
                purpose=purpose,
                granted=granted,
                channel=channel,
                recorded_at=datetime.now(UTC),
            )
            session.add(row)
            session.flush()
            return _state(row)

    @staticmethod
    def _check_customer(session: Session, customer_id: str) -> None:
        if session.get(Customer, customer_id) is None:
            raise NotFound("No such customer.", customer_id=customer_id)

    @staticmethod
    def _latest(session: Session, customer_id: str, purpose: ConsentPurpose) -> ConsentState:
        row = session.scalars(
            select(Consent)
            .where(Consent.customer_id == customer_id, Consent.purpose == purpose)
            .order_by(Consent.recorded_at.desc(), Consent.id.desc())
            .limit(1)
        ).first()
        return _state(row) if row else ConsentState(purpose=purpose, granted=False)
