"""A customer corrects a transaction's category through the API: the merchant's other
transactions move with it, spending reads the new category, a later booking from the merchant
gets it too; another customer's transaction is not found; bad bodies get 422 and change nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from bank.categories import category_for
from bank.enums import Category, TransactionKind
from bank.models import Transaction
from bank.store import ProfileStore
from bank.views import TransactionView
from database.engine import get_engine, session_factory
from tests.support.app import start_conversation

CUSTOMER, OTHER = "cus_003", "cus_006"


def url(conversation: str, transaction_id: str) -> str:
    return f"/v1/conversations/{conversation}/transactions/{transaction_id}/category"


def card_payment(store: ProfileStore, customer: str) -> TransactionView:
    """A card payment of the customer's whose merchant has more than one transaction."""
    recent = store.recent_transactions(customer, limit=100)
    payments = [t for t in recent if t.kind == TransactionKind.CARD_PAYMENT]
    counts = {d: sum(t.description == d for t in payments) for d in {t.description for t in payments}}
    return next(t for t in payments if counts[t.description] > 1)


def test_a_correction_moves_the_merchant_and_sticks(client: TestClient, service_database: str) -> None:
    sessions = session_factory(get_engine(service_database))
    store = ProfileStore(sessions)
    chosen = card_payment(store, CUSTOMER)
    new = Category.ENTERTAINMENT if chosen.category != Category.ENTERTAINMENT else Category.SHOPPING
    conversation, headers = start_conversation(client, CUSTOMER)
    corrected = client.put(url(conversation, chosen.id), json={"category": new.value}, headers=headers)
    assert corrected.status_code == 200, corrected.text
    body = corrected.json()
    assert (body["description"], body["category"]) == (chosen.description, new.value)
    same = [t for t in store.recent_transactions(CUSTOMER, limit=100) if t.description == chosen.description]
    assert body["transactions"] >= len(same) > 1 and {t.category for t in same} == {new}
    with sessions() as session:
        assert category_for(session, CUSTOMER, chosen.description) == new
        assert category_for(session, OTHER, chosen.description) is None, "one customer's correction only"
        row = session.get(Transaction, chosen.id)
        assert row is not None
        later = category_for(session, CUSTOMER, chosen.description) or chosen.category
        session.add(Transaction(id="txn_later_1", account_id=row.account_id, booked_at=datetime.now(UTC),
                                amount=Decimal("-5.00"), description=chosen.description, category=later,
                                kind=TransactionKind.CARD_PAYMENT))
        session.commit()
    assert store.recent_transactions(CUSTOMER, limit=1)[0].category == new
    with sessions.begin() as session:  # gone again: the app's unusual-activity loop reads new bookings
        session.execute(delete(Transaction).where(Transaction.id == "txn_later_1"))


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"category": "unicorns"}, 422, "invalid_request"),
        ({"category": ""}, 422, "invalid_request"),
        ({}, 422, "invalid_request"),
        ({"category": "groceries", "customer_id": "cus_001"}, 422, "invalid_request"),
        ({"category": ["groceries"]}, 422, "invalid_request"),
    ],
)
def test_bad_corrections_are_refused(
    client: TestClient, service_database: str, body: dict[str, Any], status: int, code: str
) -> None:
    store = ProfileStore(session_factory(get_engine(service_database)))
    chosen = card_payment(store, OTHER)
    conversation, headers = start_conversation(client, OTHER)
    response = client.put(url(conversation, chosen.id), json=body, headers=headers)
    assert response.status_code == status and response.json()["error"]["code"] == code
    assert store.recent_transactions(OTHER, limit=100)[0:1] == store.recent_transactions(OTHER, limit=1)
    assert next(t for t in store.recent_transactions(OTHER, limit=100) if t.id == chosen.id).category == \
        chosen.category


def test_another_customers_transaction_is_not_found(client: TestClient, service_database: str) -> None:
    store = ProfileStore(session_factory(get_engine(service_database)))
    theirs = card_payment(store, OTHER)
    conversation, headers = start_conversation(client, CUSTOMER)
    for transaction_id in (theirs.id, "txn_nope", "x' OR 1=1 --"):
        response = client.put(url(conversation, transaction_id), json={"category": "cash"}, headers=headers)
        assert response.status_code in (404, 422), response.text
    assert next(t for t in store.recent_transactions(OTHER, limit=100) if t.id == theirs.id).category == \
        theirs.category
    anonymous, anonymous_headers = start_conversation(client, None)
    refused = client.put(url(anonymous, theirs.id), json={"category": "cash"}, headers=anonymous_headers)
    assert refused.status_code == 403
