"""Equality-monitoring answers (protected attributes), kept for fairness audits only.

Nothing in the ranking path imports this module; tests check that recommendations do not
change when these answers do.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session, sessionmaker

from bank.errors import UnknownCustomer
from bank.models import Customer
from recommender.models import EqualityMonitoring
from recommender.profile import PROTECTED_ATTRIBUTES


def save_equality_monitoring(
    sessions: sessionmaker[Session], customer_id: str, answers: Mapping[str, str | None]
) -> None:
    """Store (or replace) a customer's equality-monitoring answers.

    Raises:
        UnknownCustomer: No such customer.
        ValueError: An answer for something that is not a protected attribute.
    """
    unknown = set(answers) - PROTECTED_ATTRIBUTES
    if unknown:
        raise ValueError(f"Not equality-monitoring fields: {', '.join(sorted(unknown))}.")
    with sessions.begin() as session:
        if session.get(Customer, customer_id) is None:
            raise UnknownCustomer()
        row = session.get(EqualityMonitoring, customer_id) or EqualityMonitoring(
            customer_id=customer_id
        )
        for name, value in answers.items():
            setattr(row, name, value)
        session.add(row)


def load_equality_monitoring(
    sessions: sessionmaker[Session], customer_id: str
) -> dict[str, str | None]:
    """A customer's answers (for audits), empty when never given."""
    with sessions() as session:
        row = session.get(EqualityMonitoring, customer_id)
        return {name: getattr(row, name) for name in sorted(PROTECTED_ATTRIBUTES)} if row else {}
