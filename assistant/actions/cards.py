"""Lost or stolen cards: freeze the card at once and tell the customer what happens next."""

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.buttons import SPEAK_TO_SOMEONE
from bank.enums import CardKind, CardStatus
from bank.errors import AmbiguousCard, NoActiveCard
from bank.store import ProfileStore
from bank.views import CardView

NEXT_STEPS_BUTTONS = [
    {"title": "Show recent transactions", "payload": "/recent_transactions"},
    SPEAK_TO_SOMEONE,
]


class ActionFreezeCard(CustomerAction):
    """Freeze the customer's debit card (every active one when they have several).

    A change to the customer's cards: it needs a recent login (a step-up otherwise).
    """

    def name(self) -> str:
        return names.ACTION_FREEZE_CARD

    def needs_recent_login(self, tracker: Tracker) -> bool:
        return True

    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        store: ProfileStore,
        customer: str,
    ) -> list[EventType]:
        try:
            frozen = [store.freeze_card(customer)]
        except AmbiguousCard:
            frozen = [
                store.freeze_card(customer, card.id)
                for card in store.cards(customer)
                if card.kind == CardKind.DEBIT and card.status == CardStatus.ACTIVE
            ]
        except NoActiveCard:
            dispatcher.utter_message(
                text=(
                    "I can't find an active card to freeze: it may already be cancelled. "
                    "If you think someone is using your account, please speak to a colleague."
                ),
                buttons=NEXT_STEPS_BUTTONS,
            )
            return []
        dispatcher.utter_message(text=_frozen_text(frozen), buttons=NEXT_STEPS_BUTTONS)
        return []


def _frozen_text(cards: list[CardView]) -> str:
    endings = " and ".join(card.last4 for card in cards)
    noun = "card" if len(cards) == 1 else "cards"
    return (
        f"I've frozen your {noun} ending {endings}, so no one can pay with it or take out "
        "cash. If you find it, you can unfreeze it in the app under Cards. If it was "
        "stolen, check your recent transactions and tell us about any you don't recognise."
    )
