"""Paying one of the customer's payees once or by standing order (``payment_form``).

The form asks which payee (one button each), how much ("half my balance" is read from the
paying account), how often (asked only when the customer asked for a standing order or said
"every month"), the reference they will see and when it goes (now, or a later day; for a
standing order, the first payment), then repeats every detail with yes / no buttons. Before that
summary the payment's shape and what the customer said in the conversation are read for the
signs of a scam (:mod:`fraud`): a large first payment to a payee is cautioned; a scam sign
stops the payment, offers a fraud specialist and holds anything confirmed anyway for review.
A first payment to a payee is screened against the sanctions list; a possible match is held
for review, never refused in the customer's face.

Payees are named by the end of their account number: the bot never writes a payee's name
(the web chat shows names from the payees API beside the ids in the ``payees`` payload).
Paying needs a recent login; a retried confirmation never pays twice (the store's
idempotency key is the confirming message's id).
"""

import hashlib
import json
import re
from abc import ABC
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant import names
from assistant.actions.base import CustomerAction
from assistant.actions.conversation import customer_assertion, last_bot_action, latest_intent, latest_text
from assistant.actions.formatting import account_label, format_money
from assistant.actions.parsing import ParseError, amount_of, parse_amount, share_of_balance
from assistant.actions.payment_day import MONTHLY, ONCE, WEEKLY, parse_frequency, parse_payment_day
from assistant.actions.profiles import get_payees, get_payments, get_screener, get_store
from assistant.actions.sign_in import ask_to_sign_in
from assistant.actions.slot_filling import confirmation
from bank.enums import Frequency, PaymentStatus
from bank.errors import ProfileStoreError, UnknownCustomer, UnknownPayee
from bank.payments import uk_today
from bank.store import ProfileStore
from bank.views import AccountView, PayeeView
from fraud import PaymentShape, PaymentWarning, assess_payment, scam_signals
from fraud.payment_risk import Level
from screening.screener import Decision

NOW = "now"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
NO_REFERENCE = ""
REFERENCE_MAX = 18
ASK_AMOUNT = "How much would you like to pay?"
_NO_REFERENCE_WORDS = frozenset({"no", "none", "no reference", "skip", "nothing", "n/a", "na", "-", "no ref"})
SCREENING_REVIEW = "sanctions screening"
SCAM_REVIEW = "scam warning"
YES_NO_BUTTONS = [
    {"title": "Yes, pay it", "payload": f"/{names.INTENT_AFFIRM}"},
    {"title": "No, cancel", "payload": f"/{names.INTENT_DENY}"},
]
STOP_BUTTONS = [
    {"title": "Talk to a fraud specialist", "payload": f"/{names.INTENT_REQUEST_HUMAN}"},
    {"title": "Cancel the payment", "payload": f"/{names.INTENT_DENY}"},
]


def payee_label(payee: PayeeView) -> str:
    """ "the payee with account ending 5678" (never the payee's name)."""
    return f"the payee with account ending {payee.masked_account_number[-4:]}"


def conversation_signals(tracker: Tracker) -> tuple[Any, ...]:
    """Every scam signal in the customer's messages of this conversation."""
    found: list[Any] = []
    for event in tracker.events:
        if event.get("event") == "user" and isinstance(event.get("text"), str):
            found += scam_signals(event["text"])
    return tuple(found)


def asked_for_standing_order(tracker: Tracker) -> bool:
    """Whether the customer's latest request to pay was for a standing order."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent in (names.INTENT_PAY_PAYEE, names.INTENT_SET_UP_STANDING_ORDER):
            return bool(intent == names.INTENT_SET_UP_STANDING_ORDER)
    return False


def is_standing_order(tracker: Tracker) -> bool:
    return tracker.get_slot(names.SLOT_PAYMENT_FREQUENCY) in (WEEKLY, MONTHLY)


def idempotency_key(tracker: Tracker) -> str:
    """The store's key for this confirmation: the same message retried gives the same key."""
    message_id = (tracker.latest_message or {}).get("message_id") or latest_text(tracker)
    digest = hashlib.sha256(f"{tracker.sender_id}:{message_id}".encode()).hexdigest()
    return f"chat-{digest[:40]}"


def _payee(customer: str, payee_id: Any) -> PayeeView | None:
    if not isinstance(payee_id, str) or not payee_id:
        return None
    try:
        return get_payees().get_payee(customer, payee_id)
    except (UnknownPayee, UnknownCustomer):
        return None


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value != NOW else None


def _when_words(value: Any) -> str:
    day = _day(value)
    return "now" if day is None else f"on {day.day} {day:%B %Y}"


def _iso_day(text: str) -> date | None:
    """The day a form slot already holds ("2026-12-08"), or None for anything else."""
    if not _ISO_DAY.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _day_words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _every_words(frequency: Any) -> str:
    return "every week" if frequency == WEEKLY else "every month"


def _reference_words(value: Any) -> str:
    return f'reference "{value}"' if value else "no reference"


def payment_warning(tracker: Tracker, source: AccountView | None, new_payee: bool) -> PaymentWarning:
    """The scam warning the payment in the form's slots calls for, from ``source``."""
    amount = tracker.get_slot(names.SLOT_PAYMENT_AMOUNT)
    shape = PaymentShape(
        amount=Decimal(str(amount)) if amount is not None else Decimal(0),
        new_payee=new_payee,
        balance_before=source.available if source else None,
        signals=conversation_signals(tracker),
    )
    return assess_payment(shape)


class ValidatePaymentForm(FormValidationAction):
    """Fill and check the payee, amount, reference, day and confirmation."""

    def name(self) -> str:
        return names.ACTION_VALIDATE_PAYMENT_FORM

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Validate for a signed-in customer; an anonymous one is asked to sign in first."""
        if customer_assertion(tracker, self.name()) is None:
            events = ask_to_sign_in(dispatcher, tracker, names.FORM_PAYMENT)
            return [*events, SlotSet(names.SLOT_REQUESTED, None)]
        return await super().run(dispatcher, tracker, domain)

    def _customer(self, tracker: Tracker) -> str:
        assertion = customer_assertion(tracker, self.name())
        return assertion.customer_id if assertion else ""

    # -- extraction ---------------------------------------------------------------------

    async def extract_payment_amount(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot(names.SLOT_REQUESTED) != names.SLOT_PAYMENT_AMOUNT:
            return {}
        text = latest_text(tracker).strip()
        if not text or text.startswith("/") or tracker.slots_to_validate():
            return {}
        if share_of_balance(text) is not None:
            return {names.SLOT_PAYMENT_AMOUNT: text}
        try:
            parse_amount(text)
        except ParseError as error:
            if error.code == "missing":
                return {}
        return {names.SLOT_PAYMENT_AMOUNT: text}

    async def extract_payment_frequency(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Asked: the button or the words. Not asked: how often the request said ("every
        month"), else once unless the customer asked for a standing order (then it is asked)."""
        if tracker.get_slot(names.SLOT_PAYMENT_FREQUENCY):
            return {}
        text = latest_text(tracker).strip()
        if tracker.get_slot(names.SLOT_REQUESTED) == names.SLOT_PAYMENT_FREQUENCY:
            choice = next(tracker.get_latest_entity_values(names.ENTITY_CHOICE), None)
            if choice is not None:
                return {names.SLOT_PAYMENT_FREQUENCY: str(choice)}
            return {names.SLOT_PAYMENT_FREQUENCY: text} if text and not text.startswith("/") else {}
        said = parse_frequency(text) if not text.startswith("/") else None
        if said is not None:
            return {names.SLOT_PAYMENT_FREQUENCY: said}
        return {} if asked_for_standing_order(tracker) else {names.SLOT_PAYMENT_FREQUENCY: ONCE}

    async def extract_payment_reference(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Whatever the customer types when asked; "no" or the button: no reference."""
        if tracker.get_slot(names.SLOT_REQUESTED) != names.SLOT_PAYMENT_REFERENCE:
            return {}
        if last_bot_action(tracker) == names.UTTER_ASK_CONFIRM_STOP:
            return {}
        if latest_intent(tracker) == names.INTENT_DENY:
            return {names.SLOT_PAYMENT_REFERENCE: NO_REFERENCE}
        text = latest_text(tracker).strip()
        if not text or text.startswith("/"):
            return {}
        if text.casefold().strip(" .!") in _NO_REFERENCE_WORDS:
            return {names.SLOT_PAYMENT_REFERENCE: NO_REFERENCE}
        return {names.SLOT_PAYMENT_REFERENCE: text}

    async def extract_payment_when(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot(names.SLOT_REQUESTED) != names.SLOT_PAYMENT_WHEN:
            return {}
        choice = next(tracker.get_latest_entity_values(names.ENTITY_CHOICE), None)
        if choice is not None:
            return {names.SLOT_PAYMENT_WHEN: str(choice)}
        text = latest_text(tracker).strip()
        if not text or text.startswith("/"):
            return {}
        return {names.SLOT_PAYMENT_WHEN: text}

    async def extract_payment_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return confirmation(tracker, names.SLOT_PAYMENT_CONFIRMED)

    # -- validation ---------------------------------------------------------------------

    async def validate_payee_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            payee = _payee(self._customer(tracker), value)
        except ProfileStoreError as error:
            dispatcher.utter_message(text=str(error))
            return {names.SLOT_PAYEE_ID: None}
        if payee is None:
            dispatcher.utter_message(text="That isn't one of your payees: please pick one of the buttons.")
            return {names.SLOT_PAYEE_ID: None}
        return {names.SLOT_PAYEE_ID: payee.id}

    async def validate_payment_amount(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        share = share_of_balance(str(value))
        if share is not None:
            return self._share(dispatcher, tracker, share)
        try:
            amount = parse_amount(str(value))
        except ParseError as error:
            dispatcher.utter_message(text=_amount_problem(error.code))
            return {names.SLOT_PAYMENT_AMOUNT: None}
        return {names.SLOT_PAYMENT_AMOUNT: str(amount)}

    def _share(self, dispatcher: CollectingDispatcher, tracker: Tracker, share: Fraction) -> dict[str, Any]:
        """A share of the paying account's available balance, said back in pounds."""
        source = get_store().paying_account(self._customer(tracker))
        if source is None:
            dispatcher.utter_message(text=f"I couldn't find an account to pay from. {ASK_AMOUNT}")
            return {names.SLOT_PAYMENT_AMOUNT: None}
        amount = amount_of(share, source.available)
        available = format_money(source.available, source.currency)
        if amount <= 0:
            dispatcher.utter_message(
                text=f"Your {source.name} has {available} available, so there's nothing to pay from it."
            )
            return {names.SLOT_PAYMENT_AMOUNT: None}
        dispatcher.utter_message(
            text=f"Your {source.name} has {available} available, so that's "
                 f"{format_money(amount, source.currency)}."
        )
        return {names.SLOT_PAYMENT_AMOUNT: str(amount)}

    async def validate_payment_frequency(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        frequency = str(value) if value in (ONCE, WEEKLY, MONTHLY) else parse_frequency(str(value or ""))
        if frequency is None:
            dispatcher.utter_message(text="Should it go every week or every month? Or just once?")
        return {names.SLOT_PAYMENT_FREQUENCY: frequency}

    async def validate_payment_reference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if text == NO_REFERENCE:
            return {names.SLOT_PAYMENT_REFERENCE: NO_REFERENCE}
        if len(text) > REFERENCE_MAX or not all(c.isalnum() or c in " .-/&" for c in text):
            dispatcher.utter_message(
                text=f"A reference can have up to {REFERENCE_MAX} letters, digits, spaces or . - / & "
                "(and no personal details). What should it say?"
            )
            return {names.SLOT_PAYMENT_REFERENCE: None}
        return {names.SLOT_PAYMENT_REFERENCE: text}

    async def validate_payment_when(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if text == NOW:
            return {names.SLOT_PAYMENT_WHEN: NOW}
        kept = _iso_day(text)
        if kept is not None and kept >= uk_today():  # read before (the form runs again after a sign-in)
            return {names.SLOT_PAYMENT_WHEN: kept.isoformat()}
        try:
            day = parse_payment_day(text, uk_today())
        except ParseError as error:
            problem = "That day has gone" if error.code == "past" else "I didn't catch the day"
            dispatcher.utter_message(text=f"{problem}: say now, or a date like tomorrow or 15 January.")
            return {names.SLOT_PAYMENT_WHEN: None}
        return {names.SLOT_PAYMENT_WHEN: day.isoformat() if day else NOW}


def _amount_problem(code: str) -> str:
    return {
        "not_positive": "The amount needs to be more than zero. How much would you like to pay?",
        "too_many_decimals": "Amounts go to the penny, at most two decimal places. How much?",
        "too_large": "That's more than a single payment can be. How much would you like to pay?",
    }.get(code, "I didn't catch the amount: for example £50 or 1,200.50. How much would you like to pay?")


# -- questions ------------------------------------------------------------------------------


class _PaymentStep(CustomerAction, ABC):
    """A step of the payment form: after a sign-in, the form starts again."""

    def resume_as(self) -> str | None:
        return names.FORM_PAYMENT


class ActionAskPayeeId(_PaymentStep):
    """Ask which payee, one button per payee (the web chat labels them with their names)."""

    def name(self) -> str:
        return names.ACTION_ASK_PAYEE_ID

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        payees = get_payees().payees(customer)
        if not payees:
            dispatcher.utter_message(
                text="You haven't saved any payees yet. Add one with their sort code and account "
                "number first, then I can pay them.",
                json_message={"type": names.PAYLOAD_ADD_PAYEE},
            )
            return []
        buttons = [
            {
                "title": f"Account ending {p.masked_account_number[-4:]}",
                "payload": f"/{names.INTENT_INFORM}{json.dumps({names.ENTITY_PAYEE_ID: p.id})}",
            }
            for p in payees
        ]
        dispatcher.utter_message(text="Who would you like to pay?", buttons=buttons)
        dispatcher.utter_message(json_message=payees_payload(payees))
        return []


def payees_payload(payees: list[PayeeView]) -> dict[str, Any]:
    return {
        "type": names.PAYLOAD_PAYEES,
        "payees": [
            {"id": p.id, "ending": p.masked_account_number[-4:], "kind": p.holder_kind.value} for p in payees
        ],
    }


class ActionAskPaymentAmount(Action):
    def name(self) -> str:
        return names.ACTION_ASK_PAYMENT_AMOUNT

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(text=f"{ASK_AMOUNT} For example £50, 1,200.50 or half my balance.")
        return []


class ActionAskPaymentReference(Action):
    def name(self) -> str:
        return names.ACTION_ASK_PAYMENT_REFERENCE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(
            text=f"What reference should they see (up to {REFERENCE_MAX} characters)?",
            buttons=[{"title": "No reference", "payload": f"/{names.INTENT_DENY}"}],
        )
        return []


def _choice_button(title: str, value: str) -> dict[str, str]:
    return {"title": title, "payload": f"/{names.INTENT_INFORM}{json.dumps({names.ENTITY_CHOICE: value})}"}


class ActionAskPaymentFrequency(Action):
    def name(self) -> str:
        return names.ACTION_ASK_PAYMENT_FREQUENCY

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(
            text="How often should it go: every week or every month?",
            buttons=[_choice_button("Every week", WEEKLY), _choice_button("Every month", MONTHLY),
                     _choice_button("Just once", ONCE)],
        )
        return []


class ActionAskPaymentWhen(Action):
    def name(self) -> str:
        return names.ACTION_ASK_PAYMENT_WHEN

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if is_standing_order(tracker):
            dispatcher.utter_message(
                text="When should the first payment go? Today, or a later day (for example the 1st or "
                "15 January).",
                buttons=[_choice_button("Today", NOW), _choice_button("Tomorrow", "tomorrow")],
            )
            return []
        dispatcher.utter_message(
            text="When should it go? Now, or on a later day (for example tomorrow or 15 January).",
            buttons=[_choice_button("Now", NOW), _choice_button("Tomorrow", "tomorrow")],
        )
        return []


class ActionAskPaymentConfirmed(_PaymentStep):
    """Any scam warning first, then every detail of the payment with yes / no buttons."""

    def name(self) -> str:
        return names.ACTION_ASK_PAYMENT_CONFIRMED

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        payee = _payee(customer, tracker.get_slot(names.SLOT_PAYEE_ID))
        source = store.paying_account(customer)
        amount = tracker.get_slot(names.SLOT_PAYMENT_AMOUNT)
        if payee is None or source is None or amount is None:
            dispatcher.utter_message(text="Shall I go ahead with this payment?", buttons=YES_NO_BUTTONS)
            return []
        warning = payment_warning(tracker, source, not get_payments().has_paid(customer, payee.id))
        money = format_money(Decimal(str(amount)), source.currency)
        reference = _reference_words(tracker.get_slot(names.SLOT_PAYMENT_REFERENCE))
        when = tracker.get_slot(names.SLOT_PAYMENT_WHEN)
        if is_standing_order(tracker):
            frequency = tracker.get_slot(names.SLOT_PAYMENT_FREQUENCY)
            summary = (
                f"set up a standing order to pay {money} to {payee_label(payee)} {_every_words(frequency)} "
                f"from {account_label(source)}, starting {_day_words(_day(when) or uk_today())}, {reference}"
            )
        else:
            summary = (
                f"pay {money} to {payee_label(payee)} from {account_label(source)}, {reference}, "
                f"{_when_words(when)}"
            )
        custom = {"type": names.PAYLOAD_PAYMENT_WARNING, "level": warning.level.value,
                  "reasons": list(warning.reasons)}
        if warning.level is Level.STOP:
            dispatcher.utter_message(text=f"{warning.text} (You asked me to {summary}.)",
                                     buttons=STOP_BUTTONS, json_message=custom)
            return []
        if warning.level is Level.CAUTION:
            dispatcher.utter_message(text=warning.text, json_message=custom)
        dispatcher.utter_message(text=f"Just to confirm: {summary}?", buttons=YES_NO_BUTTONS)
        return []


# -- execution ------------------------------------------------------------------------------


class ActionExecutePayment(_PaymentStep):
    """Pay if the customer said yes (after a step-up if their login is not recent), then
    reset the form. A first payment to a payee that screening flags, or any payment confirmed
    despite a scam warning, is held for review: no money moves until a colleague releases it."""

    def name(self) -> str:
        return names.ACTION_EXECUTE_PAYMENT

    def needs_recent_login(self, tracker: Tracker) -> bool:
        return tracker.get_slot(names.SLOT_PAYMENT_CONFIRMED) is True

    def on_step_up(self) -> list[EventType]:
        return [SlotSet(names.SLOT_PAYMENT_CONFIRMED, None)]

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, store: ProfileStore, customer: str
    ) -> list[EventType]:
        if tracker.get_slot(names.SLOT_PAYMENT_CONFIRMED) is not True:
            dispatcher.utter_message(text="No problem, I haven't paid anything.")
            return _reset()
        payee = _payee(customer, tracker.get_slot(names.SLOT_PAYEE_ID))
        source = store.paying_account(customer)
        amount = tracker.get_slot(names.SLOT_PAYMENT_AMOUNT)
        if payee is None or source is None or amount is None:
            dispatcher.utter_message(text="Sorry, I lost track of that payment. Nothing was paid.")
            return _reset()
        new_payee = not get_payments().has_paid(customer, payee.id)
        if is_standing_order(tracker):
            return self._standing_order(dispatcher, tracker, customer, payee, source, new_payee)
        if payment_warning(tracker, source, new_payee).level is Level.STOP:
            review_reason: str | None = SCAM_REVIEW
        elif new_payee and get_screener().screen(payee.holder_name).decision == Decision.REVIEW:
            review_reason = SCREENING_REVIEW
        else:
            review_reason = None
        payment = get_payments().pay(
            customer,
            source.id,
            payee.id,
            Decimal(str(amount)),
            tracker.get_slot(names.SLOT_PAYMENT_REFERENCE) or None,
            _day(tracker.get_slot(names.SLOT_PAYMENT_WHEN)),
            idempotency_key=idempotency_key(tracker),
            review_reason=review_reason,
        )
        money = format_money(payment.amount, payment.currency)
        if payment.status == PaymentStatus.REVIEW:
            text = (
                f"I've passed your payment of {money} to {payee_label(payee)} to our payments team to "
                "check before it's sent. No money has left your account yet; you'll hear from us within "
                "one working day."
            )
        elif payment.status == PaymentStatus.SCHEDULED and payment.scheduled_for:
            text = (f"Done: {money} to {payee_label(payee)} is scheduled for "
                    f"{payment.scheduled_for.day} {payment.scheduled_for:%B %Y}.")
        else:
            text = (f"Done: I've paid {money} to {payee_label(payee)}. {source.name} now has a balance "
                    f"of {format_money(payment.source_balance, payment.currency)}.")
        dispatcher.utter_message(text=text)
        return _reset()

    def _standing_order(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, customer: str, payee: PayeeView,
        source: AccountView, new_payee: bool,
    ) -> list[EventType]:
        """Set up the standing order, unless a scam sign or screening needs a person first:
        then nothing is set up (a held one-off payment is the way to a checked payee)."""
        if payment_warning(tracker, source, new_payee).level is Level.STOP:
            dispatcher.utter_message(
                text="I haven't set up this standing order: what you've told me has the signs of a scam. "
                "A fraud specialist can talk it through with you.",
                buttons=STOP_BUTTONS[:1],
            )
            return _reset()
        if new_payee and get_screener().screen(payee.holder_name).decision == Decision.REVIEW:
            dispatcher.utter_message(
                text=f"I can't set up a standing order to {payee_label(payee)} yet: our payments team "
                "needs to check a new payee first. Make a one-off payment to them; once it has been "
                "sent, you can set up the standing order."
            )
            return _reset()
        today = uk_today()
        frequency = Frequency(tracker.get_slot(names.SLOT_PAYMENT_FREQUENCY))
        order = get_payments().create_standing_order(
            customer,
            source.id,
            payee.id,
            Decimal(str(tracker.get_slot(names.SLOT_PAYMENT_AMOUNT))),
            frequency,
            _day(tracker.get_slot(names.SLOT_PAYMENT_WHEN)) or today,
            tracker.get_slot(names.SLOT_PAYMENT_REFERENCE) or None,
            idempotency_key=idempotency_key(tracker),
        )
        first = "today" if order.next_date == today else f"on {_day_words(order.next_date)}"
        dispatcher.utter_message(
            text=f"Done: {format_money(order.amount, source.currency)} will go to {payee_label(payee)} "
            f"{_every_words(order.frequency.value)} from {source.name}, the first payment {first}. "
            "You can cancel it at any time."
        )
        return _reset()

    def on_failure(self) -> list[EventType]:
        return _reset()


def _reset() -> list[EventType]:
    return [SlotSet(slot, None) for slot in names.PAYMENT_SLOTS]
