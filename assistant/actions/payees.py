"""The customer's payees: listing them, and adding one (through the web chat's form).

Payees are named by the end of their account number, never by name: the ``payees`` payload
carries their ids, and the web chat shows their names from the payees API. A new payee's
sort code and account number are never typed into the chat (the privacy layer would hide
them from the bot anyway): the ``add_payee`` payload opens a form that sends them to
``POST /v1/conversations/{id}/payees``, which checks the name against the account (the payee
check) and needs a recent sign-in.
"""

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.payments import payees_payload
from assistant.actions.profiles import get_payees
from bank.enums import PayeeCheckOutcome
from bank.store import ProfileStore

_CHECKED = {
    PayeeCheckOutcome.MATCH: "name checked",
    PayeeCheckOutcome.CLOSE_MATCH: "name close to the one on the account",
    PayeeCheckOutcome.NO_MATCH: "name didn't match the account",
    PayeeCheckOutcome.UNAVAILABLE: "name couldn't be checked",
}


class ActionListPayees(CustomerAction):
    """List the customer's payees, with what the payee check said about each."""

    def name(self) -> str:
        return names.ACTION_LIST_PAYEES

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        payees = get_payees().payees(customer)
        if not payees:
            dispatcher.utter_message(
                text="You haven't saved any payees yet. You can add one here.",
                json_message={"type": names.PAYLOAD_ADD_PAYEE},
            )
            return []
        lines = "\n".join(
            f"- account ending {p.masked_account_number[-4:]} ({p.holder_kind.value}, "
            f"{_CHECKED[p.check_outcome]}, added {p.created_at.day} {p.created_at:%b %Y})"
            for p in payees
        )
        count = "one payee" if len(payees) == 1 else f"{len(payees)} payees"
        dispatcher.utter_message(text=f"You have {count}:\n{lines}")
        dispatcher.utter_message(json_message=payees_payload(payees))
        return []


class ActionAddPayee(CustomerAction):
    """Open the web chat's form for a new payee (the API adds it, after a step-up)."""

    def name(self) -> str:
        return names.ACTION_ADD_PAYEE

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        dispatcher.utter_message(
            text=(
                "Please fill in the new payee's name, sort code and account number in the form. "
                "I'll check the name against the account before you pay them. For your safety, "
                "please don't type account details into the chat."
            ),
            json_message={"type": names.PAYLOAD_ADD_PAYEE},
        )
        return []
