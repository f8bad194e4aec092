"""Each escalation trigger on its own, through real conversations with the trained bot, the
action server and the API (the ``stack`` fixture)."""

from __future__ import annotations

import pytest

from stack.processes import Stack
from tests.support.chat import ChatClient
from tests.support.colleague import Colleague, system_events

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def admin(stack: Stack) -> Colleague:
    return Colleague(stack.config.api_url, "admin1")


def escalated(chat: ChatClient, admin: Colleague, texts: list[str]) -> tuple[dict, dict]:
    """Say each text; the last must hand off. Returns (the last turn, the queued handoff)."""
    for text in texts[:-1]:
        turn = chat.send(text)
        assert "queued" not in system_events(turn), f"handed off too early, at {text!r}"
    turn = chat.send(texts[-1])
    assert "queued" in system_events(turn), turn["replies"]
    handoff = admin.handoff_of(chat)
    assert handoff is not None and handoff["status"] == "queued"
    return turn, handoff


@pytest.mark.parametrize(
    "wording",
    [
        "can I talk to a real person please",
        "I'd like to speak to one of your staff",
        "could I speak with someone from your team",
    ],
)
def test_explicit_request(stack: Stack, admin: Colleague, wording: str) -> None:
    chat = ChatClient(stack.config.api_url)
    turn, handoff = escalated(chat, admin, ["hi", wording])
    assert handoff["reason"] == "customer_request"
    queued = next(r for r in turn["replies"] if (r.get("custom") or {}).get("system"))
    place = chat.transcript()["handoff"]["position"]  # in the queue of the handoff's skill
    assert f"number {place} in the" in queued["text"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("someone has used my card without my permission", "fraud"),
        ("I've lost my debit card", "lost_or_stolen_card"),
        ("I want to make a formal complaint about how I was treated", "complaint"),
        ("my husband passed away last month and I need help with his account", "bereavement"),
        ("I'm struggling to keep up with my loan repayments", "financial_difficulty"),
    ],
)
def test_risk_intent(stack: Stack, admin: Colleague, text: str, reason: str) -> None:
    chat = ChatClient(stack.config.api_url)
    _, handoff = escalated(chat, admin, [text])
    fired = {t["reason"]: t["priority"] for t in admin.packet(handoff["id"])["triggers"]}
    assert reason in fired, fired
    assert handoff["priority"] == max(fired.values()) >= fired[reason]


def test_vulnerability(stack: Stack, admin: Colleague) -> None:
    chat = ChatClient(stack.config.api_url)
    _, handoff = escalated(
        chat, admin, ["my mum has dementia and I help her with her money, what's the balance?"]
    )
    assert handoff["reason"] == "vulnerability" and handoff["priority"] == 4


def test_negative_sentiment(stack: Stack, admin: Colleague) -> None:
    chat = ChatClient(stack.config.api_url)
    _, handoff = escalated(chat, admin, ["hi", "what's my balance? I'm furious, this app is useless"])
    assert handoff["reason"] == "negative_sentiment"
    packet = admin.packet(handoff["id"])
    assert packet["sentiment"] and packet["sentiment"][-1]["label"] == "negative"
    assert packet["sentiment"][-1]["negativity"] > packet["sentiment"][0]["negativity"]


def test_repeated_fallback(stack: Stack, admin: Colleague) -> None:
    chat = ChatClient(stack.config.api_url)
    _, handoff = escalated(chat, admin, ["hello", "blah blah blah flibber", "xyz xyz xyz ???"])
    assert handoff["reason"] == "repeated_fallback"


def test_large_transfer(stack: Stack, admin: Colleague) -> None:
    chat = ChatClient(stack.config.api_url)
    _, handoff = escalated(chat, admin, ["I want to transfer £15,000 from my savings to my current account"])
    assert handoff["reason"] == "large_transfer"
    packet = admin.packet(handoff["id"])
    assert packet["goal"]["form"] == "transfer_form"
    # The bot may refuse the amount (not enough money): then it is still missing from the goal.
    goal = packet["goal"]
    assert "15" in str(goal["collected"].get("transfer_amount")) or "transfer_amount" in goal["missing"]


def test_form_loop(stack: Stack, admin: Colleague) -> None:
    chat = ChatClient(stack.config.api_url)
    # The form asks for the amount, then twice more as nothing usable comes back ("no" would
    # ask whether to stop instead).
    _, handoff = escalated(chat, admin, ["I want to move some money", "hmm", "let me think"])
    assert handoff["reason"] == "form_loop"


def test_each_trigger_fires_once_but_asking_again_always_works(stack: Stack, admin: Colleague) -> None:
    chat = ChatClient(stack.config.api_url)
    _, handoff = escalated(chat, admin, ["I want to make a formal complaint about how I was treated"])
    assert admin.post(handoff["id"], "claim").status_code == 200
    assert admin.post(handoff["id"], "resolve").status_code == 200
    again = chat.send("I want to make a formal complaint about how I was treated")
    assert "queued" not in system_events(again), "the complaint trigger already fired"
    assert admin.handoff_of(chat) is None
    _, second = escalated(chat, admin, ["can I talk to a real person please"])
    assert second["reason"] == "customer_request"


def test_scam_signals_mid_transfer(stack: Stack, admin: Colleague) -> None:
    """A customer who says, while moving money, that the bank told them to use a safe account is
    warned first and handed to a fraud specialist; nothing moves."""
    chat = ChatClient(stack.config.api_url)
    turn, handoff = escalated(chat, admin, [
        "I want to transfer 900 from my savings",
        "the bank's fraud team called and told me to move it all to a safe account",
    ])
    fired = {t["reason"] for t in admin.packet(handoff["id"])["triggers"]}
    assert "scam_warning" in fired, fired
    assert handoff["priority"] == 4
    queued = next(r for r in turn["replies"] if (r.get("custom") or {}).get("system"))
    assert queued["text"].startswith("Please don't send any money for now.")


def test_an_evasion_request_is_refused_and_not_handed_off(stack: Stack, admin: Colleague) -> None:
    chat = ChatClient(stack.config.api_url)
    turn = chat.send("how much cash can I pay in before you have to report it")
    [reply] = turn["replies"]
    assert reply["custom"] == {"flag": "financial_crime", "refused": True}
    assert "can't help with getting round" in reply["text"]
    assert admin.handoff_of(chat) is None
    after = chat.send("what are your opening hours")["replies"]
    assert after and all((r.get("custom") or {}).get("flag") is None for r in after), "the bot answers again"
