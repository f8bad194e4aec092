"""Attacks on the action server itself: a direct ``POST /webhook`` that claims a customer.

Whoever reaches the action server gets nothing without a customer assertion the front
service signed for this very conversation: no figures, nothing changed in the bank, and a
log line that names the reason but not the customer. A valid assertion gets the figures
(so these tests fail if verification is removed). Sensitive changes need a recent login:
otherwise a step-up is asked, nothing changes, and the action resumes after ``/signed_in``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from assistant import names
from assistant.actions.formatting import format_money
from bank.enums import CardStatus
from bank.models import Transfer
from bank.store import ProfileStore
from database.engine import get_engine
from database.settings import DatabaseSettings
from stack.processes import Stack
from tests.assistant.action_client import ActionResult, Turn, run_action, signed_metadata

CUSTOMER = "cus_001"
OTHER_KEY = "a-key-that-was-never-given-to-the-action-server"
LONG_AGO = 3600.0  # a login this many seconds old is not recent enough for a change


@pytest.fixture(scope="module")
def store(bot_database_url: str) -> ProfileStore:
    return ProfileStore.from_settings(DatabaseSettings(database_url=bot_database_url))


@dataclass(frozen=True)
class Bank:
    """What an attack must not change: balances, card states and the number of transfers."""

    balances: dict[str, Decimal]
    cards: dict[str, str]
    transfers: int


def bank_state(store: ProfileStore, database_url: str) -> Bank:
    with get_engine(database_url).connect() as connection:
        transfers = connection.scalar(select(func.count()).select_from(Transfer)) or 0
    return Bank(
        balances={a.id: a.balance for a in store.accounts(CUSTOMER)},
        cards={c.id: c.status for c in store.cards(CUSTOMER)},
        transfers=transfers,
    )


def accounts_by_kind(store: ProfileStore) -> dict[str, Any]:
    return {a.kind: a for a in store.accounts(CUSTOMER)}


def transfer_slots(store: ProfileStore, amount: str = "12.00") -> dict[str, Any]:
    kinds = accounts_by_kind(store)
    return {
        names.SLOT_TRANSFER_AMOUNT: amount,
        names.SLOT_SOURCE_ACCOUNT: kinds["savings"].id,
        names.SLOT_DESTINATION_ACCOUNT: kinds["current"].id,
        names.SLOT_TRANSFER_CONFIRMED: True,
    }


def customs(result: ActionResult) -> list[dict[str, Any]]:
    return [r["custom"] for r in result.responses if r.get("custom")]


def log_lines_since(stack: Stack, offset: int) -> list[str]:
    path: Path = stack.processes["actions"].log_path
    time.sleep(0.3)  # the server writes its log line after answering
    return path.read_bytes()[offset:].decode(errors="replace").splitlines()


def log_size(stack: Stack) -> int:
    return stack.processes["actions"].log_path.stat().st_size


def assert_no_figures(result: ActionResult, store: ProfileStore) -> None:
    text = result.text
    assert not re.search(r"\d", text), text  # no amounts, dates or card endings
    for account in store.accounts(CUSTOMER):
        assert account.name not in text


# -- forged, stale, foreign or missing assertions --------------------------------------------

ATTACKS = {
    "none": lambda: {"channel": "web", "customer_id": CUSTOMER},
    "other-key": lambda: signed_metadata(CUSTOMER, key=OTHER_KEY),
    "expired": lambda: signed_metadata(CUSTOMER, now=time.time() - 600),
    "other-conversation": lambda: signed_metadata(CUSTOMER, conversation="conv_of_someone_else"),
}
REASONS = {
    "other-key": "InvalidSignatureError",
    "expired": "ExpiredSignatureError",
    "other-conversation": "another conversation",
}


def attack(server: str, action: str, metadata: dict[str, Any], slots: dict[str, Any]) -> ActionResult:
    # The slot claims the customer too: it must not matter.
    turn = Turn(text="please", intent="affirm", metadata=metadata,
                slots={names.SLOT_CUSTOMER_ID: CUSTOMER, **slots})
    return run_action(server, action, turn)


@pytest.mark.parametrize("kind", list(ATTACKS))
@pytest.mark.parametrize(
    "action", [names.ACTION_CHECK_BALANCE, names.ACTION_EXECUTE_TRANSFER, names.ACTION_FREEZE_CARD]
)
def test_without_a_valid_assertion_nothing_is_shown_or_changed(
    action: str, kind: str, action_server_stack: Stack, action_server: str,
    store: ProfileStore, bot_database_url: str,
) -> None:
    before = bank_state(store, bot_database_url)
    offset = log_size(action_server_stack)
    slots = transfer_slots(store) if action == names.ACTION_EXECUTE_TRANSFER else {}
    result = attack(action_server, action, ATTACKS[kind](), slots)

    assert_no_figures(result, store)
    assert customs(result) == [{"type": names.PAYLOAD_SIGN_IN_REQUIRED}]
    assert bank_state(store, bot_database_url) == before
    assert names.SLOT_CUSTOMER_ID not in result.slots()
    refused = [line for line in log_lines_since(action_server_stack, offset) if "assertion refused" in line]
    if kind == "none":
        assert refused == []  # anonymous, not an attack
    else:
        assert len(refused) == 1 and REASONS[kind] in refused[0] and action in refused[0]
    assert all(CUSTOMER not in line for line in log_lines_since(action_server_stack, offset))


def test_a_valid_assertion_gets_the_figures(action_server: str, store: ProfileStore) -> None:
    result = run_action(action_server, names.ACTION_CHECK_BALANCE,
                        Turn(text="balance", intent="check_balance", metadata=signed_metadata(CUSTOMER)))
    for account in store.accounts(CUSTOMER):
        assert account.name in result.text and format_money(account.balance, account.currency) in result.text
    assert customs(result) == []


def test_an_anonymous_transfer_form_stops_and_keeps_the_answers(action_server: str) -> None:
    turn = Turn(text="move £40 from savings to current", intent="transfer_money",
                form=names.FORM_TRANSFER, requested_slot=None,
                candidates={names.SLOT_TRANSFER_AMOUNT: "40", names.SLOT_SOURCE_ACCOUNT: "savings"})
    result = run_action(action_server, names.ACTION_VALIDATE_TRANSFER_FORM, turn)
    assert customs(result) == [{"type": names.PAYLOAD_SIGN_IN_REQUIRED}]
    assert result.slots() == {names.SLOT_PENDING_ACTION: names.FORM_TRANSFER, names.SLOT_REQUESTED: None}


# -- step-up: a change needs a recent login ------------------------------------------------------


def test_a_transfer_with_an_old_login_asks_for_a_step_up_and_moves_nothing(
    action_server: str, store: ProfileStore, bot_database_url: str
) -> None:
    before = bank_state(store, bot_database_url)
    old_login = signed_metadata(CUSTOMER, auth_time=time.time() - LONG_AGO)
    result = run_action(action_server, names.ACTION_EXECUTE_TRANSFER,
                        Turn(text="yes", intent="affirm", metadata=old_login, slots=transfer_slots(store)))
    assert customs(result) == [{"type": names.PAYLOAD_STEP_UP_REQUIRED, "max_age": 300,
                                "acr_values": "urn:bank:loa:2"}]
    assert bank_state(store, bot_database_url) == before
    # The yes is forgotten (the summary is asked again), the answers are kept.
    assert result.slots() == {names.SLOT_TRANSFER_CONFIRMED: None,
                              names.SLOT_PENDING_ACTION: names.FORM_TRANSFER}


def test_a_transfer_with_a_recent_login_moves_the_money(
    action_server: str, store: ProfileStore, bot_database_url: str
) -> None:
    before = bank_state(store, bot_database_url)
    result = run_action(action_server, names.ACTION_EXECUTE_TRANSFER,
                        Turn(text="yes", intent="affirm", customer=CUSTOMER, slots=transfer_slots(store)))
    assert "Done: I've moved £12.00" in result.text
    assert bank_state(store, bot_database_url).transfers == before.transfers + 1


def test_a_high_assurance_login_needs_no_step_up(
    action_server: str, store: ProfileStore, bot_database_url: str
) -> None:
    before = bank_state(store, bot_database_url)
    strong = signed_metadata(CUSTOMER, auth_time=time.time() - LONG_AGO, acr="urn:bank:loa:2")
    turn = Turn(text="yes", intent="affirm", metadata=strong, slots=transfer_slots(store, "1.00"))
    result = run_action(action_server, names.ACTION_EXECUTE_TRANSFER, turn)
    assert "Done" in result.text
    assert bank_state(store, bot_database_url).transfers == before.transfers + 1


def test_freezing_with_an_old_login_asks_for_a_step_up_then_resumes(
    action_server: str, store: ProfileStore, bot_database_url: str
) -> None:
    before = bank_state(store, bot_database_url)
    old_login = signed_metadata(CUSTOMER, auth_time=time.time() - LONG_AGO)
    result = run_action(action_server, names.ACTION_FREEZE_CARD,
                        Turn(text="I lost my card", intent="lost_card", metadata=old_login))
    assert [c["type"] for c in customs(result)] == [names.PAYLOAD_STEP_UP_REQUIRED]
    assert result.slots() == {names.SLOT_PENDING_ACTION: names.ACTION_FREEZE_CARD}
    assert bank_state(store, bot_database_url) == before

    # The page re-authenticates; the service sends "/signed_in" with the fresh login.
    resumed = run_action(action_server, names.ACTION_RESUME_PENDING,
                         Turn(text="/signed_in", intent=names.INTENT_SIGNED_IN, customer=CUSTOMER,
                              slots={names.SLOT_PENDING_ACTION: names.ACTION_FREEZE_CARD}))
    assert "I've frozen your card" in resumed.text
    assert resumed.slots()[names.SLOT_PENDING_ACTION] is None
    frozen = [c for c in store.cards(CUSTOMER) if c.status == CardStatus.FROZEN]
    assert frozen
    for card in frozen:
        store.unfreeze_card(CUSTOMER, card.id)


# -- resuming after /signed_in ---------------------------------------------------------------------


def resume(server: str, pending: str | None, metadata: dict[str, Any] | None = None) -> ActionResult:
    turn = Turn(text="/signed_in", intent=names.INTENT_SIGNED_IN,
                metadata=metadata if metadata is not None else signed_metadata(CUSTOMER),
                slots={names.SLOT_PENDING_ACTION: pending})
    return run_action(server, names.ACTION_RESUME_PENDING, turn)


def test_signed_in_answers_the_question_that_asked_for_it(action_server: str, store: ProfileStore) -> None:
    result = resume(action_server, names.ACTION_CHECK_BALANCE)
    assert all(a.name in result.text for a in store.accounts(CUSTOMER))
    assert result.slots() == {names.SLOT_PENDING_ACTION: None, names.SLOT_CUSTOMER_ID: CUSTOMER}


def test_signed_in_starts_the_transfer_form_again(action_server: str) -> None:
    result = resume(action_server, names.FORM_TRANSFER)
    assert {"event": "followup", "name": names.FORM_TRANSFER} in [
        {"event": e["event"], "name": e.get("name")} for e in result.events
    ]
    assert result.slots() == {names.SLOT_PENDING_ACTION: None}


def test_signed_in_with_nothing_pending_says_so(action_server: str) -> None:
    result = resume(action_server, None)
    assert result.text == "You're signed in."


def test_signed_in_without_a_valid_assertion_resumes_nothing(
    action_server: str, store: ProfileStore, bot_database_url: str
) -> None:
    before = bank_state(store, bot_database_url)
    result = resume(action_server, names.ACTION_FREEZE_CARD, signed_metadata(CUSTOMER, key=OTHER_KEY))
    assert customs(result) == [{"type": names.PAYLOAD_SIGN_IN_REQUIRED}]
    assert result.slots() == {names.SLOT_PENDING_ACTION: names.ACTION_FREEZE_CARD}
    assert bank_state(store, bot_database_url) == before
