"""Whole conversations through Rasa's REST channel, with the real action server behind it.

Rasa runs the trained model and calls the action server, which uses a seeded SQLite
database, so forms, corrections, digressions and the store work together here exactly as
they do behind the front service. Each message carries a customer assertion signed as the
service signs it, or none for an anonymous conversation.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.actions.replies import DID_YOU_MEAN, ENGLISH_ONLY, OTHER_BANK
from assistant.answer_table import load_table
from assistant.facts import render
from bank.store import ProfileStore
from database.settings import DatabaseSettings
from stack.processes import Stack, StackConfig
from tests.assistant.action_client import ASSERTION_KEY, signed_metadata

pytestmark = pytest.mark.stack

CUSTOMER = "cus_001"


@pytest.fixture(scope="module")
def rasa_url(
    trained_model: Path, bot_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    config = StackConfig(
        database_url=bot_database_url,
        model=trained_model,
        log_dir=tmp_path_factory.mktemp("live-logs"),
        extra_env={"TF_INTRA_OP_PARALLELISM_THREADS": "2", "TF_INTER_OP_PARALLELISM_THREADS": "1",
                   "IDENTITY_ASSERTION_KEY": ASSERTION_KEY},
    )
    stack = Stack(config)
    try:
        stack.start(names=("actions", "rasa"), timeout_s=300)
        yield config.rasa_url
    finally:
        stack.stop()


class Chat:
    """One conversation with the bot, as the front service holds it: signed in as
    ``customer`` with a login ``login_age_s`` old, or anonymous (``customer=None``)."""

    def __init__(self, rasa_url: str, customer: str | None = CUSTOMER, login_age_s: float = 0) -> None:
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.sender = f"test-{uuid.uuid4().hex[:12]}"
        self.sign_in(customer, login_age_s)

    def sign_in(self, customer: str | None = CUSTOMER, login_age_s: float = 0) -> None:
        self.customer, self.login_age_s = customer, login_age_s

    def metadata(self) -> dict[str, Any]:
        if self.customer is None:
            return {"channel": "web"}
        login = time.time() - self.login_age_s
        return signed_metadata(self.customer, conversation=self.sender, auth_time=login)

    def say(self, text: str) -> list[dict[str, Any]]:
        response = httpx.post(
            self.url,
            json={"sender": self.sender, "message": text, "metadata": self.metadata()},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def text(self, text: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(text))


@pytest.fixture(scope="module")
def store(bot_database_url: str) -> ProfileStore:
    return ProfileStore.from_settings(DatabaseSettings(database_url=bot_database_url))


def designed_answer(intent: str) -> str:
    """The table's answer to ``intent``, filled with the bank's facts."""
    return render(load_table()[intent].text or "")


def balances(store: ProfileStore) -> dict[str, Decimal]:
    return {a.name: a.balance for a in store.accounts(CUSTOMER)}


def test_transfer_with_a_correction(rasa_url: str, store: ProfileStore) -> None:
    before = balances(store)
    chat = Chat(rasa_url)
    reply = chat.say("move £100 from savings to current")
    assert "Just to confirm: move £100.00 from Rainy Day Saver" in reply[-1]["text"]
    assert [b["payload"] for b in reply[-1]["buttons"]] == ["/affirm", "/deny"]
    reply_text = chat.text("actually make it £300")
    assert "I've changed the amount to £300.00" in reply_text
    assert "Just to confirm: move £300.00 from Rainy Day Saver" in reply_text
    assert "Done: I've moved £300.00 from Rainy Day Saver to Everyday Current" in chat.text("yes")
    after = balances(store)
    assert after["Rainy Day Saver"] == before["Rainy Day Saver"] - 300
    assert after["Everyday Current"] == before["Everyday Current"] + 300


def test_transfer_re_asks_a_bad_amount(rasa_url: str) -> None:
    chat = Chat(rasa_url)
    assert "How much would you like to move?" in chat.text("I want to transfer money")
    reply = chat.text("£0")
    assert "more than zero" in reply and "How much would you like to move?" in reply
    reply = chat.text("£12.345")
    assert "two decimal places" in reply


def test_goal_with_a_digression_and_a_correction(rasa_url: str, store: ProfileStore) -> None:
    goals_before = len(store.goals(CUSTOMER))
    chat = Chat(rasa_url)
    messages = chat.say("I want to set a financial goal")
    assert "What kind of goal" in messages[-1]["text"] and len(messages[-1]["buttons"]) == 4
    assert "How much would you like to save?" in chat.text('/inform{"goal_type":"save"}')
    assert "time frame" in chat.text("£8,000")
    assert "How much risk" in chat.text("3 years")
    reply = chat.text("£300")
    assert "didn't catch that" in reply and "How much risk" in reply
    reply = chat.text("what are your fees?")
    assert designed_answer("ask_fees") in reply and "How much risk" in reply
    reply = chat.text("actually make it 5 years")
    assert "I've changed the time frame to 5 years" in reply and "How much risk" in reply
    assert "each month" in chat.text("low")
    reply = chat.text("£150 a month")
    assert "I've saved your goal: save £8,000.00 over 5 years" in reply
    goal = store.goals(CUSTOMER)[0]
    assert len(store.goals(CUSTOMER)) == goals_before + 1
    assert (goal.horizon_months, goal.monthly_budget, goal.risk_tolerance) == (60, Decimal("150.00"), "low")


def test_stopping_a_form_asks_first(rasa_url: str) -> None:
    chat = Chat(rasa_url)
    chat.say("help me plan a goal")
    assert "Do you want to stop here?" in chat.text("stop")
    assert "let's carry on" in chat.text("no")
    chat.text("stop")
    assert "I've stopped there" in chat.text("yes")
    assert "Hello" in chat.text("hi")


def test_asking_for_a_person_hands_off(rasa_url: str) -> None:
    reply = Chat(rasa_url).say("I want to talk to a human")
    assert {"handoff": {"reason": "customer_request"}} in [m.get("custom") for m in reply]


def test_balance_uses_the_customer_of_the_assertion(rasa_url: str, store: ProfileStore) -> None:
    reply = Chat(rasa_url).text("what's my balance?")
    for name in balances(store):
        assert name in reply


def test_gibberish_gets_a_rephrase_prompt_with_buttons(rasa_url: str) -> None:
    reply = Chat(rasa_url).say("blorp zint quax")
    assert "rephrase" in reply[0]["text"] and reply[0]["buttons"]


# -- everyday questions: designed answers, clarification, other languages -------------------


@pytest.mark.parametrize(("text", "intent"), [
    ("how many days does it take for a new card to be delivered?", "card_delivery_estimate"),
    ("is the debit card you give me a visa or a mastercard", "visa_or_mastercard"),
    ("is there a minimum age to open an account with you?", "age_limit"),
    ("why do you need to check my ID?", "why_verify_identity"),
    ("I've lost my mobile phone, what should I do?", "lost_or_stolen_phone"),
    ("what are your fees?", "ask_fees"),
])
def test_everyday_questions_get_their_designed_answer(rasa_url: str, text: str, intent: str) -> None:
    """Answered at once, or, where the bot is unsure, offered as a meaning whose button answers."""
    chat = Chat(rasa_url)
    reply = chat.say(text)
    if reply and reply[0].get("text") == DID_YOU_MEAN:
        assert f"/{intent}" in [b["payload"] for b in reply[0]["buttons"]]
        reply = chat.say(f"/{intent}")
    assert designed_answer(intent) in text_of(reply)


def test_a_clarifying_button_gets_the_answer_it_names(rasa_url: str) -> None:
    chat = Chat(rasa_url)
    reply = chat.say("/nlu_fallback")
    assert "rephrase" in reply[0]["text"]
    answer = chat.text("/card_delivery_estimate")  # what a "Did you mean ...?" button sends
    assert answer == designed_answer("card_delivery_estimate")


def test_another_language_is_told_what_the_assistant_understands(rasa_url: str) -> None:
    reply = Chat(rasa_url).say("hola, he perdido mi tarjeta, qué hago?")
    assert reply[0]["text"] == ENGLISH_ONLY


def test_a_question_about_another_bank_says_what_the_assistant_does(rasa_url: str) -> None:
    reply = Chat(rasa_url).text("what's the sort code for Barclays?")
    assert OTHER_BANK.format(bank="Barclays") in reply or "not something I can help with" in reply


def test_no_in_the_middle_of_a_form_asks_whether_to_stop_and_does(rasa_url: str) -> None:
    chat = Chat(rasa_url)
    assert "How much would you like to move?" in chat.text("I want to transfer money")
    assert "Do you want to stop here?" in chat.text("no")
    reply = chat.text("yes")
    assert "I've stopped there" in reply and "How much would you like to move?" not in reply
    assert "How much would you like to move?" not in chat.text("thanks")


# -- anonymous, then signed in; step-up before money moves ------------------------------------


def customs(messages: list[dict[str, Any]]) -> list[Any]:
    return [m["custom"] for m in messages if m.get("custom")]


def text_of(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def test_anonymous_general_questions_are_answered(rasa_url: str) -> None:
    chat = Chat(rasa_url, customer=None)
    assert "Hello" in chat.text("hi")
    reply = chat.say("what are your fees?")
    assert designed_answer("ask_fees") in text_of(reply) and customs(reply) == []


def test_anonymous_balance_asks_to_sign_in_then_answers(rasa_url: str, store: ProfileStore) -> None:
    chat = Chat(rasa_url, customer=None)
    reply = chat.say("what's my balance?")
    assert customs(reply) == [{"type": "sign_in_required"}]
    assert all(name not in text_of(reply) for name in balances(store)) and "£" not in text_of(reply)
    chat.sign_in(CUSTOMER)
    answer = chat.text("/signed_in")
    assert all(name in answer for name in balances(store))


def test_anonymous_transfer_keeps_the_answers_through_the_sign_in(rasa_url: str, store: ProfileStore) -> None:
    before = balances(store)
    chat = Chat(rasa_url, customer=None)
    reply = chat.say("move £40 from savings to current")
    assert customs(reply) == [{"type": "sign_in_required"}]
    chat.sign_in(CUSTOMER)
    assert "Just to confirm: move £40.00 from Rainy Day Saver" in chat.text("/signed_in")
    assert balances(store) == before
    assert "Done: I've moved £40.00" in chat.text("yes")
    assert balances(store)["Rainy Day Saver"] == before["Rainy Day Saver"] - 40


def test_transfer_with_an_old_login_steps_up_then_resumes(rasa_url: str, store: ProfileStore) -> None:
    before = balances(store)
    chat = Chat(rasa_url, login_age_s=3600)
    assert "Just to confirm: move £25.00" in chat.text("move £25 from savings to current")
    reply = chat.say("yes")
    assert customs(reply) == [{"type": "step_up_required", "max_age": 300, "acr_values": "urn:bank:loa:2"}]
    assert balances(store) == before  # no money moved
    chat.sign_in(CUSTOMER, login_age_s=0)  # the page re-authenticated with max_age
    assert "Just to confirm: move £25.00 from Rainy Day Saver" in chat.text("/signed_in")
    assert "Done: I've moved £25.00" in chat.text("yes")
    assert balances(store)["Rainy Day Saver"] == before["Rainy Day Saver"] - 25


def test_signed_in_with_nothing_waiting(rasa_url: str) -> None:
    assert Chat(rasa_url).text("/signed_in") == "You're signed in."
