"""Sign-in flooding is throttled per username and per address: past the limit of failures
every attempt is refused (429 with Retry-After) before any password is checked, the right
one included; workers sharing Redis count together."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from identity.settings import IdentitySettings
from service.staff.errors import SignInThrottled
from service.staff.throttle import SignInThrottle
from tests.identity.jwks_server import LocalIssuer
from tests.service.staff.conftest import colleague_token, password_login, provider_login
from tests.support.app import VAULT_KEY, started_app

PER_USERNAME, PER_ADDRESS = 3, 6


@pytest.fixture
def client(staff_database: str, issuer: LocalIssuer, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("PRIVACY_VAULT_KEY", VAULT_KEY)
    monkeypatch.setenv("SERVICE_SIGN_IN_FAILURES_PER_USERNAME", f"{PER_USERNAME}/minute")
    monkeypatch.setenv("SERVICE_SIGN_IN_FAILURES_PER_ADDRESS", f"{PER_ADDRESS}/minute")
    with started_app(staff_database, identity=IdentitySettings(issuer=issuer.url)) as app, \
            TestClient(app) as test_client:
        yield test_client


def throttled(response) -> int:  # type: ignore[no-untyped-def]
    assert response.status_code == 429, response.text
    assert response.json()["error"]["code"] == "rate_limited"
    wait = int(response.headers["Retry-After"])
    assert 1 <= wait <= 60
    return wait


def test_failures_for_one_username_lock_it_even_with_the_right_password(client: TestClient) -> None:
    for _ in range(PER_USERNAME):
        assert password_login(client, "agent1", "wrong-password").status_code == 401
    throttled(password_login(client, "agent1", "wrong-password"))
    throttled(password_login(client, "agent1"))  # the right password, refused all the same
    assert password_login(client, "agent2").status_code == 200  # other colleagues sign in


def test_failures_from_one_address_lock_every_username(client: TestClient) -> None:
    for i in range(PER_ADDRESS):
        assert password_login(client, f"guess{i}", "wrong-password").status_code == 401
    throttled(password_login(client, "compliance1"))


def test_a_success_clears_the_usernames_failures(client: TestClient) -> None:
    for _ in range(PER_USERNAME - 1):
        assert password_login(client, "analyst1", "wrong-password").status_code == 401
    assert password_login(client, "analyst1").status_code == 200
    for _ in range(PER_USERNAME - 1):
        assert password_login(client, "analyst1", "wrong-password").status_code == 401
    assert password_login(client, "analyst1").status_code == 200


def test_bad_provider_tokens_lock_the_address(client: TestClient, issuer: LocalIssuer) -> None:
    for _ in range(PER_ADDRESS):
        assert provider_login(client, "not-a-token").status_code == 401
    good = colleague_token(issuer, "idp-sub-flood", "flood.agent", ["bank-agents"])
    throttled(provider_login(client, good))


def test_workers_sharing_redis_count_together() -> None:
    storage = "redis://127.0.0.1:6379/15"
    username = f"agent-{uuid.uuid4().hex[:8]}"
    address = f"10.0.0.{uuid.uuid4().int % 250}"
    worker_a = SignInThrottle("2/minute", "100/minute", storage)
    worker_b = SignInThrottle("2/minute", "100/minute", storage)
    worker_a.failed(username, address)
    worker_b.failed(username, address)
    with pytest.raises(SignInThrottled) as refused:
        worker_a.check(username, address)
    assert refused.value.details["retry_after_s"] >= 1
    worker_b.succeeded(username)
    worker_a.check(username, address)
