"""Balances: one named account, or all of the customer's accounts."""

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.conversation import entity_values
from assistant.actions.formatting import account_label, format_money
from bank.enums import AccountKind
from bank.store import ProfileStore
from bank.views import AccountView


def balance_line(account: AccountView) -> str:
    """ "Everyday Current (ending 4821): £1,432.18", with the available amount if it differs."""
    line = f"{account_label(account)}: {format_money(account.balance, account.currency)}"
    if account.available != account.balance or account.kind == AccountKind.CREDIT_CARD:
        line += f" ({format_money(account.available, account.currency)} available)"
    return line


class ActionCheckBalance(CustomerAction):
    """Tell the balance of the account the customer named, or of all their accounts."""

    def name(self) -> str:
        return names.ACTION_CHECK_BALANCE

    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        store: ProfileStore,
        customer: str,
    ) -> list[EventType]:
        requested = entity_values(tracker, names.ENTITY_ACCOUNT_TYPE)
        if requested:
            account = store.find_account(customer, requested[0])
            if account is not None:
                dispatcher.utter_message(text=f"The balance of your {balance_line(account)}.")
                return []
        accounts = store.accounts(customer)
        if not accounts:
            dispatcher.utter_message(text="You don't have any open accounts with us.")
            return []
        intro = (
            "I couldn't find that account, so here are all your balances:"
            if requested
            else "Here are your balances:"
        )
        lines = "\n".join(f"- {balance_line(a)}" for a in accounts)
        dispatcher.utter_message(text=f"{intro}\n{lines}")
        return []
