"""Customers' corrections of their transactions' categories.

Correcting one transaction's category corrects the merchant's: every transaction of the
customer from the same merchant moves to it, and ``category_for`` gives it to those booked
later. A merchant is its statement description without numbers and punctuation ("TESCO STORES
3297" and "TESCO STORES 0412" are one merchant: ``merchant_key``). Spending insights, budgets
and search read the corrected category.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from bank.enums import Category
from bank.errors import NotACategory, UnknownTransaction
from bank.models import Account, CategoryCorrection, Transaction
from bank.models import utcnow as _utcnow
from bank.sessions import Store, writing
from bank.values import new_id, require_customer

_TOKEN = re.compile(r"[^\W\d_]+")


def merchant_key(description: str) -> str:
    """The merchant of a statement description: its words, without numbers or punctuation,
    lower case ("SQ *COFFEE SHOP 12" -> "sq coffee shop")."""
    return " ".join(token for token in _TOKEN.findall(description.casefold()))[:128]


@dataclass(frozen=True)
class Corrected:
    """What a correction changed: the corrected transaction's description, its new category
    and how many of the customer's transactions (from that merchant) are now in it."""

    description: str
    category: Category
    transactions: int


def category_for(session: Session, customer_id: str, description: str) -> Category | None:
    """The category the customer gave this description's merchant, if they corrected it."""
    key = merchant_key(description)
    return session.scalar(select(CategoryCorrection.category).where(*_corrections_of(customer_id, key)))


class CategoryStore(Store):
    """Corrections of transaction categories, which stick for the merchant."""

    def correct(self, customer_id: str, transaction_id: str, category: Category | str) -> Corrected:
        """Put one of the customer's transactions, and the merchant's others, in ``category``.

        Raises:
            NotACategory: no category of ours.
            UnknownTransaction: not a transaction on the customer's accounts.
            UnknownCustomer: no such customer.
        """
        try:
            chosen = Category(category)
        except ValueError:
            raise NotACategory() from None
        with writing(self._sessions) as session:
            require_customer(session, customer_id)
            accounts = select(Account.id).where(Account.customer_id == customer_id)
            description = session.scalar(
                select(Transaction.description).where(
                    Transaction.id == transaction_id, Transaction.account_id.in_(accounts)
                )
            )
            if description is None:
                raise UnknownTransaction()
            key = merchant_key(description)
            mine = session.scalars(
                select(Transaction.description).distinct().where(Transaction.account_id.in_(accounts))
            )
            same = [d for d in mine if merchant_key(d) == key]
            session.execute(
                update(Transaction)
                .where(Transaction.account_id.in_(accounts), Transaction.description.in_(same))
                .values(category=chosen)
                .execution_options(synchronize_session=False)
            )
            moved = session.scalar(
                select(func.count()).select_from(Transaction).where(
                    Transaction.account_id.in_(accounts), Transaction.description.in_(same)
                )
            )
            correction = session.scalars(
                select(CategoryCorrection).where(*_corrections_of(customer_id, key))
            ).one_or_none()
            if correction is None:
                correction = CategoryCorrection(id=new_id("cor"), customer_id=customer_id,
                                                description=key, created_at=_utcnow())
                session.add(correction)
            correction.category = chosen
            return Corrected(description, chosen, int(moved or 0))


def _corrections_of(customer_id: str, key: str) -> tuple[ColumnElement[bool], ...]:
    return (CategoryCorrection.customer_id == customer_id, CategoryCorrection.description == key)
