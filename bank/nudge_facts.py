"""What the nudges read about one customer's money: accounts, recent booked transactions and
active standing orders, in one read-only transaction.

Nothing here decides anything; ``insights.nudges`` turns these facts into nudges.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from bank.enums import StandingOrderStatus, TransactionStatus
from bank.models import Account, StandingOrder, Transaction
from bank.payments import _standing_order_view
from bank.sessions import Store
from bank.store import _account_view, _transaction_view
from bank.values import require_customer
from bank.views import AccountView, StandingOrderView, TransactionView


@dataclass(frozen=True)
class MoneyFacts:
    """One customer's money as the nudge triggers see it.

    Attributes:
        customer_id: Whose facts these are.
        accounts: Every account of the customer.
        opened_at: Account id -> when it was opened (how far back its history can reach).
        transactions: Booked transactions since the date asked for, oldest first.
        standing_orders: Active standing orders, next payment first.
        since: The first day the transactions cover.
    """

    customer_id: str
    accounts: tuple[AccountView, ...]
    opened_at: dict[str, datetime]
    transactions: tuple[TransactionView, ...]
    standing_orders: tuple[StandingOrderView, ...]
    since: date


class NudgeFactsStore(Store):
    """Reads :class:`MoneyFacts` from the profile store."""

    def money_facts(self, customer_id: str, since: datetime) -> MoneyFacts:
        """The customer's accounts, booked transactions since ``since`` and active standing orders.

        Raises:
            UnknownCustomer: no such customer.
        """
        with self._sessions() as session:
            require_customer(session, customer_id)
            accounts = list(session.scalars(
                select(Account).where(Account.customer_id == customer_id)
                .order_by(Account.opened_at, Account.id)
            ))
            ids = [a.id for a in accounts]
            transactions = session.scalars(
                select(Transaction)
                .where(Transaction.account_id.in_(ids), Transaction.status == TransactionStatus.BOOKED,
                       Transaction.booked_at >= since)
                .order_by(Transaction.booked_at, Transaction.id)
            )
            orders = session.scalars(
                select(StandingOrder)
                .where(StandingOrder.customer_id == customer_id,
                       StandingOrder.status == StandingOrderStatus.ACTIVE)
                .order_by(StandingOrder.next_date, StandingOrder.id)
            )
            return MoneyFacts(
                customer_id=customer_id,
                accounts=tuple(_account_view(a) for a in accounts),
                opened_at={a.id: a.opened_at for a in accounts},
                transactions=tuple(_transaction_view(t) for t in transactions),
                standing_orders=tuple(_standing_order_view(o) for o in orders),
                since=since.date(),
            )
