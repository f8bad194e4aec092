"""Recommendations through the API: explained items, feedback, ownership and bad input."""

from __future__ import annotations

import httpx
import pytest

from stack.processes import Stack
from tests.support.chat import ChatClient

pytestmark = pytest.mark.stack

GOAL: dict[str, str | int] = {"goal_type": "save", "target_amount": 5000, "horizon_months": 36,
                              "risk_tolerance": "low", "monthly_budget": 150}


def recommend(chat: ChatClient, customer_id: str = "cus_001", **params: str | int) -> httpx.Response:
    return chat.http.get(f"/v1/customers/{customer_id}/recommendations", params={**GOAL, **params})


def test_top_three_with_reasons(stack: Stack) -> None:
    body = recommend(ChatClient(stack.config.api_url)).json()
    assert len(body["items"]) == 3
    assert all(item["reasons"] and item["rec_id"] for item in body["items"])
    assert body["personalised"] is True
    assert all(item["facts"]["risk_level"] <= 3 for item in body["items"]), "low risk tolerance"


def test_declining_changes_the_next_ranking(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url, "cus_002")
    first = recommend(chat, "cus_002").json()["items"]
    declined = first[0]
    response = chat.http.post(
        f"/v1/customers/cus_002/recommendations/{declined['rec_id']}/feedback",
        json={"outcome": "not_for_me"})
    assert response.status_code == 200, response.text
    again = recommend(chat, "cus_002").json()["items"]
    assert declined["product_id"] not in [item["product_id"] for item in again[:1]]


def test_without_profiling_consent_the_answer_says_so(stack: Stack) -> None:
    body = recommend(ChatClient(stack.config.api_url, "cus_007"), "cus_007").json()
    assert body["personalised"] is False and body["notice"]


def test_another_customers_recommendations_are_refused(stack: Stack) -> None:
    response = recommend(ChatClient(stack.config.api_url), "cus_002")
    assert response.status_code == 403


def test_no_token(stack: Stack) -> None:
    response = httpx.get(f"{stack.config.api_url}/v1/customers/cus_001/recommendations", params=GOAL)
    assert response.status_code == 401


@pytest.mark.parametrize("bad", [{"horizon_months": 0}, {"horizon_months": -5},
                                 {"target_amount": -1}, {"goal_type": "gamble"}])
def test_bad_goals_are_422(stack: Stack, bad: dict) -> None:
    response = recommend(ChatClient(stack.config.api_url), **bad)
    assert response.status_code == 422
    assert response.json()["error"]["code"] in ("invalid_request", "invalid_message")


def test_absurd_amount_gives_a_clear_answer_not_an_unsuitable_product(stack: Stack) -> None:
    response = recommend(ChatClient(stack.config.api_url), target_amount=10**12)
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        assert response.json()["items"] == [] and response.json()["notice"]


def test_unknown_recommendation_feedback(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url)
    response = chat.http.post("/v1/customers/cus_001/recommendations/rec_nope/feedback",
                              json={"outcome": "accepted"})
    assert response.status_code == 404
    response = chat.http.post("/v1/customers/cus_001/recommendations/rec_nope/feedback",
                              json={"outcome": "maybe"})
    assert response.status_code == 422
