"""Payments held for review, for colleagues: listed, released (the money goes) or cancelled
(nothing moves), each decision in the audit chain with a redacted reason and told to the
customer in their latest conversation (live, never the reason); other roles and bad input
refused clearly."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bank.payees import PayeeStore
from bank.payments import PaymentStore
from bank.store import ProfileStore
from database.engine import get_engine, session_factory
from privacy.models import AuditEntry
from service.payment_reviews import CANCEL_ACTION, RELEASE_ACTION
from service.transcripts import TranscriptStore
from tests.service.handoff.conftest import login, start_conversation
from tests.support.app import running_app
from tests.support.databases import prepared_sqlite

MARGARET, CURRENT, PAYEE = "cus_004", "acc_004_current", "pye_004_01"
KWAME, KWAME_CURRENT = "cus_005", "acc_005_current"
URL = "/v1/agents/payments"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database of its own: its audit chain is keyed with the test key from the start."""
    return prepared_sqlite(tmp_path_factory, "payment-reviews")


@pytest.fixture
def client(database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    with running_app(database, monkeypatch) as test_client:
        yield test_client


@pytest.fixture
def sessions(database: str) -> sessionmaker[Session]:
    return session_factory(get_engine(database))


def held(sessions: sessionmaker[Session], amount: str = "30.00") -> str:
    payment = PaymentStore(sessions).pay(MARGARET, CURRENT, PAYEE, Decimal(amount),
                                         idempotency_key=f"test-{uuid.uuid4().hex}",
                                         review_reason="sanctions screening")
    return payment.id


def balance(sessions: sessionmaker[Session]) -> Decimal:
    return next(a.balance for a in ProfileStore(sessions).accounts(MARGARET) if a.id == CURRENT)


def audit(sessions: sessionmaker[Session], target: str) -> list[AuditEntry]:
    with sessions() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.target == target)))


def test_a_held_payment_is_listed_and_released(client: TestClient, sessions: sessionmaker[Session]) -> None:
    payment_id, before = held(sessions), balance(sessions)
    agent = login(client, "agent1")
    listed = client.get(f"{URL}/held", headers=agent)
    assert listed.status_code == 200
    [mine] = [p for p in listed.json() if p["id"] == payment_id]
    assert (mine["customer_id"], mine["amount"]) == (MARGARET, "30.00")
    assert mine["review_reason"] == "sanctions screening"

    released = client.post(f"{URL}/{payment_id}/release", json={"reason": "checked: not the listed person"},
                           headers=agent)
    assert released.status_code == 200, released.text
    assert released.json()["status"] == "completed"
    assert balance(sessions) == before - Decimal("30.00")
    [entry] = audit(sessions, payment_id)
    assert (entry.actor, entry.action) == ("staff:agent1", RELEASE_ACTION)
    again = client.post(f"{URL}/{payment_id}/release", json={"reason": "again please"}, headers=agent)
    assert again.status_code == 404 and again.json()["error"]["code"] == "unknown_payment"
    assert balance(sessions) == before - Decimal("30.00"), "released once"


def test_a_cancelled_payment_moves_nothing_and_its_reason_is_redacted(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    payment_id, before = held(sessions, "45.00"), balance(sessions)
    reason = "customer confirmed a scam, card 4539 1488 0343 6467 frozen"
    agent = login(client, "agent1")
    cancelled = client.post(f"{URL}/{payment_id}/cancel", json={"reason": reason}, headers=agent)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert balance(sessions) == before
    [entry] = audit(sessions, payment_id)
    assert entry.action == CANCEL_ACTION and "4539" not in entry.reason and "scam" in entry.reason


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("pmt_nope/release", {"reason": "a good reason"}, 404, "unknown_payment"),
        ("bad id!/release", {"reason": "a good reason"}, 422, "invalid_request"),
        ("pmt_nope/cancel", {"reason": "x"}, 422, "invalid_request"),
        ("pmt_nope/cancel", {"reason": "r" * 301}, 422, "invalid_request"),
        ("pmt_nope/cancel", {"why": "no reason field"}, 422, "invalid_request"),
    ],
)
def test_bad_decisions_are_refused_clearly(
    client: TestClient, path: str, body: dict[str, str], status: int, code: str
) -> None:
    response = client.post(f"{URL}/{path}", json=body, headers=login(client, "agent1"))
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


def test_only_agents_and_admins_review_payments(client: TestClient, sessions: sessionmaker[Session]) -> None:
    payment_id = held(sessions)
    assert client.get(f"{URL}/held").status_code == 401
    for username in ("analyst1", "compliance1"):
        headers = login(client, username)
        assert client.get(f"{URL}/held", headers=headers).status_code == 403
        refused = client.post(f"{URL}/{payment_id}/release", json={"reason": "looks fine"}, headers=headers)
        assert refused.status_code == 403
    assert client.get(f"{URL}/held", headers=login(client, "admin1")).status_code == 200


# -- the customer is told -------------------------------------------------------------------

CHECKED = "Our payments team has checked your payment of "
SENT_TEXT = CHECKED + "£30.00 to the payee with account ending 1864 and sent it."
CANCELLED_TEXT = (CHECKED + "£45.00 to the payee with account ending 1864 and cancelled it; no money left "
                  "your account. Call us if you have questions.")
NEVER_TOLD = ("Latisha", "Jones", "97531864", "090128", "not the listed person", "scam")


def bank_notices(client: TestClient, conversation: dict[str, Any]) -> list[dict[str, Any]]:
    """The conversation's messages from the bank's payments team, as the customer reads them."""
    transcript = client.get(f"/v1/conversations/{conversation['id']}", headers=conversation["headers"])
    assert transcript.status_code == 200, transcript.text
    return [m for m in transcript.json()["messages"] if (m["custom"] or {}).get("system")]


def test_the_held_list_shows_only_the_payees_account_ending(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    payment_id = held(sessions)
    listed = client.get(f"{URL}/held", headers=login(client, "agent1"))
    assert listed.status_code == 200, listed.text
    [mine] = [p for p in listed.json() if p["id"] == payment_id]
    assert mine["account_ending"] == "1864"
    assert [secret for secret in NEVER_TOLD if secret in str(mine)] == []


def test_a_release_is_told_in_the_customers_latest_conversation_and_pushed_live(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    older, latest = start_conversation(client, MARGARET), start_conversation(client, MARGARET)
    payment_id = held(sessions)
    hub = client.app.state.conversations.hub  # type: ignore[attr-defined]
    live = hub.subscribe(latest["id"])
    try:
        agent = login(client, "agent1")
        released = client.post(f"{URL}/{payment_id}/release",
                               json={"reason": "checked: not the listed person"}, headers=agent)
        assert released.status_code == 200, released.text
        pushed = live.get_nowait()
    finally:
        hub.unsubscribe(latest["id"], live)
    [notice] = bank_notices(client, latest)
    assert notice["text"] == SENT_TEXT and notice["sender"] == "bot"
    assert notice["custom"]["system"] == {"event": "payment_released", "payment_id": payment_id}
    assert pushed == notice, "the web chat gets the stored notice at once"
    assert bank_notices(client, older) == [], "only the most recent conversation is told"
    assert not any(secret in notice["text"] for secret in NEVER_TOLD)


def test_a_cancellation_is_told_without_the_colleagues_reason(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    conversation = start_conversation(client, MARGARET)
    payment_id = held(sessions, "45.00")
    cancelled = client.post(f"{URL}/{payment_id}/cancel", json={"reason": "customer confirmed a scam"},
                            headers=login(client, "agent1"))
    assert cancelled.status_code == 200, cancelled.text
    [notice] = bank_notices(client, conversation)
    assert notice["text"] == CANCELLED_TEXT
    assert notice["custom"]["system"]["event"] == "payment_cancelled"


def test_a_customer_without_a_conversation_is_told_nothing_and_the_decision_stands(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    payee = PayeeStore(sessions).add_payee(KWAME, "Letitia Jones", "40-11-62", "31926819")
    payment = PaymentStore(sessions).pay(KWAME, KWAME_CURRENT, payee.id, Decimal("12.00"),
                                         idempotency_key=f"test-{uuid.uuid4().hex}",
                                         review_reason="scam warning")
    transcripts = TranscriptStore(sessions)
    assert transcripts.latest_of_customer(KWAME) is None
    released = client.post(f"{URL}/{payment.id}/release", json={"reason": "spoke to the customer"},
                           headers=login(client, "agent1"))
    assert released.status_code == 200 and released.json()["status"] == "completed"
    assert transcripts.latest_of_customer(KWAME) is None, "no conversation is made for the notice"
