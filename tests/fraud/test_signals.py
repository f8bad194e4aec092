"""Scam signals and evasion requests read from customers' words, on the written sets."""

from __future__ import annotations

import pytest

from fraud import EVASION, ScamSignal, evasion_request, is_scam_warning, scam_signals
from fraud.signals import load_patterns
from tests.fraud.conftest import EVASION_REQUESTS, LEGITIMATE_REQUESTS, ORDINARY_MESSAGES, SCAM_STORIES


def test_the_red_team_set_has_at_least_100_requests() -> None:
    assert len(EVASION_REQUESTS) >= 100
    assert len(set(EVASION_REQUESTS)) == len(EVASION_REQUESTS)


def test_every_red_team_request_is_flagged() -> None:
    missed = [text for text in EVASION_REQUESTS if evasion_request(text) is None]
    assert missed == []


@pytest.mark.parametrize("text", LEGITIMATE_REQUESTS + ORDINARY_MESSAGES + SCAM_STORIES)
def test_an_ordinary_question_is_not_an_evasion_request(text: str) -> None:
    assert evasion_request(text) is None


@pytest.mark.parametrize("text", SCAM_STORIES)
def test_a_scam_story_calls_for_a_warning(text: str) -> None:
    assert is_scam_warning(scam_signals(text)), scam_signals(text)


@pytest.mark.parametrize("text", ORDINARY_MESSAGES + LEGITIMATE_REQUESTS)
def test_an_ordinary_message_calls_for_no_warning(text: str) -> None:
    assert not is_scam_warning(scam_signals(text)), scam_signals(text)


def test_a_flag_names_its_pattern_not_the_words() -> None:
    flag = evasion_request("how can I split 20000 into smaller payments so it doesn't get flagged")
    assert flag is not None and flag.kind == EVASION
    assert flag.pattern and "20000" not in flag.pattern
    kinds = {s.kind for s in scam_signals("the police rang and told me to move my savings to a safe account")}
    assert {ScamSignal.IMPERSONATION, ScamSignal.SAFE_ACCOUNT} <= kinds


def test_placeholders_and_odd_text_are_read_safely() -> None:
    assert evasion_request("") is None and scam_signals("") == []
    assert evasion_request("<PERSON_1> <CARD_1> 🙂" * 500) is None
    assert scam_signals("<PERSON_1> from the bank called and said move it to a safe account")
    full_width = "ＨＯＷ ＤＯ Ｉ ＡＶＯＩＤ ＴＨＥ ＲＥＰＯＲＴＩＮＧ ＴＨＲＥＳＨＯＬＤ"
    assert evasion_request(full_width) is not None
    assert evasion_request("how do I get round your AML checks\u2019") is not None


def test_urgency_alone_is_not_a_warning() -> None:
    signals = scam_signals("I need to pay my rent urgently")
    assert [s.kind for s in signals] == [ScamSignal.URGENCY]
    assert not is_scam_warning(signals)


def test_every_pattern_compiles_with_its_fragments() -> None:
    patterns = load_patterns()
    assert set(patterns.scam) == set(ScamSignal)
    assert len(patterns.evasion) >= 10
