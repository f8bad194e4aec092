"""Declined payments: which card payment, cash withdrawal or transfer was refused, and why."""

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.buttons import HELP_BUTTONS
from assistant.actions.payment_status import asked_intent, payment_line, reason_text
from bank.enums import TransactionKind, TransactionStatus
from bank.store import ProfileStore
from bank.views import AccountView, TransactionView

SHOWN = 3
# intent -> (what the customer calls them, the kinds of transaction they mean)
ASKED: dict[str, tuple[str, frozenset[TransactionKind]]] = {
    names.INTENT_CARD_DECLINED: ("card payments", frozenset({TransactionKind.CARD_PAYMENT})),
    names.INTENT_DECLINED_CASH_WITHDRAWAL: (
        "cash withdrawals",
        frozenset({TransactionKind.CASH_WITHDRAWAL}),
    ),
    names.INTENT_DECLINED_TRANSFER: ("transfers", frozenset({TransactionKind.TRANSFER})),
}
ANY_PAYMENT = (
    "payments",
    frozenset(
        {
            TransactionKind.CARD_PAYMENT,
            TransactionKind.CASH_WITHDRAWAL,
            TransactionKind.TRANSFER,
            TransactionKind.DIRECT_DEBIT,
        }
    ),
)


class ActionDeclinedPayments(CustomerAction):
    """Show the latest declined payments of the kind asked about, each with its reason."""

    def name(self) -> str:
        return names.ACTION_DECLINED_PAYMENTS

    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        store: ProfileStore,
        customer: str,
    ) -> list[EventType]:
        label, kinds = ASKED.get(asked_intent(tracker) or "", ANY_PAYMENT)
        declined = store.transactions(
            customer, statuses={TransactionStatus.DECLINED}, kinds=kinds, limit=SHOWN
        )
        if not declined:
            dispatcher.utter_message(
                text=(
                    f"I can't see any declined {label} on your accounts recently. If one was "
                    "refused just now, it can take a few minutes to show; please try again shortly."
                )
            )
            return []
        accounts = {a.id: a for a in store.accounts(customer)}
        lines = "\n".join(_declined_line(payment, accounts) for payment in declined)
        several = len(declined) > 1
        noun = label if several else label.removesuffix("s")
        dispatcher.utter_message(
            text=(
                f"Your latest declined {noun}:\n{lines}\n"
                f"No money left your account for {'them' if several else 'it'}."
            ),
            buttons=HELP_BUTTONS,
        )
        return []


def _declined_line(payment: TransactionView, accounts: dict[str, AccountView]) -> str:
    why = reason_text(payment.status_reason)
    return f"- {payment_line(payment, accounts)}: declined" + (f" because {why}." if why else ".")
