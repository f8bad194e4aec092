"""Paying off a credit card from the customer's current account (``card_repayment_form``).

The form shows the card's statement (balance, minimum payment, due date, what has been paid
since) and asks how much: the minimum, the full statement balance, or an amount the customer
types; then it asks for a yes. Paying needs a recent login; a retried confirmation never pays
twice.
"""

import json
from abc import ABC
from decimal import Decimal
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.conversation import customer_assertion, latest_text
from assistant.actions.formatting import account_label, format_money
from assistant.actions.parsing import ParseError, parse_amount
from assistant.actions.payments import YES_NO_BUTTONS, idempotency_key
from assistant.actions.profiles import get_payments
from assistant.actions.sign_in import ask_to_sign_in
from assistant.actions.slot_filling import confirmation
from bank.enums import AccountKind, RepaymentChoice
from bank.store import ProfileStore
from bank.views import AccountView

_WORDS = {
    RepaymentChoice.MINIMUM: ("minimum", "min", "the least"),
    RepaymentChoice.FULL: ("full", "all of it", "everything", "whole", "in full", "statement balance", "all"),
}


def credit_card(store: ProfileStore, customer: str) -> AccountView | None:
    """The customer's credit card account (the one owing most, if several)."""
    cards = [a for a in store.accounts(customer) if a.kind == AccountKind.CREDIT_CARD]
    return min(cards, key=lambda a: a.balance, default=None)


def read_choice(text: str) -> str | None:
    """ "minimum", "full" or an amount as text, from what the customer typed; None if neither."""
    plain = text.casefold()
    try:
        return str(parse_amount(text))
    except ParseError:
        pass
    for choice, words in _WORDS.items():
        if any(f" {w} " in f" {plain} " for w in words):
            return choice.value
    return None


class ValidateCardRepaymentForm(FormValidationAction):
    """Fill and check how much to repay and the confirmation."""

    def name(self) -> str:
        return names.ACTION_VALIDATE_CARD_REPAYMENT_FORM

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if customer_assertion(tracker, self.name()) is None:
            events = ask_to_sign_in(dispatcher, tracker, names.FORM_CARD_REPAYMENT)
            return [*events, SlotSet(names.SLOT_REQUESTED, None)]
        return await super().run(dispatcher, tracker, domain)

    async def extract_repayment_choice(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """From the option buttons, or the words of the message that starts or answers the form."""
        requested = tracker.get_slot(names.SLOT_REQUESTED)
        if requested not in (None, names.SLOT_REPAYMENT_CHOICE):
            return {}
        if tracker.get_slot(names.SLOT_REPAYMENT_CHOICE):
            return {}
        choice = next(tracker.get_latest_entity_values(names.ENTITY_CHOICE), None)
        if choice is not None:
            return {names.SLOT_REPAYMENT_CHOICE: str(choice)}
        text = latest_text(tracker).strip()
        read = read_choice(text) if text and not text.startswith("/") else None
        return {names.SLOT_REPAYMENT_CHOICE: read} if read else {}

    async def extract_repayment_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return confirmation(tracker, names.SLOT_REPAYMENT_CONFIRMED)

    async def validate_repayment_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if text in (RepaymentChoice.MINIMUM.value, RepaymentChoice.FULL.value):
            return {names.SLOT_REPAYMENT_CHOICE: text}
        try:
            return {names.SLOT_REPAYMENT_CHOICE: str(parse_amount(text))}
        except ParseError:
            dispatcher.utter_message(text="Please choose the minimum, the full balance, or type an amount.")
            return {names.SLOT_REPAYMENT_CHOICE: None}


def _choice_and_amount(value: Any) -> tuple[RepaymentChoice, Decimal | None]:
    text = str(value)
    if text in (RepaymentChoice.MINIMUM.value, RepaymentChoice.FULL.value):
        return RepaymentChoice(text), None
    return RepaymentChoice.AMOUNT, Decimal(text)


class _RepaymentStep(CustomerAction, ABC):
    def resume_as(self) -> str | None:
        return names.FORM_CARD_REPAYMENT


class ActionAskRepaymentChoice(_RepaymentStep):
    """The card's statement, and how much to pay: minimum, full statement, or an amount."""

    def name(self) -> str:
        return names.ACTION_ASK_REPAYMENT_CHOICE

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        card = credit_card(store, customer)
        if card is None:
            dispatcher.utter_message(text="I can't see a credit card on your accounts to pay off.")
            return []
        statement = get_payments().card_statement(customer, card.id)

        def money(amount: Decimal) -> str:
            return format_money(amount, card.currency)

        choice = names.ENTITY_CHOICE
        dispatcher.utter_message(
            text=(
                f"Your {card.name} statement of {statement.issued_on.day} {statement.issued_on:%B} came to "
                f"{money(statement.statement_balance)}, with a minimum payment of "
                f"{money(statement.minimum_payment)} due on {statement.due_on.day} {statement.due_on:%B}. "
                f"Since then you've paid {money(statement.paid_since)}; you owe {money(statement.owed_now)} "
                "now. How much would you like to pay? Choose below, or type an amount."
            ),
            buttons=[
                {"title": f"Minimum ({money(statement.minimum_left)})",
                 "payload": f"/{names.INTENT_INFORM}{json.dumps({choice: RepaymentChoice.MINIMUM.value})}"},
                {"title": f"Full statement ({money(statement.statement_left)})",
                 "payload": f"/{names.INTENT_INFORM}{json.dumps({choice: RepaymentChoice.FULL.value})}"},
            ],
        )
        return []


class ActionAskRepaymentConfirmed(_RepaymentStep):
    def name(self) -> str:
        return names.ACTION_ASK_REPAYMENT_CONFIRMED

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        card, source = credit_card(store, customer), store.paying_account(customer)
        value = tracker.get_slot(names.SLOT_REPAYMENT_CHOICE)
        if card is None or source is None or value is None:
            dispatcher.utter_message(text="Shall I go ahead with this repayment?", buttons=YES_NO_BUTTONS)
            return []
        choice, amount = _choice_and_amount(value)
        statement = get_payments().card_statement(customer, card.id)
        amount = amount if amount is not None else (
            statement.minimum_left if choice is RepaymentChoice.MINIMUM else statement.statement_left
        )
        dispatcher.utter_message(
            text=(f"Just to confirm: pay {format_money(amount, card.currency)} to {account_label(card)} "
                  f"from {account_label(source)}, now?"),
            buttons=YES_NO_BUTTONS,
        )
        return []


class ActionExecuteCardRepayment(_RepaymentStep):
    """Repay the card if the customer said yes (after a step-up if needed), then reset."""

    def name(self) -> str:
        return names.ACTION_EXECUTE_CARD_REPAYMENT

    def needs_recent_login(self, tracker: Tracker) -> bool:
        return tracker.get_slot(names.SLOT_REPAYMENT_CONFIRMED) is True

    def on_step_up(self) -> list[EventType]:
        return [SlotSet(names.SLOT_REPAYMENT_CONFIRMED, None)]

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        if tracker.get_slot(names.SLOT_REPAYMENT_CONFIRMED) is not True:
            dispatcher.utter_message(text="No problem, I haven't paid anything to your card.")
            return _reset()
        card, source = credit_card(store, customer), store.paying_account(customer)
        value = tracker.get_slot(names.SLOT_REPAYMENT_CHOICE)
        if card is None or source is None or value is None:
            dispatcher.utter_message(text="Sorry, I lost track of that repayment. Nothing was paid.")
            return _reset()
        choice, amount = _choice_and_amount(value)
        payment = get_payments().repay_credit_card(
            customer, source.id, card.id, choice, amount, idempotency_key=idempotency_key(tracker)
        )
        owed = next(a for a in store.accounts(customer) if a.id == card.id).balance
        dispatcher.utter_message(
            text=(f"Done: I've paid {format_money(payment.amount, payment.currency)} to your {card.name} "
                  f"from {source.name}. You now owe {format_money(-owed, card.currency)} on the card.")
        )
        return _reset()

    def on_failure(self) -> list[EventType]:
        return _reset()


def _reset() -> list[EventType]:
    return [SlotSet(slot, None) for slot in names.REPAYMENT_SLOTS]
