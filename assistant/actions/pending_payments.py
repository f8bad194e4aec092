"""Pending payments: card payments, withdrawals, transfers and money coming in that are not
in the balance yet, and when they usually are."""

from dataclasses import dataclass

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.payment_status import asked_intent, payment_line
from assistant.facts import render
from bank.enums import TOP_UP_KINDS, TransactionKind, TransactionStatus
from bank.store import ProfileStore
from bank.views import TransactionView

SHOWN = 5


@dataclass(frozen=True)
class Asked:
    """What a question is about: a label, the kinds of transaction, money in (+1), out (-1)
    or both (0), and what happens next to such a pending one (with ``{policy.*}`` facts)."""

    label: str
    kinds: frozenset[TransactionKind]
    direction: int
    next_step: str


_CARD = Asked(
    "card payments",
    frozenset({TransactionKind.CARD_PAYMENT}),
    -1,
    "A pending card payment is one the shop has asked for but not collected yet. It is booked "
    "when they collect it; if they haven't within {policy.refunds.pending_drop_off_days} days, it "
    "drops off and the money stays with you.",
)
ASKED: dict[str, Asked] = {
    names.INTENT_PENDING_CARD_PAYMENT: _CARD,
    names.INTENT_PENDING_CASH_WITHDRAWAL: Asked(
        "cash withdrawals",
        frozenset({TransactionKind.CASH_WITHDRAWAL}),
        -1,
        "A cash withdrawal shows as pending until the cash machine's bank settles it, usually by "
        "the next working day.",
    ),
    names.INTENT_PENDING_TRANSFER: Asked(
        "transfers",
        frozenset({TransactionKind.TRANSFER}),
        -1,
        "A new transfer stays pending for a short while before it is sent, and can be cancelled "
        "until then; just ask me to cancel a transfer.",
    ),
    names.INTENT_PENDING_TOP_UP: Asked(
        "top-ups",
        TOP_UP_KINDS,
        1,
        "Money added by debit card arrives {policy.adding_money.card_arrival}, by bank transfer "
        "usually {policy.transfers.uk_arrival}; a cheque clears by "
        "{policy.adding_money.cheque_cleared_by}.",
    ),
    names.INTENT_BALANCE_NOT_UPDATED_AFTER_BANK_TRANSFER: Asked(
        "incoming bank transfers",
        frozenset({TransactionKind.BANK_TRANSFER_IN}),
        1,
        "Payments from other UK banks usually arrive {policy.transfers.uk_arrival}, and at the "
        "latest by {policy.transfers.uk_latest}. Until then they show as pending.",
    ),
    names.INTENT_BALANCE_NOT_UPDATED_AFTER_DEPOSIT: Asked(
        "cash or cheque deposits",
        frozenset({TransactionKind.CASH_DEPOSIT, TransactionKind.CHEQUE_DEPOSIT}),
        1,
        "Cash paid in at a branch is in your balance {policy.adding_money.cash_branch_arrival}, at "
        "a Post Office {policy.adding_money.cash_post_office_arrival}; a cheque clears by "
        "{policy.adding_money.cheque_cleared_by}.",
    ),
}
ANYTHING = Asked(
    "payments",
    frozenset(TransactionKind),
    0,
    "Pending payments are not in your balance yet: they are booked within a few days.",
)


class ActionPendingPayments(CustomerAction):
    """Show the pending transactions of the kind asked about, and when they are booked."""

    def name(self) -> str:
        return names.ACTION_PENDING_PAYMENTS

    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        store: ProfileStore,
        customer: str,
    ) -> list[EventType]:
        asked = ASKED.get(asked_intent(tracker) or "", ANYTHING)
        pending_only = {TransactionStatus.PENDING}
        found = store.transactions(customer, statuses=pending_only, kinds=asked.kinds, limit=50)
        pending = [t for t in found if _fits(t, asked)][:SHOWN]
        if not pending:
            dispatcher.utter_message(
                text=f"You have no pending {asked.label} at the moment: everything is in your balance."
            )
            return []
        accounts = {a.id: a for a in store.accounts(customer)}
        lines = "\n".join(f"- {payment_line(t, accounts)}" for t in pending)
        several = len(pending) > 1
        noun = asked.label if several else asked.label.removesuffix("s")
        dispatcher.utter_message(
            text=f"Your pending {noun}, not in your balance yet:\n{lines}\n{render(asked.next_step)}"
        )
        return []


def _fits(transaction: TransactionView, asked: Asked) -> bool:
    """Money in the direction asked about; a transfer between own accounts once (its way out)."""
    if transaction.kind == TransactionKind.TRANSFER and transaction.amount > 0:
        return False
    return asked.direction == 0 or (transaction.amount > 0) == (asked.direction > 0)
