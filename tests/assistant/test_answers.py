"""The table of designed replies (assistant/answers.yml), the facts it quotes, its rules, and
the answer and clarification actions on the real action server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant import names
from assistant.actions import replies
from assistant.actions.language import looks_english
from assistant.answer_table import RULES_PATH, load_table, rules_yaml
from assistant.facts import placeholders, render, resolve
from bank.policy import UnknownFact
from stack.processes import ROOT
from tests.assistant.action_client import Turn, domain, run_action

HANDOFF_POLICY = ROOT / "service" / "handoff" / "policy.yml"
TABLE = load_table()


def unconditional_rules() -> list[list[dict[str, Any]]]:
    """The steps of every rule that holds whatever came before it."""
    steps = []
    for path in sorted((ROOT / "assistant" / "data").glob("*.yml")):
        for rule in (yaml.safe_load(path.read_text()) or {}).get("rules") or []:
            if not rule.get("condition"):
                steps.append(rule["steps"])
    return steps


def test_every_intent_has_exactly_one_row_and_every_row_an_intent() -> None:
    assert set(TABLE) == set(domain()["intents"])


def test_labels_are_unique_so_a_button_names_one_meaning() -> None:
    labels = [row.label.lower() for row in TABLE.values()]
    assert len(labels) == len(set(labels))


def test_responses_and_actions_of_the_table_exist_in_the_domain() -> None:
    d = domain()
    for intent, row in TABLE.items():
        if row.response:
            assert row.response in d["responses"], intent
        if row.action:
            assert row.action in d["actions"] or row.action in d.get("forms", {}), intent


def test_every_placeholder_names_one_fact() -> None:
    for intent, row in TABLE.items():
        for name in placeholders(row.text or ""):
            assert resolve(name), (intent, name)


def test_answers_type_no_number_of_their_own() -> None:
    """Figures come from the bank's policy or the catalogue, so no two answers can disagree."""
    for intent, row in TABLE.items():
        bare = re.sub(r"\{[^}]*\}", "", row.text or "")
        assert not re.search(r"\d", bare), (intent, bare)


def test_a_rate_is_quoted_from_the_catalogue() -> None:
    rates = render(TABLE["ask_interest_rates"].text or "")
    assert "Rainy Day" not in rates
    assert re.search(r"\d(\.\d+)?% AER", rates)


def test_an_unknown_fact_is_refused() -> None:
    for bad in ("policy.nope.nothing", "products.no_such_product.rate_pct", "products.sav_easy_access",
                "elsewhere.x"):
        with pytest.raises(UnknownFact):
            resolve(bad)


def test_generated_rules_are_up_to_date() -> None:
    assert RULES_PATH.read_text() == rules_yaml(TABLE), "run `python -m assistant.answer_table`"


def test_every_intent_is_ruled_to_its_designed_action() -> None:
    first_action = {steps[0]["intent"]: steps[1]["action"] for steps in unconditional_rules()
                    if len(steps) > 1 and "intent" in steps[0] and "action" in steps[1]}
    for intent, row in TABLE.items():
        if row.do == "form" or intent == names.INTENT_INFORM:  # inform answers a form's question
            continue
        assert first_action.get(intent) == row.bot_action, intent


def test_handoff_rows_hand_off_for_their_reason() -> None:
    risk = yaml.safe_load(HANDOFF_POLICY.read_text())["risk_intents"]["intents"]
    handoffs = {intent: row for intent, row in TABLE.items() if row.do == "handoff"}
    assert set(handoffs) == set(risk), "a risk intent of the handoff policy is a handoff row"
    for intent, row in handoffs.items():
        assert risk[intent]["reason"] == row.reason, intent


def test_a_risk_intent_inside_any_form_ends_the_form_before_the_bot_speaks() -> None:
    """No form question comes between what to do now and the colleague taking over."""
    forms = set(domain()["forms"])
    ended: dict[str, set[str]] = {}
    for path in sorted((ROOT / "assistant" / "data").glob("*.yml")):
        for rule in (yaml.safe_load(path.read_text()) or {}).get("rules") or []:
            loops = [c["active_loop"] for c in rule.get("condition") or [] if "active_loop" in c]
            steps = rule["steps"]
            if loops and steps[1:4] == [{"action": "action_deactivate_loop"}, {"active_loop": None},
                                        {"action": names.ACTION_CANCEL_FORM}]:
                ended.setdefault(steps[0]["intent"], set()).add(loops[0])
                assert "active_loop" not in str(steps[4:]), rule["rule"]
    for intent, row in TABLE.items():
        if row.do == "handoff":
            assert ended.get(intent) == forms, intent
            back = [r for r in yaml.safe_load(RULES_PATH.read_text())["rules"]
                    if r["steps"][0].get("intent") == intent and r.get("condition")
                    and {"action": names.ACTION_ANSWER} in r["steps"] and "then back" in r["rule"]]
            assert back == [], intent


def test_looks_english() -> None:
    for text in ("my card hasnt arrived yet", "pls hlp my crd", "Where is my new card?", "hi", "ok"):
        assert looks_english(text), text
    for text in ("mi tarjeta no funciona", "Ich habe meine Karte verloren", "我的卡丢了",
                 "je voudrais annuler un virement"):
        assert not looks_english(text), text


# -- on the action server ----------------------------------------------------------------


def test_clarify_says_it_answers_only_for_accounts_with_us(action_server: str) -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "check_balance", "confidence": 0.3}]
    result = run_action(action_server, names.ACTION_CLARIFY,
                        Turn(text="whats the sort code for hsbc", intent="nlu_fallback", ranking=ranking))
    assert result.text == replies.OTHER_BANK.format(bank="HSBC")


def test_answer_says_the_designed_text_with_its_facts(action_server: str) -> None:
    result = run_action(action_server, names.ACTION_ANSWER,
                        Turn(text="how long does a new card take", intent="card_delivery_estimate"))
    assert result.text == render(TABLE["card_delivery_estimate"].text or "")
    assert "{" not in result.text


def test_answer_to_an_intent_without_a_text_asks_to_rephrase(action_server: str) -> None:
    result = run_action(action_server, names.ACTION_ANSWER, Turn(text="hello", intent="greet"))
    assert result.responses[0].get("response") == names.UTTER_REPHRASE


def test_a_question_in_two_parts_gets_the_answer_and_the_other_part_offered(action_server: str) -> None:
    ranking = [{"name": "age_limit", "confidence": 0.55}, {"name": "visa_or_mastercard", "confidence": 0.35}]
    text = "how old do I need to be and is the card visa or mastercard"
    result = run_action(action_server, names.ACTION_ANSWER,
                        Turn(text=text, intent="age_limit", ranking=ranking))
    first, second = result.responses
    assert first["text"] == render(TABLE["age_limit"].text or "")
    assert second["buttons"] == [{"title": TABLE["visa_or_mastercard"].label,
                                  "payload": "/visa_or_mastercard"}]
    alone = run_action(action_server, names.ACTION_ANSWER,
                       Turn(text="how old do I need to be", intent="age_limit", ranking=ranking))
    assert len(alone.responses) == 1  # one question: the runner-up is not a second part


def test_clarify_offers_the_close_meanings_as_buttons(action_server: str) -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "card_arrival", "confidence": 0.38},
               {"name": "card_delivery_estimate", "confidence": 0.35},
               {"name": "signed_in", "confidence": 0.2}, {"name": "exchange_rate", "confidence": 0.01}]
    result = run_action(action_server, names.ACTION_CLARIFY,
                        Turn(text="card when", intent="nlu_fallback", ranking=ranking))
    [reply] = result.responses
    assert reply["text"] == replies.DID_YOU_MEAN
    assert [b["payload"] for b in reply["buttons"]] == ["/card_arrival", "/card_delivery_estimate"]
    assert [b["title"] for b in reply["buttons"]] == [TABLE["card_arrival"].label,
                                                      TABLE["card_delivery_estimate"].label]


def test_clarify_asks_to_rephrase_when_nothing_is_close(action_server: str) -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "card_arrival", "confidence": 0.05}]
    result = run_action(action_server, names.ACTION_CLARIFY,
                        Turn(text="purple elephant", intent="nlu_fallback", ranking=ranking))
    assert result.responses[0].get("response") == names.UTTER_REPHRASE


def test_clarify_says_in_english_what_it_understands(action_server: str) -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "lost_card", "confidence": 0.3}]
    result = run_action(action_server, names.ACTION_CLARIFY,
                        Turn(text="he perdido mi tarjeta de crédito", intent="nlu_fallback", ranking=ranking))
    assert result.text == replies.ENGLISH_ONLY


def test_a_row_without_what_it_needs_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "answers.yml"
    bad.write_text("answers:\n  greet: {label: Hello, do: answer}\n")
    with pytest.raises(ValueError, match="greet"):
        load_table(bad)
