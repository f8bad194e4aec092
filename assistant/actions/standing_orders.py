"""The customer's standing orders: listing them, and cancelling one.

Setting one up is the payment form's (``assistant.actions.payments``). Cancelling runs in one
action, like cancelling a transfer: asked, it offers the only order (or one button per
order, and then offers the one picked), remembering the offer in ``standing_order_to_cancel``;
on yes it cancels that order, which needs a recent login; on no it leaves it. Payees are named
by the end of their account number, never by name.
"""

import json
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.conversation import confirms_offer, latest_intent
from assistant.actions.formatting import format_money
from assistant.actions.profiles import get_payees, get_payments
from bank.enums import Frequency
from bank.errors import StandingOrderAlreadyCancelled, UnknownStandingOrder
from bank.store import ProfileStore
from bank.views import StandingOrderView

NO_ORDERS = "You don't have any standing orders. I can set one up to one of your payees if you like."
LEFT_AS_IS = "OK, I've left it: the standing order carries on as before."
NOTHING_WAITING = "There's no standing order waiting to be cancelled. Is there anything else I can help with?"
CONFIRM_BUTTONS = [
    {"title": "Yes, cancel it", "payload": f"/{names.INTENT_AFFIRM}"},
    {"title": "No, keep it", "payload": f"/{names.INTENT_DENY}"},
]
SET_UP_BUTTON = {"title": "Set up a standing order", "payload": f"/{names.INTENT_SET_UP_STANDING_ORDER}"}
CANCEL_BUTTON = {"title": "Cancel one", "payload": f"/{names.INTENT_CANCEL_STANDING_ORDER}"}


def order_line(order: StandingOrderView, endings: dict[str, str]) -> str:
    """ "£50.00 every month to the payee with account ending 1864, next on 15 December 2026
    (reference "RENT")"."""
    every = "every week" if order.frequency == Frequency.WEEKLY else "every month"
    ending = endings.get(order.payee_id)
    to = f"the payee with account ending {ending}" if ending else "a payee you have removed"
    reference = f' (reference "{order.reference}")' if order.reference else ""
    return (f"{format_money(order.amount)} {every} to {to}, next on "
            f"{order.next_date.day} {order.next_date:%B %Y}{reference}")


def _endings(customer: str) -> dict[str, str]:
    return {p.id: p.masked_account_number[-4:] for p in get_payees().payees(customer)}


class ActionListStandingOrders(CustomerAction):
    """List the customer's active standing orders, next payment first."""

    def name(self) -> str:
        return names.ACTION_LIST_STANDING_ORDERS

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        orders = get_payments().standing_orders(customer)
        if not orders:
            dispatcher.utter_message(text=NO_ORDERS, buttons=[SET_UP_BUTTON])
            return []
        endings = _endings(customer)
        lines = "\n".join(f"- {order_line(o, endings)}" for o in orders)
        count = "one standing order" if len(orders) == 1 else f"{len(orders)} standing orders"
        dispatcher.utter_message(text=f"You have {count}:\n{lines}", buttons=[CANCEL_BUTTON, SET_UP_BUTTON])
        return []


class ActionCancelStandingOrder(CustomerAction):
    """Offer a standing order to cancel (or a choice of them); cancel it on yes."""

    def name(self) -> str:
        return names.ACTION_CANCEL_STANDING_ORDER

    def needs_recent_login(self, tracker: Tracker) -> bool:
        return _confirmed(tracker)

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        offered = tracker.get_slot(names.SLOT_STANDING_ORDER_TO_CANCEL)
        intent = latest_intent(tracker)
        if intent == names.INTENT_DENY:
            dispatcher.utter_message(text=LEFT_AS_IS if offered else NOTHING_WAITING)
            return [SlotSet(names.SLOT_STANDING_ORDER_TO_CANCEL, None)]
        if _confirmed(tracker):
            return self._cancel(dispatcher, customer, str(offered))
        if intent == names.INTENT_AFFIRM:  # a yes with no offer open
            dispatcher.utter_message(text=NOTHING_WAITING)
            return []
        picked = next(tracker.get_latest_entity_values(names.ENTITY_STANDING_ORDER_ID), None)
        return self._offer(dispatcher, customer, picked)

    def _offer(self, dispatcher: CollectingDispatcher, customer: str, picked: Any) -> list[EventType]:
        orders = get_payments().standing_orders(customer)
        if not orders:
            dispatcher.utter_message(text=NO_ORDERS, buttons=[SET_UP_BUTTON])
            return [SlotSet(names.SLOT_STANDING_ORDER_TO_CANCEL, None)]
        endings = _endings(customer)
        chosen = next((o for o in orders if o.id == picked), None)
        if chosen is None and len(orders) == 1:
            chosen = orders[0]
        if chosen is None:
            buttons = [
                {
                    "title": order_line(o, endings).split(", next on")[0],
                    "payload": f"/{names.INTENT_CANCEL_STANDING_ORDER}"
                    f"{json.dumps({names.ENTITY_STANDING_ORDER_ID: o.id})}",
                }
                for o in orders
            ]
            dispatcher.utter_message(text="Which standing order would you like to cancel?", buttons=buttons)
            return [SlotSet(names.SLOT_STANDING_ORDER_TO_CANCEL, None)]
        dispatcher.utter_message(
            text=f"Shall I cancel your standing order of {order_line(chosen, endings)}?",
            buttons=CONFIRM_BUTTONS,
        )
        return [SlotSet(names.SLOT_STANDING_ORDER_TO_CANCEL, chosen.id)]

    def _cancel(self, dispatcher: CollectingDispatcher, customer: str, order_id: str) -> list[EventType]:
        forget = [SlotSet(names.SLOT_STANDING_ORDER_TO_CANCEL, None)]
        try:
            cancelled = get_payments().cancel_standing_order(customer, order_id)
        except (StandingOrderAlreadyCancelled, UnknownStandingOrder) as error:
            dispatcher.utter_message(text=str(error))
            return forget
        every = "weekly" if cancelled.frequency == Frequency.WEEKLY else "monthly"
        dispatcher.utter_message(
            text=f"Done: I've cancelled your {every} standing order of {format_money(cancelled.amount)}. "
            "No more payments will be made from it."
        )
        return forget

    def on_step_up(self) -> list[EventType]:
        return []  # the offer stays open: the cancellation runs once the customer is back


def _confirmed(tracker: Tracker) -> bool:
    return confirms_offer(tracker, names.SLOT_STANDING_ORDER_TO_CANCEL)
