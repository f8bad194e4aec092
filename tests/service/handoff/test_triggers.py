"""Each escalation trigger on its own, on tracker states written by hand (the live versions,
through the running bot, are in test_triggers_live.py)."""

from __future__ import annotations

from typing import Any

import pytest

from service.handoff.policy import EscalationPolicy, Priority
from service.handoff.sentiment import read_sentiment
from service.handoff.signals import signals_from_tracker
from service.handoff.triggers import evaluate, slot_number
from tests.service.handoff.trackers import NEUTRAL, action, bot, loop, negative, slot, tracker, user

POLICY = EscalationPolicy.load()


def reasons(state: dict[str, Any], fired: tuple[str, ...] = ()) -> list[str]:
    return [hit.reason for hit in evaluate(signals_from_tracker(state), POLICY, fired)]


QUIET = tracker(
    user("hi", "greet"),
    action("utter_greet"),
    user("what's my balance", "check_balance"),
    action("action_check_balance"),
)


def test_an_ordinary_conversation_fires_nothing() -> None:
    assert reasons(QUIET) == []


@pytest.mark.parametrize(
    "state",
    [
        tracker(user("can I talk to a real person", "request_human"), action("action_request_human")),
        tracker(
            user("get me someone", "greet", 0.6), bot(custom={"handoff": {"reason": "customer_request"}})
        ),
        tracker(user("yes please", "affirm"), slot("handoff_requested", True)),
    ],
    ids=["intent", "bot handoff payload", "slot"],
)
def test_explicit_request(state: dict[str, Any]) -> None:
    assert reasons(state) == ["customer_request"]


def test_explicit_request_fires_again_after_a_handback() -> None:
    state = tracker(user("human please", "request_human"))
    assert reasons(state, fired=("customer_request",)) == ["customer_request"]


@pytest.mark.parametrize(
    ("intent", "reason", "priority"),
    [
        ("report_fraud", "fraud", Priority.URGENT),
        ("lost_card", "lost_or_stolen_card", Priority.HIGH),
        ("complaint", "complaint", Priority.NORMAL),
        ("bereavement", "bereavement", Priority.HIGH),
        ("financial_difficulty", "financial_difficulty", Priority.HIGH),
    ],
)
def test_risk_intents(intent: str, reason: str, priority: Priority) -> None:
    [hit] = evaluate(signals_from_tracker(tracker(user("...", intent, 0.9))), POLICY)
    assert (hit.reason, hit.priority) == (reason, priority)


def test_risk_intent_needs_confidence() -> None:
    assert reasons(tracker(user("hmm fraud?", "report_fraud", 0.45))) == []


def test_risk_intent_fires_once_per_conversation() -> None:
    assert reasons(tracker(user("...", "complaint")), fired=("complaint",)) == []


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("since my husband died I just can't cope with the bills", True),
        ("my mum has dementia and I help with her banking", True),
        ("I'm being pressured to send money to someone", True),
        ("I can cope with the new app fine", False),
        ("what is the mental arithmetic for interest", False),
    ],
)
def test_vulnerability_phrases(text: str, fires: bool) -> None:
    assert ("vulnerability" in reasons(tracker(user(text, "inform", 0.9)))) is fires


@pytest.mark.parametrize(
    ("readings", "fires"),
    [
        ([NEUTRAL, NEUTRAL, negative(0.95)], True),  # this message (no frustration signal)
        ([NEUTRAL, NEUTRAL, negative(0.95, anger=0.8)], True),  # negative and frustrated
        ([NEUTRAL, NEUTRAL, negative(0.95, anger=0.3)], False),  # sad, not frustrated
        ([NEUTRAL, NEUTRAL, negative(0.5, anger=0.9)], True),  # very frustrated
        ([negative(0.75), negative(0.75), negative(0.75)], True),  # trend
        ([NEUTRAL, negative(0.8), negative(0.8)], False),  # trend not there yet
        ([negative(0.75), negative(0.75)], False),  # too few messages
        ([negative(0.97, anger=0.95)], False),  # a first message is answered by the bot first
        ([NEUTRAL, negative(0.97, anger=0.95)], True),
        ([NEUTRAL, NEUTRAL, NEUTRAL], False),
        ([None, None, None], False),  # no sentiment component
    ],
)
def test_negative_sentiment(readings: list[dict[str, Any] | None], fires: bool) -> None:
    events = [user(f"message {n}", "inform", 0.9, sentiment=r) for n, r in enumerate(readings)]
    assert ("negative_sentiment" in reasons(tracker(*events))) is fires


def test_sentiment_shapes() -> None:
    labelled = read_sentiment({"sentiment": {"label": "negative", "score": 0.9}})
    assert labelled is not None and labelled.negativity == 0.9
    probabilities = {"label": "neutral", "scores": {"negative": 0.3, "neutral": 0.6, "positive": 0.1}}
    spread = read_sentiment({"sentiment": probabilities})
    assert spread is not None and spread.negativity == 0.3
    angry = read_sentiment({"sentiment": {"label": "negative", "score": 0.6, "emotions": {"anger": 0.8}}})
    assert angry is not None and angry.anger == 0.8
    assert read_sentiment({"intent": {}}) is None


@pytest.mark.parametrize(
    ("events", "fires"),
    [
        (
            [
                user("blorp", "nlu_fallback", 0.2),
                action("action_default_fallback"),
                user("zxqv", "nlu_fallback", 0.1),
                action("action_default_fallback"),
            ],
            True,
        ),
        ([user("blorp", "check_balance", 0.1), user("zxqv", "greet", 0.2)], True),  # low confidence
        ([user("blorp", "nlu_fallback", 0.2), user("hi", "greet"), user("zxqv", "nlu_fallback", 0.1)], False),
        ([user("blorp", "nlu_fallback", 0.2)], False),
    ],
)
def test_repeated_fallback(events: list[dict[str, Any]], fires: bool) -> None:
    assert ("repeated_fallback" in reasons(tracker(*events))) is fires


def _form(*answers: list[dict[str, Any]], active: bool = True) -> dict[str, Any]:
    events: list[dict[str, Any]] = [
        user("transfer money", "transfer_money"),
        loop("transfer_form"),
        slot("requested_slot", "transfer_amount"),
    ]
    for answer in answers:
        events += answer
    return tracker(*events, active_loop="transfer_form" if active else None)


def test_form_loop_same_slot_three_times() -> None:
    stuck = [
        user("dunno", "inform", 0.8),
        slot("transfer_amount", None),
        slot("requested_slot", "transfer_amount"),
    ]
    assert reasons(_form(stuck)) == []
    assert reasons(_form(stuck, stuck)) == ["form_loop"]


def test_a_stuck_form_is_the_reason_when_its_answers_are_not_understood_either() -> None:
    not_understood = [
        user("hmm", "nlu_fallback", 0.2),
        action("action_default_fallback"),
        slot("requested_slot", "transfer_amount"),
    ]
    assert reasons(_form(not_understood, not_understood)) == ["form_loop", "repeated_fallback"]


def test_form_progress_is_not_a_loop() -> None:
    corrected = [
        user("£100", "inform"),
        slot("transfer_amount", 100),
        slot("requested_slot", "transfer_amount"),
    ]
    again = [user("£120", "inform"), slot("transfer_amount", 120), slot("requested_slot", "transfer_amount")]
    assert reasons(_form(corrected, again, corrected)) == []


def test_form_loop_only_while_the_form_is_active() -> None:
    stuck = [user("dunno", "inform"), slot("requested_slot", "transfer_amount")]
    assert reasons(_form(stuck, stuck, stuck, active=False)) == []


@pytest.mark.parametrize(
    ("amount", "fires"),
    [
        (25_000, True),
        ("£12,500.00", True),
        ({"value": 15000}, True),
        (10_000, False),
        ("£250", False),
        (None, False),
        (True, False),
    ],
)
def test_large_transfer_rule(amount: Any, fires: bool) -> None:
    state = tracker(user("move it", "transfer_money"), slots={"transfer_amount": amount})
    assert ("large_transfer" in reasons(state)) is fires


def test_slot_number_parses_what_slots_hold() -> None:
    assert slot_number("£1,200.50 please") == slot_number(1200.5)
    assert slot_number("no amount") is None


def test_most_urgent_first_and_each_once() -> None:
    state = tracker(
        user("hello", "greet", 0.9, sentiment=NEUTRAL),
        user("I want to complain, this is a disgrace", "complaint", 0.9, sentiment=negative(0.97)),
    )
    hits = evaluate(signals_from_tracker(state), POLICY)
    assert [h.reason for h in hits] == ["negative_sentiment", "complaint"]
    assert hits[0].priority >= hits[1].priority
    assert reasons(state, fired=("negative_sentiment", "complaint")) == []


def test_large_transfer_rejected_by_validation_still_counts() -> None:
    rejected = tracker(
        user("move £15,000 to savings", "transfer_money"),
        slot("transfer_amount", "£15,000"),
        slot("transfer_amount", None),
        active_loop="transfer_form",
    )
    assert "large_transfer" in reasons(rejected)


def test_large_amount_entity_counts_only_when_about_a_transfer() -> None:
    def said(intent: str, active_loop: str | None) -> dict[str, Any]:
        event = user("£20,000", intent)
        event["parse_data"]["entities"] = [{"entity": "amount", "value": "£20,000"}]
        return tracker(event, active_loop=active_loop)

    assert "large_transfer" in reasons(said("transfer_money", None))
    assert "large_transfer" in reasons(said("inform", "transfer_form"))
    assert "large_transfer" not in reasons(said("inform", "goal_form")), "a savings target is not a transfer"


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("the bank called and told me to move my savings to a safe account", True),
        ("they told me not to tell you what the payment is for", True),
        ("I let them have remote access to my laptop to fix my account", True),
        ("I want to move money to my savings account", False),
        ("I need to pay my rent urgently", False),  # urgency alone is not a scam sign
    ],
)
def test_scam_signals(text: str, fires: bool) -> None:
    assert ("scam_warning" in reasons(tracker(user(text, "transfer_money", 0.9)))) is fires


def test_a_scam_signal_routes_to_the_fraud_specialists_and_warns_first() -> None:
    assert POLICY.scam_signals.priority is Priority.URGENT
    assert POLICY.routing.skill_for("scam_warning") == "cards_and_fraud"
    warning = POLICY.messages.before_queued["scam_warning"]
    assert "safe account" in warning and "{" not in warning


def test_a_payment_stopped_by_a_scam_warning_hands_off() -> None:
    stopped = {"type": "payment_warning", "level": "stop", "reasons": ["safe_account"]}
    caution = {"type": "payment_warning", "level": "caution", "reasons": ["large_payment_to_new_payee"]}
    assert "scam_warning" in reasons(tracker(user("now", "inform", 0.9), bot("Please stop", stopped)))
    assert "scam_warning" not in reasons(tracker(user("now", "inform", 0.9), bot("Large payment", caution)))
