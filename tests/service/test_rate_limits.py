"""Rate limits per bearer token (customers' and colleagues' apart) and per client address:
429 in the project's error shape with Retry-After; health checks and metrics are never
limited; the defaults let a load test from one address through."""

from __future__ import annotations

import pytest
from limits import parse

from service.settings import ServiceSettings
from service.staff.settings import LOCAL_DEMO_PASSWORD
from tests.support.app import running_app, start_conversation


def test_per_token_limit_answers_429_with_retry_after(
    stack_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_app(stack_database, monkeypatch, rate_limit_per_token="3/minute") as client:
        conversation_id, auth = start_conversation(client)
        statuses = [client.get(f"/v1/conversations/{conversation_id}", headers=auth).status_code
                    for _ in range(3)]
        refused = client.get(f"/v1/conversations/{conversation_id}", headers=auth)
        # Another conversation's token has its own allowance.
        other_id, other_auth = start_conversation(client)
        other = client.get(f"/v1/conversations/{other_id}", headers=other_auth)
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert set(refused.json()["error"]) == {"code", "message", "details"}
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert other.status_code == 200


def test_staff_tokens_have_their_own_limit(stack_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with running_app(stack_database, monkeypatch, rate_limit_per_token="2/minute",
                     rate_limit_per_staff_token="4/minute") as client:
        login = client.post("/v1/staff/login", json={"username": "analyst1", "password": LOCAL_DEMO_PASSWORD})
        staff = {"Authorization": f"Bearer {login.json()['token']}"}
        statuses = [client.get("/v1/staff/me", headers=staff).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]


def test_per_ip_limit_covers_requests_without_a_token(
    stack_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_app(stack_database, monkeypatch, rate_limit_per_ip="4/minute") as client:
        statuses = [client.post("/v1/conversations", json={"channel": "web"}).status_code
                    for _ in range(5)]
        page = client.get("/")
        health = [client.get("/healthz").status_code for _ in range(3)]
        scrape = client.get("/metrics")
    assert statuses == [201, 201, 201, 201, 429]
    assert page.status_code == 429 and "Retry-After" in page.headers
    assert 429 not in health and scrape.status_code == 200


def test_defaults_let_a_load_test_from_one_address_through() -> None:
    defaults = ServiceSettings()
    per_ip = parse(defaults.rate_limit_per_ip)
    per_token = parse(defaults.rate_limit_per_token)
    per_staff = parse(defaults.rate_limit_per_staff_token)
    # 200 concurrent conversations at a turn a second each, from 127.0.0.1, for a minute.
    assert per_ip.amount / per_ip.get_expiry() * 60 >= 200 * 60 * 2
    assert per_token.amount / per_token.get_expiry() * 60 >= 30
    # An analyst's dashboard loads about ten resources at each change of filter.
    assert per_staff.amount / per_staff.get_expiry() * 60 >= 300
