"""Account details: which accounts the customer has, by name and masked number."""

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from bank.store import ProfileStore


class ActionAccountDetails(CustomerAction):
    """List the customer's accounts with masked numbers (never full numbers in chat)."""

    def name(self) -> str:
        return names.ACTION_ACCOUNT_DETAILS

    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        store: ProfileStore,
        customer: str,
    ) -> list[EventType]:
        accounts = store.accounts(customer)
        if not accounts:
            dispatcher.utter_message(text="You don't have any open accounts with us.")
            return []
        lines = "\n".join(
            f"- {a.name} ({a.kind.replace('_', ' ')}), number {a.masked_number}" for a in accounts
        )
        dispatcher.utter_message(
            text=(
                f"These are your accounts:\n{lines}\n"
                "For security I only show the last four digits here. Your full account "
                "number and sort code are in the app under Accounts > Details."
            )
        )
        return []
