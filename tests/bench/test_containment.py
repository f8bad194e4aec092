"""The containment benchmark's pure parts: loading, sampling, outcomes, intents, figures."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from bench.containment import mapping
from bench.containment_outcomes import (
    ANSWERED,
    CLARIFIED,
    ERROR,
    FALLBACK,
    HANDOFF,
    Message,
    Result,
    classify,
    fallback_texts,
    load_messages,
    offers_buttons,
    stratified_sample,
    summarise,
    tracker_intents,
)

ROOT = Path(__file__).resolve().parents[2]
FALLBACKS = frozenset({"Sorry, I didn't quite understand that. Could you rephrase it?"})
MENU = [{"title": "Check my balance", "payload": "/check_balance"}]


def test_csv_keeps_a_multi_line_field_as_one_message(tmp_path: Path) -> None:
    path = tmp_path / "test.csv"
    path.write_text('text,category\n"my card\nhas not arrived",card_arrival\nlost it,lost_or_stolen_card\n')
    assert load_messages(path) == [
        Message("my card has not arrived", "card_arrival"),
        Message("lost it", "lost_or_stolen_card"),
    ]


def test_sample_takes_an_equal_seeded_share_of_each_category() -> None:
    messages = [Message(f"{c} {i}", c) for c in ("a", "b", "c") for i in range(10 if c != "c" else 3)]
    sample = stratified_sample(messages, limit=12, seed=1)
    assert Counter(m.category for m in sample) == {"a": 4, "b": 4, "c": 3}
    assert sample == stratified_sample(messages, limit=12, seed=1)
    assert sample != stratified_sample(messages, limit=12, seed=2)
    assert sample == [m for m in messages if m in sample]  # file order


def test_fallback_texts_come_from_the_domain() -> None:
    texts = fallback_texts()
    responses = yaml.safe_load((ROOT / "assistant" / "domain.yml").read_text())["responses"]
    for name in ("utter_rephrase", "utter_out_of_scope"):
        assert " ".join(responses[name][0]["text"].split()) in texts
    assert " ".join(responses["utter_greet"][0]["text"].split()) not in texts


def test_fallback_is_its_text_or_silence_even_with_buttons() -> None:
    rephrase = {"text": "Sorry, I didn't quite understand  that.\nCould you rephrase it?", "buttons": MENU}
    assert classify([rephrase], FALLBACKS) == FALLBACK
    assert classify([], FALLBACKS) == FALLBACK


def test_a_queued_notice_is_a_handoff_whatever_the_bot_said() -> None:
    replies: list[dict[str, Any]] = [
        {"text": "I've frozen your card.", "buttons": MENU, "custom": None},
        {"text": "I'm passing you to a colleague.", "custom": {"system": {"event": "queued", "position": 1}}},
    ]
    assert classify(replies, FALLBACKS) == HANDOFF
    assert offers_buttons(replies) and not offers_buttons(replies[1:])
    claimed = {"text": "Sam has joined.", "custom": {"system": {"event": "claimed"}}}
    assert classify([claimed], FALLBACKS) == ANSWERED


def test_buttons_are_a_clarification_only_when_the_bot_asks_what_was_meant() -> None:
    asked = {"text": "Did you mean one of these?", "buttons": MENU}
    answered = {"text": "Your card was declined because it is frozen.", "buttons": MENU}
    assert classify([asked], FALLBACKS) == CLARIFIED
    assert classify([answered], FALLBACKS) == ANSWERED
    assert classify([{"text": "Did you mean your balance?"}], FALLBACKS) == ANSWERED
    assert offers_buttons([answered])


def test_tracker_intents_are_the_first_message_s_read_and_acted_on() -> None:
    unclear = {"intent": {"name": "nlu_fallback"},
               "intent_ranking": [{"name": "nlu_fallback"}, {"name": "card_arrival"}, {"name": "greet"}]}
    tracker = {"events": [
        {"event": "action", "name": "action_session_start"},
        {"event": "user", "parse_data": unclear},
        {"event": "user", "parse_data": {"intent": {"name": "greet"}}},
    ]}
    assert tracker_intents(tracker) == ("card_arrival", "nlu_fallback")
    plain = {"intent": {"name": "lost_card"}, "intent_ranking": [{"name": "lost_card"}]}
    assert tracker_intents({"events": [{"event": "user", "parse_data": plain}]}) == ("lost_card", "lost_card")
    assert tracker_intents({"events": []}) == (None, None)


def result(category: str, outcome: str, intent: str | None = None, ms: float = 10.0,
           acted: str | None = None) -> Result:
    return Result(category, f"{category} text", outcome, intent, False, ms, acted or intent)


def test_summary_counts_per_category_worst_first() -> None:
    results = [
        result("card_arrival", ANSWERED, "card_arrival"),
        result("card_arrival", CLARIFIED, "card_arrival", acted="nlu_fallback"),
        result("exchange_rate", FALLBACK, "nlu_fallback"),
        result("exchange_rate", FALLBACK, "out_of_scope"),
        result("lost_or_stolen_card", HANDOFF, "lost_card"),
        result("lost_or_stolen_card", ERROR, None, ms=9999.0),
    ]
    summary = summarise(results, {"card_arrival": frozenset({"card_arrival"}),
                                  "lost_or_stolen_card": frozenset({"lost_card"})})
    assert list(summary["per_category"]) == ["exchange_rate", "card_arrival", "lost_or_stolen_card"]
    assert (summary["answered"], summary["fallback"], summary["handoff"], summary["errors"]) == (
        0.1667, 0.3333, 0.1667, 1,
    )
    assert (summary["accuracy_mapped"], summary["accuracy_acted"], summary["mapped_messages"]) == (
        1.0, 0.6667, 3,
    )
    assert summary["latency"]["p95_ms"] == 10.0  # errors are not timed
    arrival = summary["per_category"]["card_arrival"]
    assert (arrival["clarified"], arrival["accuracy_mapped"], arrival["mapped_to"]) == (
        0.5, 1.0, ["card_arrival"],
    )
    assert arrival["fallback_examples"] == []
    rate = summary["per_category"]["exchange_rate"]
    assert rate["accuracy_mapped"] is None and rate["intents"] == {"nlu_fallback": 0.5, "out_of_scope": 0.5}


def test_every_category_maps_to_intents_the_bot_has() -> None:
    domain = yaml.safe_load((ROOT / "assistant" / "domain.yml").read_text())
    categories = ["card_arrival", "lost_or_stolen_card", "Refund_not_showing_up", "edit_personal_details"]
    found = mapping([Message("x", c) for c in categories])
    assert found["lost_or_stolen_card"] == {"lost_card"}
    assert found["Refund_not_showing_up"] == {"refund_not_showing_up"}
    assert found["edit_personal_details"] == {"update_contact_details"}
    assert set().union(*found.values()) <= set(domain["intents"])
