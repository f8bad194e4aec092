"""The customer's payees through the API: listed when signed in, added, renamed and removed
after a recent sign-in, numbers masked, bad input answered with clear 4xx errors."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from identity.settings import IdentitySettings
from service.main import create_app
from tests.support.app import settings_for, start_conversation

NEW = "/v1/conversations"


def payees_url(conversation: str, payee_id: str | None = None) -> str:
    return f"{NEW}/{conversation}/payees" + (f"/{payee_id}" if payee_id else "")


def error_code(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    return str(response.json()["error"]["code"])


def test_a_payee_is_added_checked_listed_renamed_and_removed(client: TestClient) -> None:
    conversation, headers = start_conversation(client, "cus_003")
    url = payees_url(conversation)
    body = {"name": "Latisha Jones", "sort_code": "40-11-62", "account_number": "3192 6819",
            "display_name": "Tish"}
    added = client.post(url, json=body, headers=headers)
    assert added.status_code == 201, added.text
    payee = added.json()
    assert payee["check"] == {"outcome": "close_match", "name_on_record": "Letitia Jones",
                              "business_mismatch": False}
    assert (payee["sort_code"], payee["account_number"]) == ("**-**-62", "****6819")
    assert (payee["display_name"], payee["check_outcome"]) == ("Tish", "close_match")
    assert "31926819" not in added.text and "401162" not in added.text

    listed = client.get(url, headers=headers)
    assert listed.status_code == 200
    assert [p["id"] for p in listed.json()] == [payee["id"]]
    assert "31926819" not in listed.text

    one = payees_url(conversation, payee["id"])
    renamed = client.patch(one, json={"display_name": "Sis"}, headers=headers)
    assert renamed.status_code == 200 and renamed.json()["display_name"] == "Sis"

    removed = client.delete(one, headers=headers)
    assert removed.status_code == 204
    assert client.get(url, headers=headers).json() == []
    again = client.delete(one, headers=headers)
    assert error_code(again, 404) == "unknown_payee"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"name": "Robert Smith", "sort_code": "40-11-6", "account_number": "12345678"}, 422,
         "invalid_sort_code"),
        ({"name": "Robert Smith", "sort_code": "40-11-62", "account_number": "1234567x"}, 422,
         "invalid_account_number"),
        ({"name": "Bob 💸", "sort_code": "40-11-62", "account_number": "12345678"}, 422,
         "invalid_payee_name"),
        ({"name": "B" * 500, "sort_code": "40-11-62", "account_number": "12345678"}, 422, "invalid_request"),
        ({"name": "Robert Smith", "sort_code": "40-11-62"}, 422, "invalid_request"),
        ({"name": "Robert Smith", "sort_code": "40-11-62", "account_number": "12345678", "customer_id": "x"},
         422, "invalid_request"),
        ({"name": "Alex", "sort_code": "60-83-71", "account_number": "70014821"}, 422, "payment_to_self"),
    ],
)
def test_bad_payees_are_refused_clearly(
    client: TestClient, body: dict[str, Any], status: int, code: str
) -> None:
    conversation, headers = start_conversation(client, "cus_001")
    response = client.post(payees_url(conversation), json=body, headers=headers)
    assert error_code(response, status) == code
    assert "12345678" not in response.text and "70014821" not in response.text


def test_the_same_account_twice_is_a_conflict(client: TestClient) -> None:
    conversation, headers = start_conversation(client, "cus_004")
    body = {"name": "Oakwood Lettings", "sort_code": "401162", "account_number": "70000001", "business": True}
    first = client.post(payees_url(conversation), json=body, headers=headers)
    assert first.status_code == 201 and first.json()["check"]["outcome"] == "match"
    second = client.post(payees_url(conversation), json=body, headers=headers)
    assert error_code(second, 409) == "duplicate_payee"


def test_another_customers_payee_is_not_found(client: TestClient) -> None:
    mine, my_headers = start_conversation(client, "cus_005")
    body = {"name": "Katherine Morgan", "sort_code": "309457", "account_number": "44556677"}
    payee = client.post(payees_url(mine), json=body, headers=my_headers).json()
    theirs, their_headers = start_conversation(client, "cus_006")
    url = payees_url(theirs, payee["id"])
    renamed = client.patch(url, json={"display_name": "Mine"}, headers=their_headers)
    assert error_code(renamed, 404) == "unknown_payee"
    assert error_code(client.delete(url, headers=their_headers), 404) == "unknown_payee"
    assert error_code(client.patch(payees_url(mine, "no-such-id!"), json={"display_name": "X"},
                                   headers=my_headers), 422) == "invalid_request"


def test_an_anonymous_conversation_has_no_payees(client: TestClient) -> None:
    conversation, headers = start_conversation(client, None)
    assert error_code(client.get(payees_url(conversation), headers=headers), 403) == "sign_in_required"
    body = {"name": "Robert Smith", "sort_code": "401162", "account_number": "12345678"}
    added = client.post(payees_url(conversation), json=body, headers=headers)
    assert error_code(added, 403) == "sign_in_required"


def test_changing_payees_needs_a_recent_login(service_database: str, identity_provider: str) -> None:
    settings = settings_for(service_database, identity=IdentitySettings(step_up_max_age_s=0))
    with TestClient(create_app(settings)) as app:
        conversation, headers = start_conversation(app, "cus_007")
        time.sleep(1.1)
        assert app.get(payees_url(conversation), headers=headers).status_code == 200
        body = {"name": "Michael Evans", "sort_code": "601613", "account_number": "66778899"}
        stale = app.post(payees_url(conversation), json=body, headers=headers)
        assert error_code(stale, 403) == "step_up_required"
        assert error_code(app.delete(payees_url(conversation, "payee_x"), headers=headers), 403) == (
            "step_up_required")
