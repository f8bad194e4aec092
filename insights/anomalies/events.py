"""The one shape the anomaly scorer reads: a transaction as it arrives on the event path."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bank.enums import Category, TransactionKind
from bank.models import Transaction

HOME_CURRENCY = "GBP"
# set off by the bank or a standing instruction, not by the customer at that moment
SCHEDULED_KINDS = frozenset(
    {TransactionKind.DIRECT_DEBIT, TransactionKind.INTEREST, TransactionKind.TRANSFER}
)


@dataclass(frozen=True, slots=True)
class TransactionEvent:
    """A booked or authorised transaction of one customer.

    Attributes:
        booked_at: when it happened (timezone-aware).
        amount: in pounds, negative for money leaving the account.
        description: the statement's merchant or counterparty text.
        category: the spending category.
        currency: what the merchant charged in (``GBP`` for a payment at home).
        kind: how the money moved, when known (a direct debit's hour is the bank's, not the
            customer's).
    """

    booked_at: datetime
    amount: float
    description: str
    category: Category
    currency: str = HOME_CURRENCY
    kind: TransactionKind | None = None

    @property
    def is_debit(self) -> bool:
        return self.amount < 0

    @property
    def is_scheduled(self) -> bool:
        """Whether the bank or a standing instruction set it off (its time says nothing of the customer)."""
        return self.kind in SCHEDULED_KINDS

    @property
    def is_foreign(self) -> bool:
        return self.currency != HOME_CURRENCY

    @classmethod
    def from_transaction(cls, transaction: Transaction) -> TransactionEvent:
        """The event of a profile-store transaction (the original currency when it was foreign)."""
        return cls(
            booked_at=transaction.booked_at,
            amount=float(transaction.amount),
            description=transaction.description,
            category=transaction.category,
            currency=(transaction.original_currency or transaction.currency or HOME_CURRENCY).upper(),
            kind=transaction.kind,
        )
