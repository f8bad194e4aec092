"""The escalation policy file: it loads, it names every reason, unknown keys are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from service.handoff.policy import DEFAULT_POLICY_PATH, EscalationPolicy, Priority


def test_default_policy_loads_with_every_trigger() -> None:
    policy = EscalationPolicy.load()
    assert policy.explicit_request.intents == ("request_human",)
    assert policy.risk_intents.intents["report_fraud"].priority is Priority.URGENT
    assert {
        "customer_request",
        "fraud",
        "lost_or_stolen_card",
        "complaint",
        "bereavement",
        "financial_difficulty",
        "vulnerability",
        "negative_sentiment",
        "repeated_fallback",
        "form_loop",
        "large_transfer",
    } <= set(policy.labels())
    assert "{position}" in policy.messages.queued


def test_unknown_keys_are_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    raw["form_loop"]["max_ask"] = 3  # a typo must not silently fall back to the default
    bad = tmp_path / "policy.yml"
    bad.write_text(yaml.safe_dump(raw))
    with pytest.raises(ValidationError):
        EscalationPolicy.load(bad)


def test_priority_by_name_or_number() -> None:
    raw = yaml.safe_load(DEFAULT_POLICY_PATH.read_text())
    raw["form_loop"]["priority"] = 3
    raw["repeated_fallback"]["priority"] = "urgent"
    policy = EscalationPolicy.model_validate(raw)
    assert policy.form_loop.priority is Priority.HIGH
    assert policy.repeated_fallback.priority is Priority.URGENT
