"""Correcting a spending category: "Tesco is groceries not shopping", "put my Deliveroo payments
under eating out".

The category is the one the customer names last, leaving out one they say it is not ("not
shopping", "isn't entertainment", "from shopping"); the merchant is the newest of their recent
transactions whose statement name they wrote. The correction sticks for the merchant
(``bank.categories``): its other transactions move too, and later ones follow.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.profiles import get_categories
from assistant.actions.search_query import CATEGORY_LABELS, category_mentions
from assistant.actions.transaction_search import said, shown_name
from bank.enums import Category
from bank.search import name_matches
from bank.store import ProfileStore
from bank.views import TransactionView

LOOKED_AT = 100
_NOT_BEFORE = re.compile(r"(?:\bnot|n't|\bfrom|\binstead of|\brather than)\s+(?:in\s+|under\s+|as\s+)?$")
_STOP = frozenset("""
    the my that this those these payment payments purchase purchases category categorise categorize
    recategorise recategorize change should put under mark move count file wrong please isn't not it's its
    is as to be for from on of and are was were it them they their all spending instead rather than want
    can you correct fix label into with at
""".split())


def target_category(text: str) -> Category | None:
    """The category named last that the customer doesn't say it is not."""
    lowered = text.lower()
    named = [c for start, _end, c in category_mentions(lowered) if not _NOT_BEFORE.search(lowered[:start])]
    return named[-1] if named else None


def merchant_in(text: str, transactions: list[TransactionView]) -> TransactionView | None:
    """The newest transaction whose statement name the text writes (typos allowed)."""
    lowered = text.lower()
    for start, end, _category in reversed(category_mentions(lowered)):
        lowered = lowered[:start] + " " * (end - start) + lowered[end:]
    words = [w for w in re.findall(r"[a-z0-9'&]+", lowered) if len(w) >= 3 and w not in _STOP]
    if not words:
        return None
    return next((t for t in transactions if any(name_matches(w, t.description) for w in words)), None)


class ActionCorrectCategory(CustomerAction):
    """Put a merchant's transactions in the category the customer names."""

    def name(self) -> str:
        return names.ACTION_CORRECT_CATEGORY

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        text = said(tracker)
        category = target_category(text)
        if category is None:
            options = ", ".join(CATEGORY_LABELS[c] for c in Category if c is not Category.SALARY)
            dispatcher.utter_message(
                text=f'Which category should it be? Say it with the shop, for example "Tesco is groceries". '
                f"The categories are: {options}."
            )
            return []
        transaction = merchant_in(text, store.recent_transactions(customer, limit=LOOKED_AT))
        if transaction is None:
            dispatcher.utter_message(
                text="I couldn't find that shop in your recent transactions. Name it as it appears on your "
                'statement, for example "Tesco is groceries".'
            )
            return []
        done = get_categories().correct(customer, transaction.id, category)
        label = CATEGORY_LABELS[category]
        count = "1 payment" if done.transactions == 1 else f"{done.transactions} payments"
        dispatcher.utter_message(
            text=f"Done: {shown_name(transaction.description)} is now {label}. I've moved {count} there, "
            "and new ones will go there too."
        )
        return []
