"""Customer assertions: only the service's key, for this conversation, unexpired."""

from __future__ import annotations

import time

import pytest

from identity.assertion import InvalidAssertion, sign_assertion, verify_assertion
from identity.settings import IdentitySettings

KEY = b"k" * 32


def test_a_valid_assertion_names_the_customer() -> None:
    token = sign_assertion(KEY, "conv_1", "cus_001", 1700000000, "urn:bank:loa:1", 60)
    assertion = verify_assertion(KEY, token, "conv_1")
    assert assertion.customer_id == "cus_001"
    assert (assertion.auth_time, assertion.acr) == (1700000000, "urn:bank:loa:1")


@pytest.mark.parametrize(("key", "conversation", "ttl", "reason"), [
    (b"x" * 32, "conv_1", 60, "InvalidSignatureError"),
    (KEY, "conv_2", 60, "another conversation"),
    (KEY, "conv_1", -1, "ExpiredSignatureError"),
])
def test_forged_misplaced_or_stale_assertions_are_refused(key: bytes, conversation: str, ttl: int,
                                                         reason: str) -> None:
    token = sign_assertion(key, "conv_1", "cus_001", None, None, ttl)
    with pytest.raises(InvalidAssertion, match=reason):
        verify_assertion(KEY, token, conversation)


@pytest.mark.parametrize("token", [None, "", 42, "a.b.c", {"sub": "cus_001"}])
def test_missing_or_malformed_assertions_are_refused(token: object) -> None:
    with pytest.raises(InvalidAssertion):
        verify_assertion(KEY, token, "conv_1")


def test_short_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        sign_assertion(b"short", "conv_1", "cus_001", None, None, 60)


def test_the_step_up_rule() -> None:
    settings = IdentitySettings(step_up_max_age_s=300)
    now = time.time()
    assert settings.is_recent(int(now) - 10, "urn:bank:loa:1", now)
    assert not settings.is_recent(int(now) - 400, "urn:bank:loa:1", now)
    assert settings.is_recent(int(now) - 4000, "urn:bank:loa:2", now)  # the strong level counts
    assert not settings.is_recent(None, None, now)
    assert not settings.is_recent(None, "urn:unknown", now)
