"""Moving money between the customer's own accounts (``transfer_form``).

The form asks for the amount, the account to take it from and the account to pay it
into, then shows a summary with yes / no buttons. Every answer is checked against the
customer's real accounts; a later answer may correct an earlier one ("actually make it
£300"). ``action_execute_transfer`` moves the money through the profile store.

An anonymous customer is asked to sign in and the form stops with their answers kept; a
customer whose login is not recent is asked for a step-up before any money moves, and the
summary is shown again. Either way the form starts again after ``/signed_in``.
"""

import json
from abc import ABC
from decimal import Decimal
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant import names
from assistant.actions import replies
from assistant.actions.account_roles import DESTINATION, SOURCE, roles_by_preposition
from assistant.actions.base import CustomerAction
from assistant.actions.conversation import (
    customer_assertion,
    customer_id,
    latest_text,
)
from assistant.actions.formatting import account_label, format_money
from assistant.actions.parsing import ParseError, is_negative_amount, parse_amount
from assistant.actions.profiles import get_store
from assistant.actions.sign_in import ask_to_sign_in
from assistant.actions.slot_filling import confirmation, is_correction, text_answer
from bank.enums import AccountKind
from bank.store import ProfileStore
from bank.views import AccountView

YES_NO_BUTTONS = [
    {"title": "Yes, move it", "payload": f"/{names.INTENT_AFFIRM}"},
    {"title": "No, cancel", "payload": f"/{names.INTENT_DENY}"},
]


def _account(store: ProfileStore, customer: str, account_id: Any) -> AccountView | None:
    return next((a for a in store.accounts(customer) if a.id == account_id), None)


def _resolve(store: ProfileStore, customer: str, text: str) -> AccountView | None:
    """The account ``text`` names: an account id we stored, or what the customer typed."""
    return _account(store, customer, text) or store.find_account(customer, text)


def _amount(value: Any) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None


class ValidateTransferForm(FormValidationAction):
    """Check the amount and both accounts against the customer's accounts."""

    def name(self) -> str:
        return names.ACTION_VALIDATE_TRANSFER_FORM

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Validate for a signed-in customer; for an anonymous one, ask them to sign in and
        stop the form, keeping the answers as given (checked when the form starts again)."""
        if customer_assertion(tracker, self.name()) is None:
            events = ask_to_sign_in(dispatcher, tracker, names.FORM_TRANSFER)
            return [*events, SlotSet(names.SLOT_REQUESTED, None)]
        return await super().run(dispatcher, tracker, domain)

    # -- extraction when the entity extractor found nothing ----------------------------

    async def extract_transfer_amount(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return text_answer(tracker, names.SLOT_TRANSFER_AMOUNT, parse_amount)

    async def extract_source_account(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        named = _named_accounts(tracker).get(SOURCE)
        if named is not None:
            return {names.SLOT_SOURCE_ACCOUNT: named}
        return text_answer(tracker, names.SLOT_SOURCE_ACCOUNT, str)

    async def extract_destination_account(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        named = _named_accounts(tracker).get(DESTINATION)
        if named is not None:
            return {names.SLOT_DESTINATION_ACCOUNT: named}
        return text_answer(tracker, names.SLOT_DESTINATION_ACCOUNT, str)

    async def extract_transfer_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Yes / no to the summary; not to "do you want to stop?" asked meanwhile."""
        return confirmation(tracker, names.SLOT_TRANSFER_CONFIRMED)

    # -- validation ---------------------------------------------------------------------

    async def validate_transfer_amount(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            amount = parse_amount(str(value))
            text = latest_text(tracker)
            if str(value) in text and is_negative_amount(text):
                raise ParseError("not_positive")
        except ParseError as error:
            dispatcher.utter_message(text=replies.AMOUNT_PROBLEMS[error.code])
            return {names.SLOT_TRANSFER_AMOUNT: None}
        customer = customer_id(tracker, self.name())
        source_id = tracker.get_slot(names.SLOT_SOURCE_ACCOUNT)
        if customer and source_id:
            source = _account(get_store(), customer, source_id)
            if source is not None and amount > source.available:
                dispatcher.utter_message(text=_not_enough(source, amount))
                return {names.SLOT_TRANSFER_AMOUNT: None}
        if is_correction(tracker, names.SLOT_TRANSFER_AMOUNT, amount):
            dispatcher.utter_message(text=f"No problem, I've changed the amount to {format_money(amount)}.")
        return {names.SLOT_TRANSFER_AMOUNT: str(amount)}

    async def validate_source_account(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        customer = customer_id(tracker, self.name())
        if customer is None:
            dispatcher.utter_message(text=replies.NO_CUSTOMER)
            return {names.SLOT_SOURCE_ACCOUNT: None}
        store = get_store()
        source = _resolve(store, customer, str(value))
        if source is None:
            dispatcher.utter_message(text="Sorry, I couldn't find that account among yours.")
            return {names.SLOT_SOURCE_ACCOUNT: None}
        if source.kind == AccountKind.CREDIT_CARD:
            dispatcher.utter_message(text="I can't move money out of a credit card, sorry.")
            return {names.SLOT_SOURCE_ACCOUNT: None}
        if source.id == tracker.get_slot(names.SLOT_DESTINATION_ACCOUNT):
            dispatcher.utter_message(
                text=f"The money is going into {source.name}, so it needs to come from another account."
            )
            return {names.SLOT_SOURCE_ACCOUNT: None}
        result: dict[str, Any] = {names.SLOT_SOURCE_ACCOUNT: source.id}
        amount = _amount(tracker.get_slot(names.SLOT_TRANSFER_AMOUNT))
        if amount is not None and amount > source.available:
            dispatcher.utter_message(text=_not_enough(source, amount))
            result[names.SLOT_TRANSFER_AMOUNT] = None
        elif is_correction(tracker, names.SLOT_SOURCE_ACCOUNT, source.id):
            dispatcher.utter_message(text=f"No problem, the money will come from {source.name}.")
        return result

    async def validate_destination_account(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        customer = customer_id(tracker, self.name())
        if customer is None:
            dispatcher.utter_message(text=replies.NO_CUSTOMER)
            return {names.SLOT_DESTINATION_ACCOUNT: None}
        destination = _resolve(get_store(), customer, str(value))
        if destination is None:
            dispatcher.utter_message(text="Sorry, I couldn't find that account among yours.")
            return {names.SLOT_DESTINATION_ACCOUNT: None}
        if destination.id == tracker.get_slot(names.SLOT_SOURCE_ACCOUNT):
            dispatcher.utter_message(
                text=(
                    f"The money is coming out of {destination.name}, so it needs to go "
                    "into a different account."
                )
            )
            return {names.SLOT_DESTINATION_ACCOUNT: None}
        if is_correction(tracker, names.SLOT_DESTINATION_ACCOUNT, destination.id):
            dispatcher.utter_message(text=f"No problem, the money will go into {destination.name}.")
        return {names.SLOT_DESTINATION_ACCOUNT: destination.id}

    async def validate_transfer_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {names.SLOT_TRANSFER_CONFIRMED: value if isinstance(value, bool) else None}


def _named_accounts(tracker: Tracker) -> dict[str, str]:
    """The accounts the latest message names as source and destination by their prepositions
    (these win over the roles the entity extractor guessed)."""
    latest = tracker.latest_message or {}
    return roles_by_preposition(latest.get("text") or "", latest.get("entities") or [])


def _not_enough(source: AccountView, amount: Decimal) -> str:
    return (
        f"{source.name} has {format_money(source.available, source.currency)} available, "
        f"which isn't enough to move {format_money(amount, source.currency)}."
    )


# -- questions ------------------------------------------------------------------------------


class ActionAskTransferAmount(Action):
    """Ask how much to move."""

    def name(self) -> str:
        return names.ACTION_ASK_TRANSFER_AMOUNT

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(text="How much would you like to move? For example £250 or 1,200.50.")
        return []


class _TransferAction(CustomerAction, ABC):
    """A step of the transfer form: after a sign-in, the form starts again."""

    def resume_as(self) -> str | None:
        return names.FORM_TRANSFER


class _AskAccount(_TransferAction):
    """Ask for an account, with one button per eligible account."""

    question = ""
    other_slot = ""
    allow_credit_cards = False

    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        store: ProfileStore,
        customer: str,
    ) -> list[EventType]:
        other = tracker.get_slot(self.other_slot)
        choices = [
            a
            for a in store.accounts(customer)
            if a.id != other and (self.allow_credit_cards or a.kind != AccountKind.CREDIT_CARD)
        ]
        buttons = [
            {
                "title": f"{a.name} ({format_money(a.available, a.currency)} available)",
                "payload": f"/{names.INTENT_INFORM}{json.dumps({names.ENTITY_ACCOUNT_TYPE: a.name})}",
            }
            for a in choices
        ]
        dispatcher.utter_message(text=self.question, buttons=buttons)
        return []


class ActionAskSourceAccount(_AskAccount):
    """Ask which account the money comes from (not credit cards)."""

    question = "Which account should the money come from?"
    other_slot = names.SLOT_DESTINATION_ACCOUNT

    def name(self) -> str:
        return names.ACTION_ASK_SOURCE_ACCOUNT


class ActionAskDestinationAccount(_AskAccount):
    """Ask which account the money goes into (a credit card may be paid off)."""

    question = "Which account should the money go into?"
    other_slot = names.SLOT_SOURCE_ACCOUNT
    allow_credit_cards = True

    def name(self) -> str:
        return names.ACTION_ASK_DESTINATION_ACCOUNT


class ActionAskTransferConfirmed(_TransferAction):
    """Summarise the transfer and ask for a yes or no."""

    def name(self) -> str:
        return names.ACTION_ASK_TRANSFER_CONFIRMED

    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        store: ProfileStore,
        customer: str,
    ) -> list[EventType]:
        source = _account(store, customer, tracker.get_slot(names.SLOT_SOURCE_ACCOUNT))
        destination = _account(store, customer, tracker.get_slot(names.SLOT_DESTINATION_ACCOUNT))
        amount = _amount(tracker.get_slot(names.SLOT_TRANSFER_AMOUNT))
        if source is None or destination is None or amount is None:
            dispatcher.utter_message(text="Shall I go ahead with this transfer?", buttons=YES_NO_BUTTONS)
            return []
        dispatcher.utter_message(
            text=(
                f"Just to confirm: move {format_money(amount, source.currency)} from "
                f"{account_label(source)} to {account_label(destination)}?"
            ),
            buttons=YES_NO_BUTTONS,
        )
        return []


# -- execution ------------------------------------------------------------------------------


class ActionExecuteTransfer(_TransferAction):
    """Move the money if the customer said yes, report the new balances, reset the form.

    Moving money needs a recent login: otherwise nothing moves, the answers are kept but the
    yes is forgotten, and the summary is asked again once the customer has signed in.
    """

    def name(self) -> str:
        return names.ACTION_EXECUTE_TRANSFER

    def needs_recent_login(self, tracker: Tracker) -> bool:
        return tracker.get_slot(names.SLOT_TRANSFER_CONFIRMED) is True

    def on_step_up(self) -> list[EventType]:
        return [SlotSet(names.SLOT_TRANSFER_CONFIRMED, None)]

    def act(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        store: ProfileStore,
        customer: str,
    ) -> list[EventType]:
        if tracker.get_slot(names.SLOT_TRANSFER_CONFIRMED) is not True:
            dispatcher.utter_message(text="No problem, I haven't moved any money.")
            return _reset()
        source_id = tracker.get_slot(names.SLOT_SOURCE_ACCOUNT)
        destination_id = tracker.get_slot(names.SLOT_DESTINATION_ACCOUNT)
        amount = _amount(tracker.get_slot(names.SLOT_TRANSFER_AMOUNT))
        if not source_id or not destination_id or amount is None:
            dispatcher.utter_message(text="Sorry, I lost track of that transfer. Nothing was moved.")
            return _reset()
        transfer = store.transfer(customer, source_id, destination_id, amount)
        accounts = {a.id: a for a in store.accounts(customer)}
        source, destination = accounts[source_id], accounts[destination_id]
        money = format_money(transfer.amount, transfer.currency)
        dispatcher.utter_message(
            text=(
                f"Done: I've moved {money} from {source.name} to {destination.name}. "
                f"{source.name} now has a balance of "
                f"{format_money(transfer.source_balance, transfer.currency)}, and "
                f"{destination.name} {format_money(transfer.destination_balance, transfer.currency)}."
            )
        )
        return _reset()

    def on_failure(self) -> list[EventType]:
        return _reset()


def _reset() -> list[EventType]:
    return [SlotSet(slot, None) for slot in names.TRANSFER_SLOTS]
