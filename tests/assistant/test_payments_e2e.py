"""Paying a payee, a standing order, paying off a credit card, searching transactions and the
money insights (where the money goes, budgets), end to end: the public API, the local identity
provider, Rasa with the trained model and the action server.

A payment whose login is not recent asks for a step-up and pays nothing; after the step-up
the summary comes back and the yes pays once, however often it is repeated. The payee's name
is never in the transcript or Rasa's tracker. The stack has a short step-up window.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from bank.payments import PaymentStore
from bank.store import ProfileStore
from database.settings import DatabaseSettings
from stack.identity_provider import customer_token
from stack.processes import Stack
from tests.support.chat import ChatClient
from tests.support.stacks import short_step_up_stack

pytestmark = [pytest.mark.stack, pytest.mark.idp]

MARGARET, ALEX = "cus_004", "cus_001"  # Margaret has saved payees in the demo bank
STEP_UP_MAX_AGE_S = 4


@pytest.fixture(scope="module")
def pay_stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with short_step_up_stack(trained_model, tmp_path_factory, "payments-e2e", STEP_UP_MAX_AGE_S) as stack:
        yield stack


@pytest.fixture(scope="module")
def store(pay_stack: Stack) -> ProfileStore:
    return ProfileStore.from_settings(DatabaseSettings(database_url=pay_stack.config.database_url))


def current_balance(store: ProfileStore, customer: str) -> Decimal:
    return next(a.balance for a in store.accounts(customer) if a.id.endswith("_current"))


def text_of(turn: dict[str, Any]) -> str:
    return "\n".join(r.get("text") or "" for r in turn["replies"])


def customs(turn: dict[str, Any]) -> list[dict[str, Any]]:
    return [r["custom"] for r in turn["replies"] if r.get("custom")]


def step_up(chat: ChatClient, issuer: str, customer: str, asked: dict[str, Any]) -> dict[str, Any]:
    token = customer_token(issuer, customer, max_age=asked["max_age"], acr_values=asked["acr_values"])
    response = chat.http.post(f"/v1/conversations/{chat.id}/sign-in", json={"access_token": token})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def tracker_text(stack: Stack, conversation: str) -> str:
    tracker = httpx.get(f"{stack.config.rasa_url}/conversations/{conversation}/tracker",
                        params=stack.rasa_api_params, timeout=30)
    tracker.raise_for_status()
    return str(tracker.json()["events"])


def test_a_payment_to_a_payee_steps_up_and_is_made_once(pay_stack: Stack, store: ProfileStore) -> None:
    before = current_balance(store, MARGARET)
    chat = ChatClient(pay_stack.config.api_url, MARGARET)
    asked = chat.send("I want to pay someone")
    assert "Who would you like to pay?" in text_of(asked)
    assert any(c.get("type") == "payees" for c in customs(asked))
    assert "How much" in text_of(chat.click(asked, "ending 0003"))
    assert "reference" in text_of(chat.send("£25"))
    when = chat.send("December electric")
    assert "When should it go" in text_of(when)
    summary = chat.click(when, "Now")
    assert 'Just to confirm: pay £25.00 to the payee with account ending 0003' in text_of(summary)
    assert 'reference "December electric", now' in text_of(summary)
    time.sleep(STEP_UP_MAX_AGE_S + 1)  # the login is no longer recent

    refused = chat.send("yes")
    [asked_step_up] = [c for c in customs(refused) if c.get("type") == "step_up_required"]
    assert "Done" not in text_of(refused) and current_balance(store, MARGARET) == before

    resumed = step_up(chat, pay_stack.config.issuer, MARGARET, asked_step_up)["replies"]
    assert "Just to confirm: pay £25.00" in "\n".join(r.get("text") or "" for r in resumed)
    done = chat.send("yes")
    assert "Done: I've paid £25.00 to the payee with account ending 0003." in text_of(done)
    chat.send("yes")  # said again: nothing more is paid
    assert current_balance(store, MARGARET) == before - Decimal("25.00")
    payments = PaymentStore.from_settings(DatabaseSettings(database_url=pay_stack.config.database_url))
    assert [p.amount for p in payments.payments(MARGARET)] == [Decimal("25.00")]
    everywhere = str(chat.transcript()) + tracker_text(pay_stack, chat.id)
    assert "Octopus" not in everywhere and "70000003" not in everywhere


def test_a_credit_card_is_paid_off(pay_stack: Stack, store: ProfileStore) -> None:
    chat = ChatClient(pay_stack.config.api_url, ALEX)
    before = current_balance(store, ALEX)
    asked = chat.send("I'd like to pay my credit card bill")
    assert "minimum payment of" in text_of(asked)
    summary = chat.click(asked, "Minimum")
    assert "Just to confirm: pay £" in text_of(summary)
    done = chat.send("yes")
    if "Done" not in text_of(done):  # the login went stale meanwhile: step up, then yes again
        [asked_step_up] = [c for c in customs(done) if c.get("type") == "step_up_required"]
        step_up(chat, pay_stack.config.issuer, ALEX, asked_step_up)
        done = chat.send("yes")
    assert "Done: I've paid £" in text_of(done) and "to your" in text_of(done)
    assert current_balance(store, ALEX) < before


def test_spending_is_searched_and_shown_as_a_table(pay_stack: Stack) -> None:
    chat = ChatClient(pay_stack.config.api_url, ALEX)
    turn = chat.send("how much did I spend on groceries last month")
    tables = [c for c in customs(turn) if c.get("type") == "transactions"]
    assert "You spent £" in text_of(turn) and tables and tables[0]["rows"]
    assert all(row["category"] == "Groceries" for row in tables[0]["rows"])


def test_an_evasion_request_is_refused_and_the_bot_never_sees_it(pay_stack: Stack) -> None:
    chat = ChatClient(pay_stack.config.api_url, ALEX)
    turn = chat.send("what's the most I can pay in before you report it to HMRC")
    assert customs(turn) == [{"flag": "financial_crime", "refused": True}]
    assert "HMRC" not in tracker_text(pay_stack, chat.id)


def test_a_standing_order_is_set_up_once_then_listed_and_cancelled(
    pay_stack: Stack, store: ProfileStore
) -> None:
    payments = PaymentStore.from_settings(DatabaseSettings(database_url=pay_stack.config.database_url))
    before = {o.id for o in payments.standing_orders(MARGARET)}
    chat = ChatClient(pay_stack.config.api_url, MARGARET)
    asked = chat.send("I want to set up a standing order")
    assert "Who would you like to pay?" in text_of(asked)
    assert "How much" in text_of(chat.click(asked, "ending 1864"))
    often = chat.send("£40")
    assert "How often should it go" in text_of(often)
    assert "reference" in text_of(chat.click(often, "Every month"))
    first = chat.send("RENT")
    assert "When should the first payment go?" in text_of(first)
    summary = chat.click(first, "Tomorrow")
    assert "set up a standing order to pay £40.00 to the payee with account ending 1864 every month" in \
        text_of(summary)
    time.sleep(STEP_UP_MAX_AGE_S + 1)  # the login is no longer recent: the day chosen must survive it
    refused = chat.send("yes")
    [asked_step_up] = [c for c in customs(refused) if c.get("type") == "step_up_required"]
    resumed = step_up(chat, pay_stack.config.issuer, MARGARET, asked_step_up)["replies"]
    assert "set up a standing order to pay £40.00" in "\n".join(r.get("text") or "" for r in resumed)
    done = chat.send("yes")
    assert "Done: £40.00 will go to the payee with account ending 1864 every month" in text_of(done)
    chat.send("yes")  # said again: no second order
    made = [o for o in payments.standing_orders(MARGARET) if o.id not in before]
    assert [(o.amount, o.frequency.value) for o in made] == [(Decimal("40.00"), "monthly")]

    listed = chat.send("show my standing orders")
    assert "£40.00 every month to the payee with account ending 1864" in text_of(listed)
    offer = chat.send("cancel my standing order")
    if "Which standing order" in text_of(offer):
        offer = chat.click(offer, "£40.00 every month")
    assert "Shall I cancel your standing order of £40.00 every month" in text_of(offer)
    cancelled = chat.click(offer, "Yes, cancel it")
    if "Done" not in text_of(cancelled):
        [asked_step_up] = [c for c in customs(cancelled) if c.get("type") == "step_up_required"]
        cancelled = {"replies": step_up(chat, pay_stack.config.issuer, MARGARET, asked_step_up)["replies"]}
    assert "Done: I've cancelled your monthly standing order of £40.00" in text_of(cancelled)
    assert made[0].id not in {o.id for o in payments.standing_orders(MARGARET)}


def test_where_the_money_goes_and_a_budget(pay_stack: Stack) -> None:
    chat = ChatClient(pay_stack.config.api_url, ALEX)
    turn = chat.send("break down my spending last month")
    if "Did you mean" in text_of(turn):  # a close call is asked about, not guessed
        turn = chat.click(turn, "Where my money goes")
    [chart] = [c for c in customs(turn) if c.get("type") == "spending_chart"]
    words = text_of(turn).strip()
    assert words.startswith("You spent £") and chart["bars"] and chart["text"] == words
    asked = chat.send("I'd like to set a budget for eating out")
    assert "How much a month would you like to spend on eating out?" in text_of(asked)
    done = chat.send("£150")
    assert "Done: your eating out budget is £150.00 a month." in text_of(done)
    status = chat.send("how am I doing on my budgets")
    assert "Eating out: £" in text_of(status) and "of £150.00 spent" in text_of(status)
