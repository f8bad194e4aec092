"""Who the customer is, as the actions see it: only a valid customer assertion in the latest
message's metadata counts; slots, other metadata fields and older messages never do."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from rasa_sdk import Tracker

from assistant import names
from assistant.actions.conversation import customer_assertion, customer_id
from assistant.actions.trust import AssertionChecker, get_checker
from identity.assertion import METADATA_KEY
from identity.settings import IdentitySettings
from tests.assistant.action_client import ASSERTION_KEY, CONVERSATION, signed_metadata

CUSTOMER = "cus_001"
OTHER_KEY = "another-key-that-nobody-gave-the-action-server"


@pytest.fixture(autouse=True)
def checker(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("IDENTITY_ASSERTION_KEY", ASSERTION_KEY)
    get_checker.cache_clear()
    yield
    get_checker.cache_clear()


def tracker(
    metadata: dict[str, Any] | None,
    slots: dict[str, Any] | None = None,
    earlier: list[dict[str, Any]] | None = None,
    sender: str = CONVERSATION,
) -> Tracker:
    latest = {"text": "balance", "intent": {"name": "check_balance"}, "entities": [],
              "metadata": metadata or {}}
    events = [*(earlier or []), {"event": "user", "text": "balance", "metadata": metadata or {}}]
    return Tracker(sender, slots or {}, latest, events, False, None, {}, "action_listen")


def refusals(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno == logging.WARNING and "refused" in r.getMessage()]


def test_a_valid_assertion_names_the_customer(caplog: pytest.LogCaptureFixture) -> None:
    found = customer_assertion(tracker(signed_metadata(CUSTOMER, acr="urn:bank:loa:2")))
    assert found is not None
    assert (found.customer_id, found.conversation_id, found.acr) == (CUSTOMER, CONVERSATION, "urn:bank:loa:2")
    assert refusals(caplog) == []


def test_no_assertion_is_anonymous_without_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    assert customer_id(tracker({"channel": "web"})) is None
    assert refusals(caplog) == []


@pytest.mark.parametrize(
    ("metadata", "reason"),
    [
        # Made when the test runs (an assertion made at collection may have expired by then).
        (lambda: signed_metadata(CUSTOMER, key=OTHER_KEY), "InvalidSignatureError"),
        (lambda: signed_metadata(CUSTOMER, now=time.time() - 600), "ExpiredSignatureError"),
        (lambda: signed_metadata(CUSTOMER, conversation="conv_someone_else"), "another conversation"),
        (lambda: {METADATA_KEY: "not.a.jwt"}, "DecodeError"),
        (lambda: {METADATA_KEY: {"sub": CUSTOMER}}, "no customer assertion"),
    ],
    ids=["other-key", "expired", "other-conversation", "garbage", "not-a-string"],
)
def test_a_refused_assertion_is_anonymous_and_logged_without_the_customer(
    metadata: Callable[[], dict[str, Any]], reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    assert customer_id(tracker(metadata()), "action_check_balance") is None
    [record] = refusals(caplog)
    message = record.getMessage()
    assert reason in message and "action_check_balance" in message
    assert CUSTOMER not in message and "balance" not in message.replace("action_check_balance", "")


def test_slots_and_plain_metadata_are_not_believed() -> None:
    claimed = tracker({"customer_id": CUSTOMER, "channel": "web"},
                      slots={names.SLOT_CUSTOMER_ID: CUSTOMER,
                             names.SLOT_SESSION_STARTED_METADATA: {"customer_id": CUSTOMER}})
    assert customer_id(claimed) is None


def test_only_the_latest_message_counts() -> None:
    earlier = [{"event": "user", "text": "hi", "metadata": signed_metadata(CUSTOMER)}]
    assert customer_id(tracker({"channel": "web"}, earlier=earlier)) is None


def test_an_assertion_is_bound_to_the_conversation_it_arrives_in() -> None:
    assert customer_id(tracker(signed_metadata(CUSTOMER), sender="conv_other")) is None


def test_a_tampered_customer_id_breaks_the_signature() -> None:
    header, payload, signature = signed_metadata(CUSTOMER)[METADATA_KEY].split(".")
    other = signed_metadata("cus_002")[METADATA_KEY].split(".")[1]
    assert customer_id(tracker({METADATA_KEY: f"{header}.{other}.{signature}"})) is None
    assert customer_id(tracker({METADATA_KEY: f"{header}.{payload}.{signature}"})) == CUSTOMER


@pytest.mark.parametrize("key", [None, "short"], ids=["unset", "too-short"])
def test_without_a_usable_key_every_assertion_is_refused(
    key: str | None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    if key is None:
        monkeypatch.delenv("IDENTITY_ASSERTION_KEY")
    else:
        monkeypatch.setenv("IDENTITY_ASSERTION_KEY", key)
    monkeypatch.chdir("/")  # no .env file either
    get_checker.cache_clear()
    caplog.set_level(logging.WARNING)
    assert customer_id(tracker(signed_metadata(CUSTOMER))) is None
    messages = [r.getMessage() for r in caplog.records]
    assert any("IDENTITY_ASSERTION_KEY" in m and "anonymous" in m for m in messages)
    assert any("no assertion key configured" in m for m in messages)


@pytest.mark.parametrize(
    ("login_age_s", "acr", "recent"),
    [(10, "urn:bank:loa:1", True), (299, None, True), (301, "urn:bank:loa:1", False),
     (3600, "urn:bank:loa:2", True), (3600, "urn:bank:loa:9", False)],
)
def test_step_up_rule(login_age_s: int, acr: str | None, recent: bool) -> None:
    now = time.time()
    metadata = signed_metadata(CUSTOMER, auth_time=now - login_age_s, acr=acr, now=now)
    found = customer_assertion(tracker(metadata))
    assert found is not None
    checker = AssertionChecker(IdentitySettings(assertion_key=ASSERTION_KEY, step_up_max_age_s=300))
    assert checker.is_recent(found, now=now) is recent
