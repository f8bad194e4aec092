"""What happened to a payment, a transfer, a top-up or a card: the account-status actions,
run through the real action server on the seeded demo bank (its recent cases: bank/seed.py)."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from assistant import names
from assistant.actions import cancel_transfer
from bank.enums import TransferStatus
from bank.models import Transfer
from bank.store import ProfileStore
from database.engine import get_engine, session_factory
from database.settings import DatabaseSettings
from tests.assistant.action_client import ActionResult, Turn, run_action, signed_metadata, user_event

ALEX, PRIYA, MARGARET = "cus_001", "cus_002", "cus_004"  # Margaret: nothing pending, declined or doubled
LONG_AGO = 2 * 3600


@pytest.fixture(scope="module")
def store(bot_database_url: str) -> ProfileStore:
    return ProfileStore.from_settings(DatabaseSettings(database_url=bot_database_url))


def ask(server: str, action: str, intent: str, customer: str | None = ALEX, **turn: Any) -> ActionResult:
    return run_action(server, action, Turn(text=intent.replace("_", " "), intent=intent, customer=customer,
                                           **turn))


def customs(result: ActionResult) -> list[dict[str, Any]]:
    return [r["custom"] for r in result.responses if r.get("custom")]


def buttons(result: ActionResult) -> list[str]:
    return [b["payload"] for r in result.responses for b in r.get("buttons") or []]


ALL_ACTIONS = [
    (names.ACTION_CARD_DELIVERY_STATUS, names.INTENT_CARD_ARRIVAL),
    (names.ACTION_DECLINED_PAYMENTS, names.INTENT_CARD_DECLINED),
    (names.ACTION_PENDING_PAYMENTS, names.INTENT_PENDING_CARD_PAYMENT),
    (names.ACTION_CANCEL_TRANSFER, names.INTENT_CANCEL_TRANSFER),
    (names.ACTION_DUPLICATE_CHARGES, names.INTENT_TRANSACTION_CHARGED_TWICE),
    (names.ACTION_EXCHANGE_DETAILS, names.INTENT_CARD_PAYMENT_WRONG_EXCHANGE_RATE),
    (names.ACTION_TOP_UPS, names.INTENT_TOP_UP_FAILED),
]


@pytest.mark.parametrize(("action", "intent"), ALL_ACTIONS)
def test_anonymous_customers_are_asked_to_sign_in_and_see_nothing(
    action_server: str, action: str, intent: str
) -> None:
    result = ask(action_server, action, intent, customer=None)
    assert customs(result) == [{"type": names.PAYLOAD_SIGN_IN_REQUIRED}]
    assert result.slots() == {names.SLOT_PENDING_ACTION: action}
    assert "£" not in result.text


@pytest.mark.parametrize(("action", "intent"), ALL_ACTIONS)
def test_answers_never_show_full_numbers_or_ids(action_server: str, action: str, intent: str) -> None:
    text = ask(action_server, action, intent).text
    assert text and "trf_" not in text and "txn_" not in text and "acc_" not in text
    assert re.search(r"\d{6,}", text) is None  # no account, card or sort code numbers


# -- cards in the post ------------------------------------------------------------------------------


def test_a_card_in_the_post_says_when_it_arrives(action_server: str) -> None:
    text = ask(action_server, names.ACTION_CARD_DELIVERY_STATUS, names.INTENT_CARD_ARRIVAL).text
    assert "renewed card ending 3107 was posted on" in text and "should arrive by" in text


def test_no_card_on_its_way_is_said_plainly(action_server: str) -> None:
    text = ask(action_server, names.ACTION_CARD_DELIVERY_STATUS, names.INTENT_CARD_ARRIVAL, MARGARET).text
    assert "I can't see a card on its way to you" in text and "3 to 5 working days" in text


# -- declined, pending, doubled, foreign, top-ups ---------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "shown", "hidden"),
    [
        (names.INTENT_CARD_DECLINED, ["ASOS.COM, £129.00", "fraud checks"], ["CASH WITHDRAWAL"]),
        (names.INTENT_DECLINED_CASH_WITHDRAWAL, ["CASH WITHDRAWAL ATM, £300.00", "daily limit"], ["ASOS"]),
        (names.INTENT_DECLINED_TRANSFER, ["I can't see any declined transfers"], ["ASOS", "£"]),
    ],
)
def test_declined_payments_of_the_kind_asked_with_their_reason(
    action_server: str, intent: str, shown: list[str], hidden: list[str]
) -> None:
    text = ask(action_server, names.ACTION_DECLINED_PAYMENTS, intent).text
    assert all(s in text for s in shown), text
    assert not any(h in text for h in hidden), text


@pytest.mark.parametrize(
    ("intent", "shown", "hidden"),
    [
        (names.INTENT_PENDING_CARD_PAYMENT, ["AMAZON MARKETPLACE, £34.99", "7 days"], ["J SMITH"]),
        (names.INTENT_BALANCE_NOT_UPDATED_AFTER_BANK_TRANSFER, ["J SMITH, £120.00", "within 2 hours"],
         ["AMAZON"]),
        (names.INTENT_BALANCE_NOT_UPDATED_AFTER_DEPOSIT, ["Cheque paid in at branch, £250.00"], ["J SMITH"]),
        (names.INTENT_PENDING_TRANSFER, ["Transfer to Rainy Day Saver, £200.00"], ["Transfer from"]),
        (names.INTENT_PENDING_CASH_WITHDRAWAL, ["You have no pending cash withdrawals"], ["£"]),
    ],
)
def test_pending_payments_of_the_kind_asked(
    action_server: str, intent: str, shown: list[str], hidden: list[str]
) -> None:
    text = ask(action_server, names.ACTION_PENDING_PAYMENTS, intent).text
    assert all(s in text for s in shown), text
    assert not any(h in text for h in hidden), text


def test_a_customer_with_nothing_pending_is_told_so(action_server: str) -> None:
    text = ask(action_server, names.ACTION_PENDING_PAYMENTS, names.INTENT_PENDING_CARD_PAYMENT, MARGARET).text
    assert text == "You have no pending card payments at the moment: everything is in your balance."


def test_a_payment_charged_twice_is_shown_with_the_dispute_route(action_server: str) -> None:
    result = ask(action_server, names.ACTION_DUPLICATE_CHARGES, names.INTENT_TRANSACTION_CHARGED_TWICE)
    assert "PRET A MANGER, £7.85 twice" in result.text and "both booked" in result.text
    assert "refund" in result.text and "/request_human" in buttons(result)
    nothing = ask(action_server, names.ACTION_DUPLICATE_CHARGES, names.INTENT_TRANSACTION_CHARGED_TWICE,
                  MARGARET)
    assert "I can't see a card payment taken twice" in nothing.text and "pending" in nothing.text


@pytest.mark.parametrize(
    ("intent", "shown", "hidden"),
    [
        (names.INTENT_CARD_PAYMENT_WRONG_EXCHANGE_RATE,
         "CAFE DE FLORE PARIS, €48.60 at €1.1520 to £1 = £42.19", "CAIXABANK"),
        (names.INTENT_WRONG_EXCHANGE_RATE_FOR_CASH_WITHDRAWAL,
         "CAIXABANK ATM BARCELONA, €100.00 at €1.1490 to £1 = £87.03", "CAFE"),
    ],
)
def test_foreign_payments_show_the_rate_applied_and_our_fee(
    action_server: str, intent: str, shown: str, hidden: str
) -> None:
    text = ask(action_server, names.ACTION_EXCHANGE_DETAILS, intent).text
    assert shown in text and hidden not in text
    assert "the Visa exchange rate" in text and "we charge no fee on top" in text


def test_no_foreign_payments_is_said_plainly(action_server: str) -> None:
    text = ask(action_server, names.ACTION_EXCHANGE_DETAILS, names.INTENT_CARD_PAYMENT_WRONG_EXCHANGE_RATE,
               MARGARET).text
    assert text == "I can't see any card payments in another currency on your accounts recently."


def test_failed_and_reverted_top_ups(action_server: str) -> None:
    failed = ask(action_server, names.ACTION_TOP_UPS, names.INTENT_TOP_UP_FAILED).text
    assert "Top-up from card ending 3344, £100.00 (Everyday Current): failed because the other bank" in failed
    none_reverted = ask(action_server, names.ACTION_TOP_UPS, names.INTENT_TOP_UP_REVERTED).text
    assert none_reverted.startswith("None of your recent top-ups has been reverted")
    reverted = ask(action_server, names.ACTION_TOP_UPS, names.INTENT_TOP_UP_REVERTED, PRIYA).text
    assert "£500.00" in reverted and "was reverted" in reverted


def test_after_signing_in_the_question_asked_before_is_answered(action_server: str) -> None:
    earlier = [user_event("my cash withdrawal was declined", names.INTENT_DECLINED_CASH_WITHDRAWAL)]
    turn = Turn(text="/signed_in", intent=names.INTENT_SIGNED_IN, customer=ALEX, earlier_events=earlier,
                slots={names.SLOT_PENDING_ACTION: names.ACTION_DECLINED_PAYMENTS})
    result = run_action(action_server, names.ACTION_RESUME_PENDING, turn)
    assert "CASH WITHDRAWAL ATM, £300.00" in result.text and "ASOS" not in result.text


# -- cancelling a transfer --------------------------------------------------------------------------


def pending_transfer(store: ProfileStore) -> str:
    return next(t.id for t in store.recent_transfers(ALEX, limit=50) if t.status == TransferStatus.PENDING)


def answer(server: str, intent: str, offered: str | None, customer: str = ALEX, **turn: Any) -> ActionResult:
    return run_action(server, names.ACTION_CANCEL_TRANSFER,
                      Turn(text=intent, intent=intent, customer=customer,
                           slots={names.SLOT_TRANSFER_TO_CANCEL: offered}, **turn))


def test_cancelling_a_transfer_step_by_step(action_server: str, store: ProfileStore) -> None:
    balances = [a.balance for a in store.accounts(ALEX)]
    transfer_id = pending_transfer(store)

    offer = ask(action_server, names.ACTION_CANCEL_TRANSFER, names.INTENT_CANCEL_TRANSFER)
    assert "Your latest transfers:" in offer.text and "pending: you can cancel it until" in offer.text
    assert "Shall I cancel the £200.00 transfer to Rainy Day Saver made today at" in offer.text
    assert buttons(offer) == ["/affirm", "/deny"]
    assert offer.slots()[names.SLOT_TRANSFER_TO_CANCEL] == transfer_id

    no = answer(action_server, names.INTENT_DENY, transfer_id)
    assert no.text == cancel_transfer.LEFT_AS_IS and no.slots()[names.SLOT_TRANSFER_TO_CANCEL] is None
    assert pending_transfer(store) == transfer_id

    old_login = signed_metadata(ALEX, auth_time=time.time() - LONG_AGO)
    stepped = run_action(action_server, names.ACTION_CANCEL_TRANSFER,
                         Turn(text="yes", intent=names.INTENT_AFFIRM, metadata=old_login,
                              slots={names.SLOT_TRANSFER_TO_CANCEL: transfer_id}))
    assert [c["type"] for c in customs(stepped)] == [names.PAYLOAD_STEP_UP_REQUIRED]
    assert pending_transfer(store) == transfer_id

    yes = answer(action_server, names.INTENT_AFFIRM, transfer_id)
    assert yes.text == ("Done: I've cancelled your £200.00 transfer to Rainy Day Saver. "
                        "The money stays in your Everyday Current.")
    assert yes.slots()[names.SLOT_TRANSFER_TO_CANCEL] is None
    cancelled = next(t for t in store.recent_transfers(ALEX, limit=50) if t.id == transfer_id)
    assert cancelled.status == TransferStatus.CANCELLED
    assert [a.balance for a in store.accounts(ALEX)] == balances

    again = answer(action_server, names.INTENT_AFFIRM, transfer_id)
    assert "already been cancelled" in again.text and "Done" not in again.text
    assert [a.balance for a in store.accounts(ALEX)] == balances

    listed = ask(action_server, names.ACTION_CANCEL_TRANSFER, names.INTENT_CANCEL_TRANSFER)
    assert "cancelled" in listed.text and cancel_transfer.NONE_CANCELLABLE in listed.text
    assert buttons(listed) == ["/request_human"]
    assert listed.slots()[names.SLOT_TRANSFER_TO_CANCEL] is None


def test_another_customers_transfer_is_never_cancelled(action_server: str, store: ProfileStore) -> None:
    priya = store.recent_transfers(PRIYA, limit=50)
    result = answer(action_server, names.INTENT_AFFIRM, priya[0].id)
    assert result.text == "We couldn't find that transfer among yours."
    assert store.recent_transfers(PRIYA, limit=50) == priya


def test_a_yes_with_nothing_offered_changes_nothing(action_server: str, store: ProfileStore) -> None:
    before = store.recent_transfers(ALEX, limit=50)
    assert answer(action_server, names.INTENT_AFFIRM, None).text == cancel_transfer.NOTHING_WAITING
    assert answer(action_server, names.INTENT_DENY, None).text == cancel_transfer.NOTHING_WAITING
    assert store.recent_transfers(ALEX, limit=50) == before


def test_a_customer_without_transfers_is_told_so(action_server: str) -> None:
    sofia = "cus_006"  # saves nothing each month and has no credit card to pay off
    text = ask(action_server, names.ACTION_CANCEL_TRANSFER, names.INTENT_CANCEL_TRANSFER, sofia).text
    assert text == cancel_transfer.NO_TRANSFERS


def test_a_yes_with_an_old_login_cancels_once_the_customer_has_signed_in_again(
    action_server: str, store: ProfileStore, bot_database_url: str
) -> None:
    transfer_id = add_pending_transfer(bot_database_url, PRIYA)
    old_login = signed_metadata(PRIYA, auth_time=time.time() - LONG_AGO)
    stepped = answer(action_server, names.INTENT_AFFIRM, transfer_id, customer=PRIYA, metadata=old_login)
    assert [c["type"] for c in customs(stepped)] == [names.PAYLOAD_STEP_UP_REQUIRED]
    assert stepped.slots() == {names.SLOT_PENDING_ACTION: names.ACTION_CANCEL_TRANSFER}
    assert store.recent_transfers(PRIYA)[0].status == TransferStatus.PENDING

    resumed = run_action(action_server, names.ACTION_RESUME_PENDING,
                         Turn(text="/signed_in", intent=names.INTENT_SIGNED_IN, customer=PRIYA,
                              slots={names.SLOT_PENDING_ACTION: names.ACTION_CANCEL_TRANSFER,
                                     names.SLOT_TRANSFER_TO_CANCEL: transfer_id}))
    assert "Done: I've cancelled your £40.00 transfer to Holiday Saver." in resumed.text
    assert store.recent_transfers(PRIYA)[0].status == TransferStatus.CANCELLED


def add_pending_transfer(database_url: str, customer: str) -> str:
    """A pending transfer of £40 from the customer's current account to their savings, made now."""
    engine = get_engine(database_url)
    now = datetime.now(UTC)
    transfer_id = f"trf_{customer[4:]}_test"
    try:
        with session_factory(engine).begin() as session:
            session.add(Transfer(
                id=transfer_id, customer_id=customer, source_account_id=f"acc_{customer[4:]}_current",
                destination_account_id=f"acc_{customer[4:]}_savings", amount=Decimal("40.00"), reference=None,
                created_at=now, status=TransferStatus.PENDING, cancellable_until=now + timedelta(minutes=30),
            ))
    finally:
        engine.dispose()
    return transfer_id
