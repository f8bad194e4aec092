"""Where a new, replacement or renewal card is: ordered, in the post, overdue or delivered."""

from datetime import UTC, datetime

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.buttons import HELP_BUTTONS
from assistant.actions.payment_status import UK, day_label
from assistant.facts import render
from bank.enums import CardDeliveryReason, CardDeliveryStatus
from bank.store import ProfileStore
from bank.views import CardDeliveryView

WHAT = {
    CardDeliveryReason.NEW: "new card",
    CardDeliveryReason.REPLACEMENT: "replacement card",
    CardDeliveryReason.RENEWAL: "renewed card",
}
NOTHING_ON_ITS_WAY = (
    "I can't see a card on its way to you. If you ordered one in the last day, it may not show "
    "yet; new cards arrive within {policy.cards.delivery_working_days} working days. If you need "
    "a new card, a colleague can order one for you."
)


class ActionCardDeliveryStatus(CustomerAction):
    """Say where the customer's latest card order is and when it should arrive."""

    def name(self) -> str:
        return names.ACTION_CARD_DELIVERY_STATUS

    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        store: ProfileStore,
        customer: str,
    ) -> list[EventType]:
        deliveries = store.card_deliveries(customer)
        if not deliveries:
            dispatcher.utter_message(text=render(NOTHING_ON_ITS_WAY), buttons=HELP_BUTTONS)
            return []
        latest = deliveries[0]
        overdue = _overdue(latest)
        dispatcher.utter_message(text=delivery_text(latest), buttons=HELP_BUTTONS if overdue else [])
        return []


def delivery_text(delivery: CardDeliveryView, now: datetime | None = None) -> str:
    """What the customer needs to know about one card order."""
    card = f"Your {WHAT[delivery.reason]} ending {delivery.last4}"
    by = day_label(delivery.expected_by)
    if delivery.status == CardDeliveryStatus.DELIVERED:
        return f"{card} has been delivered. You can activate it in the app under Cards."
    if _overdue(delivery, now):
        return (
            f"{card} should have arrived by {by}. I'm sorry it hasn't: a colleague can cancel it "
            "and send you another one."
        )
    if delivery.status == CardDeliveryStatus.DISPATCHED and delivery.dispatched_at is not None:
        posted = day_label(delivery.dispatched_at.astimezone(UK).date())
        return f"{card} was posted on {posted} and should arrive by {by}."
    ordered = day_label(delivery.ordered_at.astimezone(UK).date())
    return f"{card} was ordered on {ordered}; we'll post it soon and it should arrive by {by}."


def _overdue(delivery: CardDeliveryView, now: datetime | None = None) -> bool:
    today = (now or datetime.now(UTC)).astimezone(UK).date()
    return delivery.status != CardDeliveryStatus.DELIVERED and delivery.expected_by < today
