"""The app's inbox of unusual-activity alerts: listed newest first with the transaction and
plain reasons (delivery receipts), read receipts, "this was me" and "this wasn't me" (cards
frozen, a fraud colleague queued with the transaction in the packet), once only; another
customer's alert is unknown; bad input gets clear 4xx answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from bank.enums import CardStatus
from bank.store import ProfileStore
from database.engine import get_engine, session_factory
from service.alerts.detection import AlertDetector
from tests.service.test_alerts_detection import alerts_of, unusual
from tests.support.app import running_app, start_conversation
from tests.support.databases import prepared_sqlite

URL = "/v1/inbox"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return prepared_sqlite(tmp_path_factory, "inbox")


@pytest.fixture
def sessions(database: str) -> sessionmaker[Session]:
    return session_factory(get_engine(database))


@pytest.fixture
def client(database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    with running_app(database, monkeypatch, alerts_interval_s=3600) as test_client:
        yield test_client


def alerted(sessions: sessionmaker[Session], customer_id: str) -> tuple[str, str]:
    """An alert on a new unusual payment of ``customer_id``'s current account: (alert, transaction)."""
    detector = AlertDetector.from_settings(sessions)
    detector.round()  # the first round anywhere sets the watermark
    transaction = unusual(sessions, f"acc_{customer_id.removeprefix('cus_')}_current")
    stored = detector.round()
    assert [a.transaction_id for a in stored] == [transaction]
    return stored[0].id, transaction


def error_code(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    return str(response.json()["error"]["code"])


def card_statuses(sessions: sessionmaker[Session], customer_id: str) -> dict[str, CardStatus]:
    return {card.id: card.status for card in ProfileStore(sessions).cards(customer_id)}


def test_the_inbox_lists_alerts_newest_first_and_marks_them_delivered(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    _, headers = start_conversation(client, "cus_002")
    older, _ = alerted(sessions, "cus_002")
    newer, transaction = alerted(sessions, "cus_002")
    assert alerts_of(sessions, transaction)[0].delivered_at is None  # offline: kept as new

    listed = client.get(URL, headers=headers)

    assert listed.status_code == 200, listed.text
    alerts = listed.json()
    assert [a["id"] for a in alerts][:2] == [newer, older]
    first = alerts[0]
    assert (first["transaction_id"], first["amount"], first["currency"], first["status"]) == (
        transaction, "2450.00", "GBP", "delivered")
    assert first["merchant"].startswith("KIOSK ") and first["date"] and first["delivered_at"]
    assert first["reasons"] and "Much more than you usually spend on this kind of thing" in first["reasons"]
    assert alerts_of(sessions, transaction)[0].status == "delivered"


def test_a_read_receipt_is_kept(client: TestClient, sessions: sessionmaker[Session]) -> None:
    _, headers = start_conversation(client, "cus_002")
    alert, _ = alerted(sessions, "cus_002")
    read = client.post(f"{URL}/{alert}/read", headers=headers)
    assert read.status_code == 200, read.text
    assert read.json()["status"] == "read" and read.json()["read_at"] and read.json()["delivered_at"]
    again = client.post(f"{URL}/{alert}/read", headers=headers).json()
    assert again["read_at"] == read.json()["read_at"]


def test_this_was_me_confirms_once_and_freezes_nothing(client: TestClient,
                                                       sessions: sessionmaker[Session]) -> None:
    _, headers = start_conversation(client, "cus_002")
    alert, _ = alerted(sessions, "cus_002")
    cards = card_statuses(sessions, "cus_002")

    answered = client.post(f"{URL}/{alert}/answer", json={"answer": "was_me"}, headers=headers)

    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert body["alert"]["status"] == "confirmed" and body["alert"]["answered_at"]
    assert body["frozen_cards"] == [] and body["handoff_id"] is None
    assert card_statuses(sessions, "cus_002") == cards
    again = client.post(f"{URL}/{alert}/answer", json={"answer": "not_me"}, headers=headers)
    assert error_code(again, 409) == "alert_already_answered"
    assert card_statuses(sessions, "cus_002") == cards


def test_this_was_not_me_freezes_the_cards_and_queues_a_fraud_colleague(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    conversation, headers = start_conversation(client, "cus_004")
    alert, transaction = alerted(sessions, "cus_004")
    active = [card_id for card_id, status in card_statuses(sessions, "cus_004").items()
              if status == CardStatus.ACTIVE]
    assert active, "the demo customer has an active card"

    answered = client.post(f"{URL}/{alert}/answer", json={"answer": "not_me"}, headers=headers)

    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert body["alert"]["status"] == "disputed" and "frozen" in body["message"]
    statuses = card_statuses(sessions, "cus_004")
    assert all(statuses[card_id] == CardStatus.FROZEN for card_id in active)
    assert len(body["frozen_cards"]) == len(active)
    handoff = client.app.state.handoff  # type: ignore[attr-defined]
    summary, core = handoff.store.get(body["handoff_id"])
    assert (summary.conversation_id, summary.reason, summary.skill, summary.status) == (
        conversation, "fraud", "cards_and_fraud", "queued")
    assert core.goal.collected["transaction_id"] == transaction and core.goal.collected["alert_id"] == alert
    assert transaction in core.summary
    messages = client.get(f"/v1/conversations/{conversation}", headers=headers).json()["messages"]
    assert any((m.get("custom") or {}).get("system", {}).get("event") == "queued" for m in messages)
    again = client.post(f"{URL}/{alert}/answer", json={"answer": "not_me"}, headers=headers)
    assert error_code(again, 409) == "alert_already_answered"


def test_another_customers_alert_is_unknown(client: TestClient, sessions: sessionmaker[Session]) -> None:
    alert, transaction = alerted(sessions, "cus_002")
    _, intruder = start_conversation(client, "cus_001")
    cards = card_statuses(sessions, "cus_002")

    assert alert not in [a["id"] for a in client.get(URL, headers=intruder).json()]
    assert error_code(client.post(f"{URL}/{alert}/read", headers=intruder), 404) == "unknown_alert"
    assert error_code(client.post(f"{URL}/{alert}/answer", json={"answer": "not_me"}, headers=intruder),
                      404) == "unknown_alert"
    stored = alerts_of(sessions, transaction)[0]
    assert (stored.status, stored.read_at, stored.answered_at) == ("new", None, None)
    assert card_statuses(sessions, "cus_002") == cards


@pytest.mark.parametrize("body", [{"answer": "maybe"}, {}, {"answer": "was_me", "customer_id": "cus_001"},
                                  {"answer": None}, ["was_me"]])
def test_bad_answers_are_refused(client: TestClient, sessions: sessionmaker[Session], body: Any) -> None:
    _, headers = start_conversation(client, "cus_002")
    alert, transaction = alerted(sessions, "cus_002")
    answered = client.post(f"{URL}/{alert}/answer", json=body, headers=headers)
    assert error_code(answered, 422) == "invalid_request"
    assert alerts_of(sessions, transaction)[0].answered_at is None


def test_the_inbox_needs_a_signed_in_customers_token(client: TestClient) -> None:
    _, anonymous = start_conversation(client, None)
    assert error_code(client.get(URL), 401) == "unauthorized"
    assert error_code(client.get(URL, headers=anonymous), 401) == "unauthorized"
    assert error_code(client.get(URL, headers={"Authorization": "Bearer not-a-token"}), 401) == "unauthorized"
    _, headers = start_conversation(client, "cus_002")
    assert error_code(client.post(f"{URL}/alr_missing/read", headers=headers), 404) == "unknown_alert"
    assert error_code(client.post(f"{URL}/x' OR 1=1 --/read", headers=headers), 422) == "invalid_request"
