"""Paying a payee (once or by standing order) and paying off a credit card, the actions run
in-process on the seeded demo bank: the questions and the summary (payees named by account
ending, never by name), the scam warnings, screening, and the payment or standing order itself,
made once however often the yes is retried; listing and cancelling standing orders.

What the action server adds, the verified customer and the step-up, is tested for every
account action in test_action_server_trust.py; here ``act`` runs for the customer directly.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session, sessionmaker

from assistant import names
from assistant.actions import card_repayment, payees, payments, standing_orders
from assistant.actions.card_repayment import (
    ActionAskRepaymentChoice,
    ActionExecuteCardRepayment,
    read_choice,
)
from assistant.actions.parsing import ParseError, amount_of, share_of_balance
from assistant.actions.payees import ActionAddPayee, ActionListPayees
from assistant.actions.payment_day import parse_frequency, parse_payment_day
from assistant.actions.payments import (
    ActionAskPayeeId,
    ActionAskPaymentConfirmed,
    ActionExecutePayment,
    ValidatePaymentForm,
)
from assistant.actions.standing_orders import ActionCancelStandingOrder, ActionListStandingOrders
from bank.enums import Frequency, PaymentStatus, StandingOrderStatus
from bank.payees import PayeeStore
from bank.payments import PaymentStore
from bank.seed import seed_demo_bank
from bank.store import ProfileStore
from database.engine import get_engine, session_factory
from screening.screener import Screener
from tests.support.databases import alembic_config

MARGARET, ALEX = "cus_004", "cus_001"
LATISHA, ENERGY = "pye_004_01", "pye_004_02"


@pytest.fixture
def sessions(tmp_path: Path) -> sessionmaker[Session]:
    url = f"sqlite:///{tmp_path / 'bank.db'}"
    command.upgrade(alembic_config(url), "head")
    made = session_factory(get_engine(url))
    seed_demo_bank(made)
    return made


@pytest.fixture
def store(sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> ProfileStore:
    """The profile store, with the payee and payment stores the actions use on the same bank."""
    payee_store, payment_store = PayeeStore(sessions), PaymentStore(sessions)
    screener = Screener.from_settings()
    profile_store = ProfileStore(sessions)
    for module in (payments, payees, card_repayment, standing_orders):
        monkeypatch.setattr(module, "get_payees", lambda: payee_store, raising=False)
        monkeypatch.setattr(module, "get_payments", lambda: payment_store, raising=False)
        monkeypatch.setattr(module, "get_screener", lambda: screener, raising=False)
        monkeypatch.setattr(module, "get_store", lambda: profile_store, raising=False)
    return profile_store


def tracker(slots: dict[str, Any], intent: str = names.INTENT_AFFIRM, said: tuple[str, ...] = (),
            message_id: str = "m-1") -> Tracker:
    latest = {"text": "yes", "intent": {"name": intent, "confidence": 0.99}, "entities": [],
              "message_id": message_id}
    events = [{"event": "user", "text": text} for text in said] + [{"event": "user", "text": "yes"}]
    return Tracker("pay-test", slots, latest, events, False, None, {}, names.ACTION_LISTEN)


def payment_slots(
    payee: str = LATISHA, amount: str = "40.00", when: str = "now", confirmed: bool | None = None,
    frequency: str = "once",
) -> dict[str, Any]:
    return {names.SLOT_PAYEE_ID: payee, names.SLOT_PAYMENT_AMOUNT: amount,
            names.SLOT_PAYMENT_REFERENCE: "RENT", names.SLOT_PAYMENT_WHEN: when,
            names.SLOT_PAYMENT_CONFIRMED: confirmed, names.SLOT_PAYMENT_FREQUENCY: frequency}


def said_to_form(text: str, intent: str, slots: dict[str, Any] | None = None,
                 entities: tuple[dict[str, Any], ...] = ()) -> Tracker:
    """The tracker as the form sees a message: ``text`` read as ``intent``."""
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": list(entities)}
    return Tracker("pay-test", slots or {}, parse, [{"event": "user", "text": text, "parse_data": parse}],
                   False, None, {"name": names.FORM_PAYMENT}, names.ACTION_LISTEN)


def run(
    action: Any, store: ProfileStore, state: Tracker, customer: str = MARGARET
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = action.act(dispatcher, state, store, customer)
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def balance(store: ProfileStore, customer: str = MARGARET) -> Decimal:
    return next(a for a in store.accounts(customer) if a.id.endswith("_current")).balance


def test_the_payees_are_offered_by_account_ending_never_by_name(store: ProfileStore) -> None:
    messages, _ = run(ActionAskPayeeId(), store, tracker({}))
    text = " ".join(str(m) for m in messages)
    assert "Latisha" not in text and "Octopus" not in text
    buttons = messages[0]["buttons"]
    # By display name (Electrician, Energy, Latisha): the names stay in the store.
    assert [b["title"] for b in buttons] == [f"Account ending {end}" for end in ("0004", "0003", "1864")]
    assert buttons[2]["payload"] == '/inform{"payee_id": "pye_004_01"}'
    payload = messages[1]["custom"]
    assert payload["type"] == names.PAYLOAD_PAYEES and {p["id"] for p in payload["payees"]} == {
        "pye_004_01", "pye_004_02", "pye_004_03"}


def test_listing_payees_says_what_the_check_found(store: ProfileStore) -> None:
    messages, _ = run(ActionListPayees(), store, tracker({}))
    assert messages[0]["text"].startswith("You have 3 payees:")
    assert "ending 1864 (personal, name checked" in messages[0]["text"]
    empty, _ = run(ActionListPayees(), store, tracker({}), customer=ALEX)
    assert empty[0]["custom"] == {"type": names.PAYLOAD_ADD_PAYEE}
    form, _ = run(ActionAddPayee(), store, tracker({}), customer=ALEX)
    assert form[0]["custom"] == {"type": names.PAYLOAD_ADD_PAYEE} and "don't type" in form[0]["text"]


def test_the_summary_repeats_every_detail(store: ProfileStore) -> None:
    day = date.today() + timedelta(days=3)
    messages, _ = run(ActionAskPaymentConfirmed(), store, tracker(payment_slots(when=day.isoformat())))
    summary = messages[-1]["text"]
    assert summary.startswith("Just to confirm: pay £40.00 to the payee with account ending 1864 from")
    assert 'reference "RENT"' in summary and f"on {day.day} {day:%B %Y}" in summary
    assert [b["payload"] for b in messages[-1]["buttons"]] == ["/affirm", "/deny"]


def test_a_large_first_payment_is_cautioned(store: ProfileStore) -> None:
    messages, _ = run(ActionAskPaymentConfirmed(), store, tracker(payment_slots(amount="1500.00")))
    assert messages[0]["custom"]["level"] == "caution"
    assert "haven't paid before" in messages[0]["text"]
    assert messages[-1]["text"].startswith("Just to confirm")


def test_a_scam_sign_stops_the_payment_and_offers_a_specialist(store: ProfileStore) -> None:
    said = ("my bank's fraud team rang and said to move my savings to a safe account",)
    messages, _ = run(ActionAskPaymentConfirmed(), store, tracker(payment_slots(), said=said))
    [warning] = messages
    assert warning["custom"]["level"] == "stop" and "safe_account" in warning["custom"]["reasons"]
    assert [b["payload"] for b in warning["buttons"]] == ["/request_human", "/deny"]
    before = balance(store)
    confirmed = tracker(payment_slots(confirmed=True), said=said)
    done, slots = run(ActionExecutePayment(), store, confirmed)
    assert "passed your payment" in done[0]["text"] and balance(store) == before, "held, not sent"
    assert payments.get_payments().payments(MARGARET)[0].status == PaymentStatus.REVIEW
    assert all(value is None for value in slots.values())


def test_a_confirmed_payment_is_made_once_however_often_the_yes_is_retried(store: ProfileStore) -> None:
    before = balance(store)
    confirmed = tracker(payment_slots(payee=ENERGY, confirmed=True))
    first, _ = run(ActionExecutePayment(), store, confirmed)
    again, _ = run(ActionExecutePayment(), store, confirmed)
    assert first[0]["text"].startswith("Done: I've paid £40.00 to the payee with account ending 0003.")
    assert again == first
    assert balance(store) == before - Decimal("40.00")
    assert len(payments.get_payments().payments(MARGARET)) == 1
    other_yes = tracker(payment_slots(payee=ENERGY, confirmed=True), message_id="m-2")
    run(ActionExecutePayment(), store, other_yes)
    assert balance(store) == before - Decimal("80.00"), "a new confirmation is a new payment"


def test_a_no_pays_nothing_and_a_later_day_is_scheduled(store: ProfileStore) -> None:
    before = balance(store)
    no = tracker(payment_slots(confirmed=False), intent=names.INTENT_DENY)
    declined, _ = run(ActionExecutePayment(), store, no)
    assert declined[0]["text"] == "No problem, I haven't paid anything."
    day = date.today() + timedelta(days=5)
    later = tracker(payment_slots(payee=ENERGY, when=day.isoformat(), confirmed=True))
    scheduled, _ = run(ActionExecutePayment(), store, later)
    assert "is scheduled for" in scheduled[0]["text"] and balance(store) == before


def test_a_first_payment_to_a_listed_name_is_held_for_screening(store: ProfileStore) -> None:
    listed = payments.get_payees().add_payee(ALEX, "Aleksandr Petrushenko", "401162", "24681357")
    confirmed = tracker(payment_slots(payee=listed.id, confirmed=True))
    before = balance(store, ALEX)
    messages, _ = run(ActionExecutePayment(), store, confirmed, customer=ALEX)
    assert "passed your payment" in messages[0]["text"] and balance(store, ALEX) == before
    [held] = payments.get_payments().payments(ALEX)
    assert held.status == PaymentStatus.REVIEW and held.review_reason == payments.SCREENING_REVIEW


def test_the_form_checks_each_answer(store: ProfileStore) -> None:
    form, dispatcher, state = ValidatePaymentForm(), CollectingDispatcher(), tracker({})

    def check(slot: str, value: str) -> Any:
        validate = getattr(form, f"validate_{slot}")
        return asyncio.run(validate(value, dispatcher, state, {}))[slot]

    assert check(names.SLOT_PAYMENT_AMOUNT, "-5") is None
    assert "more than zero" in dispatcher.messages[-1]["text"]
    assert check(names.SLOT_PAYMENT_AMOUNT, "£1,200.50") == "1200.50"
    assert check(names.SLOT_PAYMENT_AMOUNT, "a lot") is None
    assert "didn't catch the amount" in dispatcher.messages[-1]["text"]
    assert check(names.SLOT_PAYMENT_REFERENCE, "<PERSON_1> rent!!") is None
    assert check(names.SLOT_PAYMENT_REFERENCE, "x" * 19) is None
    assert check(names.SLOT_PAYMENT_REFERENCE, "Flat 2 rent") == "Flat 2 rent"
    assert check(names.SLOT_PAYMENT_WHEN, "yesterday") is None
    assert check(names.SLOT_PAYMENT_WHEN, "now") == "now"
    # A day read before stays when the form runs again after a sign-in; a past one does not.
    later = (date.today() + timedelta(days=2)).isoformat()
    assert check(names.SLOT_PAYMENT_WHEN, later) == later
    assert check(names.SLOT_PAYMENT_WHEN, "2001-01-01") is None
    assert check(names.SLOT_PAYMENT_WHEN, "2026-13-45") is None
    assert check(names.SLOT_PAYEE_ID, "pye_001_99") is None, "not one of the customer's payees"


def test_the_day_a_payment_goes() -> None:
    monday = date(2026, 12, 7)
    assert parse_payment_day("now", monday) is None and parse_payment_day("today", monday) is None
    assert parse_payment_day("tomorrow", monday) == date(2026, 12, 8)
    assert parse_payment_day("on friday", monday) == date(2026, 12, 11)
    assert parse_payment_day("monday", monday) == date(2026, 12, 14)
    assert parse_payment_day("the 15th", monday) == date(2026, 12, 15)
    assert parse_payment_day("3rd", monday) == date(2027, 1, 3)
    assert parse_payment_day("15 January", monday) == date(2027, 1, 15)
    assert parse_payment_day("24/12", monday) == date(2026, 12, 24)
    for text, code in (("whenever", "missing"), ("1/12/2026", "past"), ("31 February", "missing")):
        with pytest.raises(ParseError) as error:
            parse_payment_day(text, monday)
        assert error.value.code == code, text


def test_a_credit_card_is_repaid_by_the_choice_made(store: ProfileStore) -> None:
    asked, _ = run(ActionAskRepaymentChoice(), store, tracker({}), customer=ALEX)
    assert "minimum payment of" in asked[0]["text"]
    assert [b["payload"] for b in asked[0]["buttons"]] == ['/inform{"choice": "minimum"}',
                                                            '/inform{"choice": "full"}']
    statement = payments.get_payments().card_statement(ALEX, "acc_001_credit_card")
    before = balance(store, ALEX)
    confirmed = tracker({names.SLOT_REPAYMENT_CHOICE: "minimum", names.SLOT_REPAYMENT_CONFIRMED: True})
    done, _ = run(ActionExecuteCardRepayment(), store, confirmed, customer=ALEX)
    assert done[0]["text"].startswith("Done: I've paid")
    assert balance(store, ALEX) == before - statement.minimum_left
    run(ActionExecuteCardRepayment(), store, confirmed, customer=ALEX)
    assert balance(store, ALEX) == before - statement.minimum_left, "the retried yes pays nothing more"


def test_what_a_repayment_answer_means() -> None:
    assert read_choice("the minimum please") == "minimum"
    assert read_choice("pay it in full") == "full"
    assert read_choice("£150") == "150.00"
    assert read_choice("hmm not sure") is None


# -- how much: a share of the balance ---------------------------------------------------------


def test_a_share_of_the_balance_is_read_and_said_back_in_pounds(
    store: ProfileStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert share_of_balance("half my balance") == share_of_balance("50% of my money") == Fraction(1, 2)
    assert share_of_balance("a third of my account") == Fraction(1, 3)
    assert share_of_balance("everything") == share_of_balance("the whole balance") == 1
    for text in ("half", "£50", "pay all my bills", "150% of my balance"):
        assert share_of_balance(text) is None, text
    assert amount_of(Fraction(1, 3), Decimal("100.00")) == Decimal("33.33"), "rounded down"
    assert amount_of(Fraction(1, 2), Decimal("-20.00")) == 0, "an overdrawn account has nothing to give"

    source = store.paying_account(MARGARET)
    assert source is not None
    form, dispatcher = ValidatePaymentForm(), CollectingDispatcher()
    asking = {names.SLOT_REQUESTED: names.SLOT_PAYMENT_AMOUNT}
    state = said_to_form("half my balance", names.INTENT_INFORM, asking)
    asked = asyncio.run(form.extract_payment_amount(dispatcher, state, {}))
    assert asked == {names.SLOT_PAYMENT_AMOUNT: "half my balance"}
    monkeypatch.setattr(ValidatePaymentForm, "_customer", lambda self, tracker: MARGARET)
    filled = asyncio.run(form.validate_payment_amount("half my balance", dispatcher, state, {}))
    half = amount_of(Fraction(1, 2), source.available)
    assert filled == {names.SLOT_PAYMENT_AMOUNT: str(half)}
    assert f"so that's £{half:,.2f}" in dispatcher.messages[-1]["text"]


# -- standing orders ----------------------------------------------------------------------------


def test_how_often_is_read_from_the_words_and_asked_only_for_a_standing_order(store: ProfileStore) -> None:
    form = ValidatePaymentForm()

    def extracted(state: Tracker) -> dict[str, Any]:
        return asyncio.run(form.extract_payment_frequency(CollectingDispatcher(), state, {}))

    once = said_to_form("pay Latisha", names.INTENT_PAY_PAYEE)
    assert extracted(once) == {names.SLOT_PAYMENT_FREQUENCY: "once"}
    assert extracted(said_to_form("set up a standing order", names.INTENT_SET_UP_STANDING_ORDER)) == {}
    monthly = said_to_form("I want to pay my rent every month", names.INTENT_PAY_PAYEE)
    assert extracted(monthly) == {names.SLOT_PAYMENT_FREQUENCY: "monthly"}
    button = said_to_form('/inform{"choice": "weekly"}', names.INTENT_INFORM,
                          {names.SLOT_REQUESTED: names.SLOT_PAYMENT_FREQUENCY},
                          ({"entity": names.ENTITY_CHOICE, "value": "weekly"},))
    assert extracted(button) == {names.SLOT_PAYMENT_FREQUENCY: "weekly"}
    assert parse_frequency("next week") is None and parse_frequency("a week on friday") is None
    assert parse_frequency("£20 a week") == "weekly" and parse_frequency("in a month") is None
    assert parse_frequency("on the 1st of every month") == "monthly"
    assert parse_frequency("just once") == "once"
    dispatcher = CollectingDispatcher()
    unclear = asyncio.run(form.validate_payment_frequency("whenever", dispatcher, once, {}))
    assert unclear == {names.SLOT_PAYMENT_FREQUENCY: None} and "every week or every month" in \
        dispatcher.messages[-1]["text"]


def test_a_standing_order_is_summarised_and_set_up_once(store: ProfileStore) -> None:
    first = date.today() + timedelta(days=3)
    slots = payment_slots(payee=ENERGY, when=first.isoformat(), frequency="monthly")
    asked, _ = run(ActionAskPaymentConfirmed(), store, tracker(slots))
    assert asked[-1]["text"].startswith(
        "Just to confirm: set up a standing order to pay £40.00 to the payee with account ending 0003 "
        "every month from")
    assert f"starting {first.day} {first:%B %Y}" in asked[-1]["text"]
    before = balance(store)
    confirmed = tracker({**slots, names.SLOT_PAYMENT_CONFIRMED: True})
    done, reset = run(ActionExecutePayment(), store, confirmed)
    again, _ = run(ActionExecutePayment(), store, confirmed)
    assert done[0]["text"].startswith("Done: £40.00 will go to the payee with account ending 0003 every")
    assert again == done and all(value is None for value in reset.values())
    [order] = payments.get_payments().standing_orders(MARGARET)
    assert (order.frequency, order.next_date, order.amount) == (Frequency.MONTHLY, first, Decimal("40.00"))
    assert balance(store) == before, "nothing is paid before the first date"


def test_no_standing_order_is_set_up_after_a_scam_sign_or_to_a_payee_screening_flags(
    store: ProfileStore,
) -> None:
    said = ("the police told me to move my money to a safe account and keep it secret",)
    scam = tracker(payment_slots(frequency="weekly", confirmed=True), said=said)
    stopped, _ = run(ActionExecutePayment(), store, scam)
    assert "haven't set up this standing order" in stopped[0]["text"]
    listed = payments.get_payees().add_payee(ALEX, "Aleksandr Petrushenko", "401162", "24681357")
    flagged = tracker(payment_slots(payee=listed.id, frequency="monthly", confirmed=True))
    held, _ = run(ActionExecutePayment(), store, flagged, customer=ALEX)
    assert "payments team needs to check a new payee first" in held[0]["text"]
    assert payments.get_payments().standing_orders(MARGARET) == []
    assert payments.get_payments().standing_orders(ALEX) == []


def cancel_tracker(intent: str, offered: str | None = None, picked: str | None = None) -> Tracker:
    entities = [{"entity": names.ENTITY_STANDING_ORDER_ID, "value": picked}] if picked else []
    latest = {"text": "x", "intent": {"name": intent, "confidence": 0.99}, "entities": entities}
    return Tracker("pay-test", {names.SLOT_STANDING_ORDER_TO_CANCEL: offered}, latest, [], False, None, {},
                   names.ACTION_LISTEN)


def test_standing_orders_are_listed_and_one_is_cancelled_after_a_yes(store: ProfileStore) -> None:
    empty, _ = run(ActionListStandingOrders(), store, tracker({}))
    assert empty[0]["text"].startswith("You don't have any standing orders")
    orders = payments.get_payments()
    current = store.paying_account(MARGARET)
    assert current is not None
    start = date.today() + timedelta(days=1)
    rent = orders.create_standing_order(MARGARET, current.id, LATISHA, Decimal(650), "monthly", start, "RENT")
    orders.create_standing_order(MARGARET, current.id, ENERGY, Decimal("20"), "weekly", start)
    listed, _ = run(ActionListStandingOrders(), store, tracker({}))
    assert listed[0]["text"].startswith("You have 2 standing orders:")
    assert '£650.00 every month to the payee with account ending 1864, next on' in listed[0]["text"]
    assert "Latisha" not in listed[0]["text"]

    asked = cancel_tracker(names.INTENT_CANCEL_STANDING_ORDER)
    choose, slots = run(ActionCancelStandingOrder(), store, asked)
    assert len(choose[0]["buttons"]) == 2 and slots[names.SLOT_STANDING_ORDER_TO_CANCEL] is None
    picked = cancel_tracker(names.INTENT_CANCEL_STANDING_ORDER, picked=rent.id)
    offer, slots = run(ActionCancelStandingOrder(), store, picked)
    assert offer[0]["text"].startswith("Shall I cancel your standing order of £650.00 every month")
    assert slots[names.SLOT_STANDING_ORDER_TO_CANCEL] == rent.id
    kept, _ = run(ActionCancelStandingOrder(), store, cancel_tracker(names.INTENT_DENY, offered=rent.id))
    assert kept[0]["text"].startswith("OK, I've left it") and len(orders.standing_orders(MARGARET)) == 2
    done, _ = run(ActionCancelStandingOrder(), store, cancel_tracker(names.INTENT_AFFIRM, offered=rent.id))
    assert done[0]["text"].startswith("Done: I've cancelled your monthly standing order of £650.00")
    assert [o.id for o in orders.standing_orders(MARGARET)] != [rent.id]
    [cancelled] = [o for o in orders.standing_orders(MARGARET, include_cancelled=True) if o.id == rent.id]
    assert cancelled.status == StandingOrderStatus.CANCELLED
    yes = cancel_tracker(names.INTENT_AFFIRM, offered=rent.id)
    twice, _ = run(ActionCancelStandingOrder(), store, yes)
    assert "already" in twice[0]["text"].lower()
    assert ActionCancelStandingOrder().needs_recent_login(yes), "cancelling needs a recent login"
    assert not ActionCancelStandingOrder().needs_recent_login(asked), "offering does not"
