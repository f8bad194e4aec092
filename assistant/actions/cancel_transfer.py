"""Cancelling a transfer: the latest transfers and where they stand, an offer to cancel the
newest one that still can be, and the cancellation once the customer says yes.

One action runs every step (assistant/data/rules_account_status.yml): asked about cancelling,
it lists and offers (remembering the offer in ``transfer_to_cancel``); on yes it cancels that
transfer, which needs a recent login; on no it leaves it. The store checks that the transfer
is the signed-in customer's and still pending, under a row lock, so money never moves twice.
"""

from datetime import UTC, datetime

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.buttons import HELP_BUTTONS
from assistant.actions.conversation import confirms_offer, latest_intent
from assistant.actions.formatting import format_money
from assistant.actions.payment_status import UK, when
from bank.enums import TransferStatus
from bank.errors import TransferAlreadyCancelled, TransferNotCancellable, UnknownTransfer
from bank.store import ProfileStore
from bank.views import AccountView, TransferStatusView

SHOWN = 3
LOOKED_AT = 20  # a transfer that can still be cancelled is shown even if newer ones were sent
STATUS = {
    TransferStatus.COMPLETED: "sent",
    TransferStatus.CANCELLED: "cancelled",
    TransferStatus.PENDING: "being sent",
}
CONFIRM_BUTTONS = [
    {"title": "Yes, cancel it", "payload": "/affirm"},
    {"title": "No, leave it", "payload": "/deny"},
]
NO_TRANSFERS = "You haven't made any transfers yet, so there's nothing to cancel."
NONE_CANCELLABLE = (
    "None of them can be cancelled now: a transfer can only be cancelled in the first few "
    "minutes, before it is sent. If one went to the wrong place, a colleague can help."
)
LEFT_AS_IS = "OK, I've left it: the transfer will go ahead as planned."
NOTHING_WAITING = "There's no transfer waiting to be cancelled. Is there anything else I can help with?"


class ActionCancelTransfer(CustomerAction):
    """List the latest transfers and offer to cancel one; cancel it on yes."""

    def name(self) -> str:
        return names.ACTION_CANCEL_TRANSFER

    def needs_recent_login(self, tracker: Tracker) -> bool:
        return _confirmed(tracker)

    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        store: ProfileStore,
        customer: str,
    ) -> list[EventType]:
        offered = tracker.get_slot(names.SLOT_TRANSFER_TO_CANCEL)
        intent = latest_intent(tracker)
        if intent == names.INTENT_DENY:
            dispatcher.utter_message(text=LEFT_AS_IS if offered else NOTHING_WAITING)
            return [SlotSet(names.SLOT_TRANSFER_TO_CANCEL, None)]
        if _confirmed(tracker):
            return self._cancel(dispatcher, store, customer, str(offered))
        if intent == names.INTENT_AFFIRM:  # a yes with no offer open
            dispatcher.utter_message(text=NOTHING_WAITING)
            return []
        return self._offer(dispatcher, store, customer)

    def _offer(self, dispatcher: CollectingDispatcher, store: ProfileStore, customer: str) -> list[EventType]:
        transfers = store.recent_transfers(customer, limit=LOOKED_AT)
        if not transfers:
            dispatcher.utter_message(text=NO_TRANSFERS)
            return [SlotSet(names.SLOT_TRANSFER_TO_CANCEL, None)]
        accounts = {a.id: a for a in store.accounts(customer)}
        now = datetime.now(UTC)
        cancellable = next((t for t in transfers if t.can_cancel(now)), None)
        shown = transfers[:SHOWN]
        if cancellable is not None and cancellable not in shown:
            shown[-1] = cancellable
        lines = "\n".join(f"- {transfer_line(t, accounts, now)}" for t in shown)
        if cancellable is None:
            dispatcher.utter_message(
                text=f"Your latest transfers:\n{lines}\n{NONE_CANCELLABLE}", buttons=HELP_BUTTONS
            )
            return [SlotSet(names.SLOT_TRANSFER_TO_CANCEL, None)]
        dispatcher.utter_message(
            text=(
                f"Your latest transfers:\n{lines}\nShall I cancel the "
                f"{_what(cancellable, accounts)} made {when(cancellable.created_at, now)}?"
            ),
            buttons=CONFIRM_BUTTONS,
        )
        return [SlotSet(names.SLOT_TRANSFER_TO_CANCEL, cancellable.id)]

    def _cancel(
        self, dispatcher: CollectingDispatcher, store: ProfileStore, customer: str, transfer_id: str
    ) -> list[EventType]:
        forget = [SlotSet(names.SLOT_TRANSFER_TO_CANCEL, None)]
        try:
            cancelled = store.cancel_transfer(customer, transfer_id)
        except (TransferAlreadyCancelled, TransferNotCancellable, UnknownTransfer) as error:
            dispatcher.utter_message(text=str(error))
            return forget
        accounts = {a.id: a for a in store.accounts(customer)}
        source = accounts.get(cancelled.source_account_id)
        stays = f" The money stays in your {source.name}." if source else ""
        dispatcher.utter_message(text=f"Done: I've cancelled your {_what(cancelled, accounts)}.{stays}")
        return forget

    def on_step_up(self) -> list[EventType]:
        return []  # the offer stays open: the cancellation runs once the customer is back


def _confirmed(tracker: Tracker) -> bool:
    return confirms_offer(tracker, names.SLOT_TRANSFER_TO_CANCEL)


def _what(transfer: TransferStatusView, accounts: dict[str, AccountView]) -> str:
    """ "£200.00 transfer to Rainy Day Saver"."""
    destination = accounts.get(transfer.destination_account_id)
    to = f" to {destination.name}" if destination else ""
    return f"{format_money(transfer.amount)} transfer{to}"


def transfer_line(transfer: TransferStatusView, accounts: dict[str, AccountView], now: datetime) -> str:
    """ "today at 01:05: £200.00 from Everyday Current to Rainy Day Saver, pending: you can
    cancel it until 01:35"."""
    source = accounts.get(transfer.source_account_id)
    destination = accounts.get(transfer.destination_account_id)
    route = f" from {source.name}" if source else ""
    route += f" to {destination.name}" if destination else ""
    text = f"{when(transfer.created_at, now)}: {format_money(transfer.amount)}{route}"
    if transfer.can_cancel(now) and transfer.cancellable_until is not None:
        until = f"{transfer.cancellable_until.astimezone(UK):%H:%M}"
        return f"{text}, pending: you can cancel it until {until}"
    return f"{text}, {STATUS[transfer.status]}"
