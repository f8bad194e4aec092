"""The slots the bot fills from amounts, time frames, account words and merchants keep working
through the whole stack, redaction included: each answer is stored as typed, and the bot reads
the value from it."""

from __future__ import annotations

import pytest

from stack.processes import Stack
from tests.support.chat import ChatClient

pytestmark = pytest.mark.stack


def _stored_as_typed(chat: ChatClient, texts: list[str]) -> None:
    stored = [m["text"] for m in chat.transcript()["messages"] if m["sender"] == "user"]
    assert [t for t in texts if t not in stored] == [], stored


def test_goal_amount_time_frame_risk_and_budget(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url)
    said = ["I want to set a financial goal", "save", "about 20000", "in 3 years", "medium",
            "around £400 a month"]
    assert "what kind of goal" in chat.say(said[0])
    assert "how much would you like to save?" in chat.say(said[1])
    assert "time frame" in chat.say(said[2])
    assert "how much risk" in chat.say(said[3])
    assert "each month" in chat.say(said[4])
    assert "save £20,000.00 over 3 years" in chat.say(said[5])
    _stored_as_typed(chat, said)


def test_transfer_amount_and_accounts(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url)
    said = "I'd like to move £250 from my current account to my savings"
    summary = chat.say(said)
    # cus_001's seeded accounts: "Everyday Current" and "Rainy Day Saver".
    assert "move £250.00 from everyday current" in summary and "to rainy day saver" in summary, summary
    _stored_as_typed(chat, [said])


def test_a_merchant_and_an_amount_in_a_dispute_are_kept(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url)
    said = "there is a payment to AMZN MKTP for £42.99 I don't recognise"
    chat.say(said)
    _stored_as_typed(chat, [said])
