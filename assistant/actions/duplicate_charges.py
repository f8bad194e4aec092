"""A card payment charged twice: find it, explain pending and booked entries, offer a dispute."""

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.formatting import format_money
from assistant.actions.payment_status import UK, when
from bank.enums import TransactionStatus
from bank.store import ProfileStore
from bank.views import AccountView, DuplicateCharge

PENDING_AND_BOOKED = (
    "While a card payment is being processed it can show twice, once as pending and once as "
    "booked; the pending entry drops off within a few days and you only pay once."
)
BOTH_BOOKED = (
    "If you only paid once, please ask the shop to refund the second payment first. If they "
    "won't, we can dispute it with them for you."
)
NONE_FOUND = (
    "I can't see a card payment taken twice on your accounts recently. A payment can show twice "
    "for a few days, once as pending and once as booked: the pending entry drops off on its own. "
    "If you still see two booked payments, a colleague can dispute one for you."
)
DISPUTE_BUTTONS = [{"title": "Dispute a payment", "payload": "/request_human"}]


class ActionDuplicateCharges(CustomerAction):
    """Show card payments that look charged twice and what the customer can do."""

    def name(self) -> str:
        return names.ACTION_DUPLICATE_CHARGES

    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        store: ProfileStore,
        customer: str,
    ) -> list[EventType]:
        doubled = store.duplicate_charges(customer)
        if not doubled:
            dispatcher.utter_message(text=NONE_FOUND, buttons=DISPUTE_BUTTONS)
            return []
        accounts = {a.id: a for a in store.accounts(customer)}
        lines = "\n".join(f"- {duplicate_line(pair, accounts)}" for pair in doubled[:3])
        any_pending = any(TransactionStatus.PENDING in (p.first.status, p.second.status) for p in doubled)
        advice = PENDING_AND_BOOKED if any_pending else BOTH_BOOKED
        dispatcher.utter_message(
            text=f"These card payments look like they were taken twice:\n{lines}\n{advice}",
            buttons=DISPUTE_BUTTONS,
        )
        return []


def duplicate_line(pair: DuplicateCharge, accounts: dict[str, AccountView]) -> str:
    """ "PRET A MANGER, £7.85 twice, yesterday at 12:31 and 12:33 (Everyday Current), both booked"."""
    first, second = pair.first, pair.second
    account = accounts.get(first.account_id)
    where = f" ({account.name})" if account else ""
    statuses = {first.status, second.status}
    state = "both booked" if statuses == {TransactionStatus.BOOKED} else "one pending, one booked"
    if statuses == {TransactionStatus.PENDING}:
        state = "both pending"
    second_time = f"{second.booked_at.astimezone(UK):%H:%M}"
    amount = format_money(abs(first.amount), first.currency)
    return f"{first.description}, {amount} twice, {when(first.booked_at)} and {second_time}{where}, {state}"
