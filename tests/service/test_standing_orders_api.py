"""Standing orders to the customer's payees through the API: set up and cancelled after a
recent sign-in, listed when signed in, another customer's never reachable, bad input answered
with clear 4xx errors and nothing stored."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from identity.settings import IdentitySettings
from service.main import create_app
from tests.support.app import settings_for, start_conversation

MARGARET_PAYEE = "pye_004_02"  # a payee the demo bank saved for cus_004
NEXT_WEEK = (date.today() + timedelta(days=7)).isoformat()


def url(conversation: str, order_id: str | None = None) -> str:
    return f"/v1/conversations/{conversation}/standing-orders" + (f"/{order_id}" if order_id else "")


def error_code(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    return str(response.json()["error"]["code"])


def test_a_standing_order_is_set_up_listed_and_cancelled(client: TestClient) -> None:
    conversation, headers = start_conversation(client, "cus_004")
    body = {"payee_id": MARGARET_PAYEE, "amount": "45.50", "frequency": "monthly", "first_date": NEXT_WEEK,
            "reference": "ENERGY"}
    made = client.post(url(conversation), json=body, headers=headers)
    assert made.status_code == 201, made.text
    order = made.json()
    assert (order["amount"], order["frequency"], order["next_date"], order["status"]) == (
        "45.50", "monthly", NEXT_WEEK, "active")
    assert order["from_account_id"] == "acc_004_current"
    assert order["id"] in [o["id"] for o in client.get(url(conversation), headers=headers).json()]

    cancelled = client.delete(url(conversation, order["id"]), headers=headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert order["id"] not in [o["id"] for o in client.get(url(conversation), headers=headers).json()]
    assert error_code(client.delete(url(conversation, order["id"]), headers=headers), 409) == (
        "standing_order_already_cancelled")


def test_a_repeated_request_sets_up_one_standing_order(client: TestClient) -> None:
    conversation, headers = start_conversation(client, "cus_004")
    body = {"payee_id": MARGARET_PAYEE, "amount": "12.00", "frequency": "weekly", "first_date": NEXT_WEEK}
    keyed = {**headers, "Idempotency-Key": "so-retry-1"}
    first = client.post(url(conversation), json=body, headers=keyed)
    again = client.post(url(conversation), json=body, headers=keyed)
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    listed = [o["id"] for o in client.get(url(conversation), headers=headers).json()]
    assert listed.count(first.json()["id"]) == 1
    bad_key = {**headers, "Idempotency-Key": "x" * 65}
    assert error_code(client.post(url(conversation), json=body, headers=bad_key), 422) == "invalid_request"


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"amount": "0"}, 422, "invalid_request"),
        ({"amount": "-5"}, 422, "invalid_request"),
        ({"amount": "10.001"}, 422, "invalid_request"),
        ({"amount": "20000"}, 422, "payment_limit_exceeded"),
        ({"frequency": "daily"}, 422, "invalid_request"),
        ({"first_date": "2001-01-01"}, 422, "invalid_payment_date"),
        ({"first_date": "soon"}, 422, "invalid_request"),
        ({"reference": "<script>alert(1)</script>"}, 422, "invalid_request"),
        ({"reference": "rent 💸"}, 422, "invalid_reference"),
        ({"payee_id": "pye_001_01"}, 404, "unknown_payee"),  # another customer's
        ({"payee_id": "x' OR 1=1 --"}, 422, "invalid_request"),
        ({"from_account_id": "acc_001_current"}, 404, "unknown_account"),  # another customer's
        ({"customer_id": "cus_001"}, 422, "invalid_request"),
    ],
)
def test_bad_standing_orders_are_refused_clearly(
    client: TestClient, change: dict[str, Any], status: int, code: str
) -> None:
    conversation, headers = start_conversation(client, "cus_004")
    before = client.get(url(conversation), headers=headers).json()
    body = {"payee_id": MARGARET_PAYEE, "amount": "20", "frequency": "weekly", "first_date": NEXT_WEEK,
            **change}
    assert error_code(client.post(url(conversation), json=body, headers=headers), status) == code
    assert client.get(url(conversation), headers=headers).json() == before, "nothing stored"


def test_another_customers_standing_order_is_not_found(client: TestClient) -> None:
    mine, my_headers = start_conversation(client, "cus_004")
    body = {"payee_id": MARGARET_PAYEE, "amount": "12", "frequency": "weekly", "first_date": NEXT_WEEK}
    order = client.post(url(mine), json=body, headers=my_headers).json()
    theirs, their_headers = start_conversation(client, "cus_006")
    assert error_code(client.delete(url(theirs, order["id"]), headers=their_headers), 404) == (
        "unknown_standing_order")
    assert order["id"] not in [o["id"] for o in client.get(url(theirs), headers=their_headers).json()]


def test_standing_orders_need_a_sign_in_and_changes_a_recent_one(
    client: TestClient, service_database: str, identity_provider: str
) -> None:
    anonymous, headers = start_conversation(client, None)
    assert error_code(client.get(url(anonymous), headers=headers), 403) == "sign_in_required"
    settings = settings_for(service_database, identity=IdentitySettings(step_up_max_age_s=0))
    with TestClient(create_app(settings)) as app:
        conversation, headers = start_conversation(app, "cus_004")
        time.sleep(1.1)
        assert app.get(url(conversation), headers=headers).status_code == 200
        body = {"payee_id": MARGARET_PAYEE, "amount": "20", "frequency": "weekly", "first_date": NEXT_WEEK}
        assert error_code(app.post(url(conversation), json=body, headers=headers), 403) == "step_up_required"
