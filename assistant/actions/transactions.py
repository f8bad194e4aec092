"""Recent transactions, on one named account or across all accounts."""

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.conversation import entity_values
from assistant.actions.formatting import format_money
from bank.enums import TransactionStatus
from bank.store import ProfileStore
from bank.views import TransactionView

RECENT_LIMIT = 5


def transaction_line(transaction: TransactionView, account_name: str) -> str:
    """ "12 Nov: TESCO STORES, -£23.40 (Everyday Current)", with ", pending" when it is."""
    day = f"{transaction.booked_at.day} {transaction.booked_at:%b}"
    amount = format_money(transaction.amount, transaction.currency)
    pending = ", pending" if transaction.status == TransactionStatus.PENDING else ""
    return f"{day}: {transaction.description}, {amount}{pending} ({account_name})"


class ActionRecentTransactions(CustomerAction):
    """Show the latest transactions, newest first."""

    def name(self) -> str:
        return names.ACTION_RECENT_TRANSACTIONS

    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        store: ProfileStore,
        customer: str,
    ) -> list[EventType]:
        accounts = {a.id: a for a in store.accounts(customer)}
        requested = entity_values(tracker, names.ENTITY_ACCOUNT_TYPE)
        account = store.find_account(customer, requested[0]) if requested else None
        transactions = store.recent_transactions(
            customer, account_id=account.id if account else None, limit=RECENT_LIMIT
        )
        if not transactions:
            dispatcher.utter_message(text="I can't see any transactions yet.")
            return []
        where = f"on your {account.name}" if account else "across your accounts"
        lines = "\n".join(f"- {transaction_line(t, accounts[t.account_id].name)}" for t in transactions)
        dispatcher.utter_message(text=f"Your latest transactions {where}:\n{lines}")
        return []
