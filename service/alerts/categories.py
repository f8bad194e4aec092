"""New transactions get their spending category on the event path, before they are scored: the
customer's own correction for the merchant wins (``bank.categories``); a transaction that came
without a category (``other``) gets our model's, or the keyword rules' when the model is unsure
(``insights.categories``). The model is loaded on the first transaction that needs it."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from bank.categories import category_for
from bank.enums import Category
from bank.models import Transaction
from insights.categories import Categoriser, Source


class NewTransactionCategories:
    """Sets the category of each new transaction as it is read.

    Args:
        categoriser: makes the categoriser when first needed (the committed model by default).
    """

    def __init__(self, categoriser: Callable[[], Categoriser] = Categoriser.from_file) -> None:
        self._make = categoriser
        self._categoriser: Categoriser | None = None

    def apply(self, session: Session, customer_id: str, transaction: Transaction) -> None:
        corrected = category_for(session, customer_id, transaction.description)
        if corrected is not None:
            transaction.category = corrected
            return
        if transaction.category != Category.OTHER:
            return
        if self._categoriser is None:
            self._categoriser = self._make()
        found = self._categoriser.categorise(transaction.description, transaction.amount)
        if found.source != Source.FALLBACK:
            transaction.category = found.category
