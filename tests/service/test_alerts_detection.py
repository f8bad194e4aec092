"""Unusual-activity detection on the event path: transactions planted after the watermark are
scored against the customer's own history, an unusual one is alerted once (also when two
workers' rounds race on PostgreSQL) and put into the customer's open conversation; the
service's background loop does the same on its own."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bank.categories import CategoryStore
from bank.enums import Category, TransactionKind, TransactionStatus
from bank.models import Transaction
from database.engine import get_engine, session_factory
from insights.anomalies.merchants import merchant_key
from service.alerts.delivery import AlertDelivery, alert_round
from service.alerts.detection import WATERMARK, AlertDetector
from service.alerts.inbox import InboxStore
from service.alerts.models import AlertWatermark, CustomerAlert
from stack.processes import prepare_database
from tests.support.app import running_app, start_conversation
from tests.support.databases import prepared_sqlite, throwaway_database

CUSTOMER, CURRENT = "cus_004", "acc_004_current"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return prepared_sqlite(tmp_path_factory, "alerts")


@pytest.fixture
def sessions(database: str) -> sessionmaker[Session]:
    return session_factory(get_engine(database))


@pytest.fixture
def client(database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    with running_app(database, monkeypatch, alerts_interval_s=3600) as test_client:
        yield test_client


def next_night(sessions: sessionmaker[Session]) -> datetime:
    """03:12 on the day after the latest transaction of the bank: after any watermark."""
    with sessions() as session:
        latest = session.scalar(select(func.max(Transaction.booked_at)))
    assert latest is not None
    return (latest + timedelta(days=1)).replace(hour=3, minute=12, second=0, microsecond=0)


def plant(sessions: sessionmaker[Session], booked_at: datetime, amount: str, description: str,
          category: Category = Category.SHOPPING, account_id: str = CURRENT,
          currency: str | None = None) -> str:
    """A card payment booked at ``booked_at`` (``currency``: charged abroad in it)."""
    transaction = Transaction(
        id=f"txn_t_{uuid.uuid4().hex[:20]}", account_id=account_id, booked_at=booked_at,
        amount=Decimal(amount),
        currency="GBP", description=description, category=category, kind=TransactionKind.CARD_PAYMENT,
        status=TransactionStatus.BOOKED, original_currency=currency,
        original_amount=Decimal(amount) if currency else None,
    )
    with sessions.begin() as session:
        session.add(transaction)
    return transaction.id


def usual_payment(sessions: sessionmaker[Session],
                  account_id: str = CURRENT) -> tuple[str, Category, Decimal]:
    """The merchant the account pays most often by card, its category and latest amount."""
    with sessions() as session:
        rows = session.execute(
            select(Transaction.description, Transaction.category, Transaction.amount)
            .where(Transaction.account_id == account_id, Transaction.amount < 0,
                   Transaction.kind == TransactionKind.CARD_PAYMENT)
            .order_by(Transaction.booked_at)
        ).all()
    counts: dict[str, int] = {}
    for description, _, _ in rows:
        counts[description] = counts.get(description, 0) + 1
    favourite = max(counts, key=lambda d: counts[d])
    _, category, amount = [row for row in rows if row[0] == favourite][-1]
    return favourite, category, amount


def alerts_of(sessions: sessionmaker[Session], transaction_id: str) -> list[CustomerAlert]:
    with sessions() as session:
        query = select(CustomerAlert).where(CustomerAlert.transaction_id == transaction_id)
        return list(session.scalars(query))


def started(detector: AlertDetector) -> AlertDetector:
    """The detector after its first round (which sets the watermark when there is none)."""
    detector.round()
    return detector


def unusual(sessions: sessionmaker[Session], account_id: str = CURRENT) -> str:
    """A payment nothing in a demo customer's history looks like: large, abroad, at night, new."""
    return plant(sessions, next_night(sessions), "-2450.00", new_merchant(), Category.SHOPPING, account_id,
                 currency="USD")


def new_merchant() -> str:
    """A merchant name no one has paid (letters only: digits do not make a merchant new)."""
    return "KIOSK " + "".join(chr(ord("A") + int(c, 16)) for c in uuid.uuid4().hex[:10])


def test_an_unusual_payment_is_alerted_and_an_everyday_one_is_not(sessions: sessionmaker[Session]) -> None:
    detector = started(AlertDetector.from_settings(sessions))
    merchant, category, amount = usual_payment(sessions)
    night = next_night(sessions)
    everyday = plant(sessions, night.replace(hour=12, minute=30), str(amount), merchant, category)
    odd = plant(sessions, night.replace(hour=13), "-2450.00", "ZX ELECTRO KIOSK", currency="USD")
    income = plant(sessions, night.replace(hour=14), "9000.00", "UNKNOWN SENDER LTD", Category.SALARY)

    stored = detector.round()

    assert [alert.transaction_id for alert in stored] == [odd]
    assert alerts_of(sessions, everyday) == [] and alerts_of(sessions, income) == []
    alert = alerts_of(sessions, odd)[0]
    assert (alert.customer_id, alert.status) == (CUSTOMER, "new")
    assert alert.score >= detector.scorer.threshold
    # Codes only: nothing of the transaction itself is copied into the alert.
    assert set(alert.reasons) <= {"amount", "new_merchant", "hour", "new_currency", "burst", "spree"}
    assert "amount" in alert.reasons and "new_currency" in alert.reasons
    assert detector.round() == []  # the watermark moved past them


def test_a_transaction_read_again_gets_no_second_alert(sessions: sessionmaker[Session]) -> None:
    first = started(AlertDetector.from_settings(sessions))
    odd = unusual(sessions)
    assert [a.transaction_id for a in first.round()] == [odd]
    with sessions.begin() as session:  # as if another worker had not seen the first round commit
        session.execute(update(AlertWatermark).where(AlertWatermark.name == WATERMARK)
                        .values(booked_at=next_night(sessions) - timedelta(days=1, seconds=1),
                                transaction_id=""))
    assert AlertDetector.from_settings(sessions).round() == []
    assert len(alerts_of(sessions, odd)) == 1


def test_a_cached_baseline_catches_up_with_what_other_workers_scored(sessions: sessionmaker[Session]) -> None:
    ours, theirs = started(AlertDetector.from_settings(sessions)), AlertDetector.from_settings(sessions)
    night = next_night(sessions)
    plant(sessions, night, "-5.00", "CORNER CAFE")
    ours.round()  # our cache now holds the customer
    shop = new_merchant()
    plant(sessions, night + timedelta(minutes=5), "-2450.00", shop, currency="USD")
    theirs.round()  # another worker scores it (and alerts)
    again = plant(sessions, night + timedelta(days=3, hours=10), "-2450.00", shop, currency="USD")
    ours.round()
    # Seen by our baseline through the catch-up, the merchant and currency are no longer new.
    assert all(set(a.reasons) & {"new_merchant", "new_currency"} == set() for a in alerts_of(sessions, again))
    cached = ours.cached(CUSTOMER)
    assert cached is not None and cached.merchant_counts[merchant_key(shop)] == 2


def test_an_alert_reaches_the_customers_open_conversation(client: TestClient,
                                                          sessions: sessionmaker[Session]) -> None:
    detector = started(AlertDetector.from_settings(sessions))
    conversation, headers = start_conversation(client, CUSTOMER)
    odd = unusual(sessions)
    app = client.app
    delivery = AlertDelivery(app.state.transcripts, app.state.conversations.hub, InboxStore(sessions))  # type: ignore[attr-defined]

    token = headers["Authorization"].removeprefix("Bearer ")
    with client.websocket_connect(f"/v1/conversations/{conversation}/ws?token={token}") as socket:
        deadline = time.monotonic() + 10
        while not app.state.conversations.hub.subscriber_count(conversation) and time.monotonic() < deadline:  # type: ignore[attr-defined]
            time.sleep(0.05)
        assert client.portal.call(alert_round, detector.round, delivery) == 1  # type: ignore[union-attr]
        frame = socket.receive_json()
        while (frame.get("message", {}).get("custom") or {}).get("type") != "unusual_activity":
            frame = socket.receive_json()

    custom = frame["message"]["custom"]
    alert = alerts_of(sessions, odd)[0]
    assert custom["alert_id"] == alert.id and custom["amount"] == "2450.00" and custom["currency"] == "GBP"
    assert custom["merchant"].startswith("KIOSK ") and custom["date"].startswith(
        next_night(sessions).date().isoformat()[:4])
    assert custom["reasons"] and all(isinstance(r, str) and "2450" not in r for r in custom["reasons"])
    transcript = client.get(f"/v1/conversations/{conversation}", headers=headers).json()
    assert [m["custom"]["alert_id"] for m in transcript["messages"]
            if (m.get("custom") or {}).get("type") == "unusual_activity"] == [alert.id]
    assert alerts_of(sessions, odd)[0].delivered_at is not None  # a socket was open: delivered


def test_the_service_loop_alerts_on_its_own(tmp_path_factory: pytest.TempPathFactory,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """On a bank of its own, not after the unusual payments the other tests plant for the same
    customer."""
    database = prepared_sqlite(tmp_path_factory, "alerts-loop")
    sessions = session_factory(get_engine(database))
    with running_app(database, monkeypatch, alerts_interval_s=0.2):
        deadline = time.monotonic() + 60  # the app and its loop start slowly on a loaded machine
        odd = None
        while time.monotonic() < deadline:
            with sessions() as session:
                if odd is None and session.get(AlertWatermark, WATERMARK) is not None:
                    odd = unusual(sessions)
            if odd is not None and alerts_of(sessions, odd):
                break
            time.sleep(0.2)
        assert odd is not None and len(alerts_of(sessions, odd)) == 1


@pytest.mark.postgres
def test_two_workers_racing_store_one_alert_on_postgres(tmp_path_factory: pytest.TempPathFactory) -> None:
    with throwaway_database("postgres", tmp_path_factory.mktemp("alerts-pg"), "alerts") as url:
        prepare_database(url)
        engine = get_engine(url)
        try:
            sessions = session_factory(engine)
            started(AlertDetector.from_settings(sessions))
            odd = unusual(sessions)
            workers = [AlertDetector.from_settings(sessions) for _ in range(2)]
            barrier = threading.Barrier(len(workers))
            stored: list[int] = []

            def work(detector: AlertDetector) -> None:
                barrier.wait()
                stored.append(len(detector.round()))

            threads = [threading.Thread(target=work, args=(w,)) for w in workers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            assert sorted(stored) == [0, 1]
            assert len(alerts_of(sessions, odd)) == 1
        finally:
            engine.dispose()


def test_new_transactions_get_their_category_before_they_are_scored(sessions: sessionmaker[Session]) -> None:
    """Without a category a new card payment gets our model's (or the rules'); a merchant the
    customer corrected gets their category whatever the feed said."""
    detector = started(AlertDetector.from_settings(sessions))
    night = next_night(sessions)
    merchant, category, amount = usual_payment(sessions)
    shop = "SAINSBURYS S/MKTS 0412" if "sainsbury" not in merchant.lower() else "TESCO STORES 3297"
    grocer = plant(sessions, night.replace(hour=12), "-23.40", shop, Category.OTHER)
    with sessions() as session:
        transaction_id = session.scalar(select(Transaction.id).where(
            Transaction.description == merchant, Transaction.account_id == CURRENT))
    assert transaction_id is not None
    chosen = Category.CASH if category != Category.CASH else Category.SHOPPING
    CategoryStore(sessions).correct(CUSTOMER, transaction_id, chosen)
    again = plant(sessions, night.replace(hour=12, minute=5), str(amount), merchant, category)
    detector.round()
    with sessions() as session:
        assert session.get(Transaction, grocer).category == Category.GROCERIES  # type: ignore[union-attr]
        assert session.get(Transaction, again).category == chosen  # type: ignore[union-attr]
