"""What the nudges read from other parts of the bank, as protocols the callers' objects match."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from bank.nudge_facts import MoneyFacts
from insights.nudges.policy import SentNudge


class ConsentReader(Protocol):
    """The consent in force per purpose (``recommender.store_repository.StoreRepository``,
    over the same ``consents`` table the compliance consent routes write)."""

    def has_consent(self, customer_id: str, purpose: str) -> bool: ...


class FactsSource(Protocol):
    """A customer's money (``bank.nudge_facts.NudgeFactsStore``)."""

    def money_facts(self, customer_id: str, since: datetime) -> MoneyFacts: ...


class NudgeHistory(Protocol):
    """The nudges sent or scheduled to a customer since a time (kept by the delivery side)."""

    def sent(self, customer_id: str, since: datetime) -> Sequence[SentNudge]: ...


ArmOf = Callable[[str], str | None]
"""The customer's arm in the nudge experiment, None when it does not run."""
