"""Signing in and stepping up, end to end: the public API, the local identity provider, Rasa
and the action server as real processes.

An anonymous conversation is answered about general things and asked to sign in for its
balance (no figures anywhere: replies, transcript, Rasa's tracker); the sign-in answers the
question. A transfer whose login is not recent asks for a step-up and moves nothing; after
the step-up sign-in the summary comes back and the yes moves the money.

The stack here has a short step-up window (``IDENTITY_STEP_UP_MAX_AGE_S``) so that a login
becomes "not recent" within the test.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from bank.store import ProfileStore
from database.settings import DatabaseSettings
from stack.identity_provider import customer_token
from stack.processes import Stack
from tests.support.chat import ChatClient
from tests.support.stacks import short_step_up_stack

pytestmark = [pytest.mark.stack, pytest.mark.idp]

CUSTOMER = "cus_001"
STEP_UP_MAX_AGE_S = 4


@pytest.fixture(scope="module")
def bank_stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with short_step_up_stack(trained_model, tmp_path_factory, "identity-e2e", STEP_UP_MAX_AGE_S) as stack:
        yield stack


@pytest.fixture(scope="module")
def store(bank_stack: Stack) -> ProfileStore:
    return ProfileStore.from_settings(DatabaseSettings(database_url=bank_stack.config.database_url))


def balances(store: ProfileStore) -> dict[str, Decimal]:
    return {a.name: a.balance for a in store.accounts(CUSTOMER)}


def customs(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r["custom"] for r in replies if r.get("custom")]


def text_of(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def sign_in(chat: ChatClient, issuer: str, **kw: Any) -> dict[str, Any]:
    """Sign the conversation in as the demo customer (``kw``: max_age, acr_values)."""
    response = chat.http.post(f"/v1/conversations/{chat.id}/sign-in",
                              json={"access_token": customer_token(issuer, CUSTOMER, **kw)})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["signed_in"] is True
    return body


def bot_texts_in_tracker(stack: Stack, conversation: str) -> str:
    tracker = httpx.get(f"{stack.config.rasa_url}/conversations/{conversation}/tracker",
                        params=stack.rasa_api_params, timeout=30)
    tracker.raise_for_status()
    return "\n".join(e.get("text") or "" for e in tracker.json()["events"] if e.get("event") == "bot")


def test_anonymous_chat_answers_general_questions_and_asks_to_sign_in_for_a_balance(
    bank_stack: Stack, store: ProfileStore
) -> None:
    chat = ChatClient(bank_stack.config.api_url, customer_id=None)
    faq = chat.send("what are your opening hours?")["replies"]
    assert "8am to 8pm" in text_of(faq) and customs(faq) == []

    replies = chat.send("what's my balance?")["replies"]
    assert {"type": "sign_in_required"} in customs(replies)
    figures = [f"{b:,.2f}" for b in balances(store).values()]
    everywhere = text_of(replies) + str(chat.transcript()) + bot_texts_in_tracker(bank_stack, chat.id)
    assert "£" not in text_of(replies)
    assert not [f for f in figures if f in everywhere]
    assert not [name for name in balances(store) if name in everywhere]

    # Signing in answers the question that asked for it.
    answer = text_of(sign_in(chat, bank_stack.config.issuer)["replies"])
    assert all(name in answer for name in balances(store)), answer


def test_a_transfer_without_a_recent_login_steps_up_and_then_resumes(
    bank_stack: Stack, store: ProfileStore
) -> None:
    before = balances(store)
    chat = ChatClient(bank_stack.config.api_url, customer_id=CUSTOMER)
    summary = chat.send("move £30 from savings to current")["replies"]
    assert "Just to confirm: move £30.00 from Rainy Day Saver" in text_of(summary)
    time.sleep(STEP_UP_MAX_AGE_S + 1)  # the login is no longer recent

    replies = chat.send("yes")["replies"]
    [step_up] = [c for c in customs(replies) if c.get("type") == "step_up_required"]
    assert step_up == {"type": "step_up_required", "max_age": STEP_UP_MAX_AGE_S,
                       "acr_values": "urn:bank:loa:2"}
    assert "Done" not in text_of(replies)
    assert balances(store) == before  # no money moved

    # The page signs in again as the payload asks; the bot shows the summary again.
    resumed = sign_in(chat, bank_stack.config.issuer, max_age=step_up["max_age"],
                      acr_values=step_up["acr_values"])["replies"]
    assert "Just to confirm: move £30.00 from Rainy Day Saver" in text_of(resumed)
    assert balances(store) == before
    assert "Done: I've moved £30.00" in text_of(chat.send("yes")["replies"])
    assert balances(store)["Rainy Day Saver"] == before["Rainy Day Saver"] - 30
