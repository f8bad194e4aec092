"""The training data itself: enough intents and examples, names that agree, clean holdout."""

from __future__ import annotations

import re
from collections import Counter

import yaml

from assistant import names
from assistant.components.sentiment_data import load_sentiment_examples
from assistant.nlu_files import examples
from privacy.entities import Entity
from stack.processes import ROOT

NLU_DIR = ROOT / "nlu_data"
DOMAIN = ROOT / "assistant" / "domain.yml"
HOLDOUT = ROOT / "assistant" / "tests" / "nlu_holdout.yml"
EVERYDAY_HOLDOUT = ROOT / "assistant" / "tests" / "nlu_holdout_everyday.yml"
TEST_STORIES = ROOT / "assistant" / "tests" / "test_stories.yml"
PLACEHOLDER = re.compile(r"<[A-Z_]+_\d+>")


def training_examples() -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for path in sorted(NLU_DIR.glob("*.yml")):
        for intent, texts in examples(path).items():
            merged.setdefault(intent, []).extend(texts)
    return merged


def test_at_least_40_intents_with_15_examples_each() -> None:
    counts = {intent: len(texts) for intent, texts in training_examples().items()}
    top_level = {intent.split("/")[0] for intent in counts}
    assert len(top_level - {"faq"}) >= 40, sorted(top_level)
    too_few = {intent: n for intent, n in counts.items() if n < 15}
    assert not too_few


def test_no_example_is_duplicated() -> None:
    texts = Counter(t.lower() for ts in training_examples().values() for t in ts)
    assert [t for t, n in texts.items() if n > 1] == []


def test_every_domain_intent_has_examples_and_vice_versa() -> None:
    """Except the service's own ``signed_in``, which no typed text may ever be classified as."""
    domain_intents = set(yaml.safe_load(DOMAIN.read_text())["intents"])
    data_intents = {intent.split("/")[0] for intent in training_examples()}
    assert names.INTENT_SIGNED_IN in domain_intents
    assert names.INTENT_SIGNED_IN not in data_intents
    assert domain_intents - {names.INTENT_SIGNED_IN} == data_intents


def placeholder_kinds(texts: list[str]) -> set[str]:
    """The stems of the `<KIND_n>` placeholders in some texts (`<EMAIL_1>` -> `EMAIL`)."""
    return {m.group(0)[1:].rsplit("_", 1)[0] for t in texts for m in PLACEHOLDER.finditer(t)}


def test_some_examples_carry_privacy_placeholders() -> None:
    with_placeholders = [t for ts in training_examples().values() for t in ts if PLACEHOLDER.search(t)]
    assert len(with_placeholders) >= 10
    assert {"CARD", "PERSON", "EMAIL", "PHONE"} <= placeholder_kinds(with_placeholders)


def test_placeholders_are_the_ones_the_redactor_writes() -> None:
    """The bot only ever sees the redactor's placeholders: training on others teaches nothing."""
    nlu_texts = [t for ts in training_examples().values() for t in ts]
    sentiment_texts = [example.text for example in load_sentiment_examples(NLU_DIR / "sentiment")]
    used = placeholder_kinds(nlu_texts + sentiment_texts)
    assert used, "no placeholders found"
    assert used <= {entity.value for entity in Entity}, used - {entity.value for entity in Entity}


def test_entities_we_rely_on_are_annotated() -> None:
    text = "\n".join(p.read_text() for p in NLU_DIR.glob("*.yml"))
    for entity in (
        names.ENTITY_AMOUNT,
        names.ENTITY_ACCOUNT_TYPE,
        names.ENTITY_DURATION,
        names.ENTITY_DATE,
        names.ENTITY_GOAL_TYPE,
        names.ENTITY_RISK_LEVEL,
    ):
        assert f"]({entity})" in text or f'"entity": "{entity}"' in text, entity
    assert '"role": "source"' in text and '"role": "destination"' in text


def test_holdout_is_held_out() -> None:
    seen = {t.lower() for ts in training_examples().values() for t in ts}
    holdout = {**examples(HOLDOUT), **examples(EVERYDAY_HOLDOUT)}
    assert [t for ts in holdout.values() for t in ts if t.lower() in seen] == []
    assert {i.split("/")[0] for i in holdout} == {i.split("/")[0] for i in training_examples()}
    assert all(len(ts) >= 2 for ts in holdout.values())


def test_at_least_30_test_stories() -> None:
    stories = yaml.safe_load(TEST_STORIES.read_text())["stories"]
    assert len(stories) >= 30


def test_names_module_matches_domain() -> None:
    domain = yaml.safe_load(DOMAIN.read_text())
    slots = set(domain["slots"])
    for slot in (
        *names.TRANSFER_SLOTS,
        *names.GOAL_SLOTS,
        names.SLOT_CUSTOMER_ID,
        names.SLOT_PENDING_ACTION,
        names.SLOT_HANDOFF_REQUESTED,
        names.SLOT_CHANNEL,
    ):
        assert slot in slots, slot
    forms = domain["forms"]
    assert forms[names.FORM_TRANSFER]["required_slots"] == list(names.TRANSFER_SLOTS)
    assert forms[names.FORM_GOAL]["required_slots"] == list(names.GOAL_SLOTS)
    action_names = {v for k, v in vars(names).items() if k.startswith("ACTION_")}
    assert action_names - {names.ACTION_LISTEN} <= set(domain["actions"])
