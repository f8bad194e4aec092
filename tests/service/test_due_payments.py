"""Scheduled payments and standing orders sent on the service's timer: rounds from several
workers at once send each payment once (SQLite and PostgreSQL), a failed round is logged by its
type alone and the next one goes on, and the app's lifespan runs the timer at the interval
its settings give."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bank.enums import PaymentStatus
from bank.models import Account, Payment, Transaction
from bank.payees import PayeeStore
from bank.payments import PaymentStore, uk_today
from bank.seed import seed_demo_bank
from database.engine import get_engine, session_factory
from service.due_payments import send_due_forever, send_round
from service.settings import ServiceSettings
from tests.support.app import running_app
from tests.support.databases import BACKENDS, alembic_config, prepared_sqlite, throwaway_database

ALEX, ALEX_CURRENT = "cus_001", "acc_001_current"
MARGARET, MARGARET_CURRENT, LATISHA = "cus_004", "acc_004_current", "pye_004_01"
WORKERS = 6


@pytest.fixture(params=BACKENDS)
def sessions(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """A migrated demo bank of its own on each backend."""
    with throwaway_database(request.param, tmp_path, "due") as url:
        command.upgrade(alembic_config(url), "head")
        engine = get_engine(url)
        factory = session_factory(engine)
        seed_demo_bank(factory, reset=True)
        yield factory
        engine.dispose()


def balances(sessions: sessionmaker[Session]) -> dict[str, Decimal]:
    with sessions() as session:
        return {a.id: a.balance for a in session.scalars(select(Account))}


def legs_per_payment(sessions: sessionmaker[Session]) -> Counter[str]:
    with sessions() as session:
        booked = select(Transaction.payment_id).where(Transaction.payment_id.is_not(None))
        return Counter(session.scalars(booked))


def payments(sessions: sessionmaker[Session]) -> list[Payment]:
    with sessions() as session:
        return list(session.scalars(select(Payment)))


def plan_payments(sessions: sessionmaker[Session], today: date) -> None:
    """Alex: two scheduled payments and a weekly order from today; Margaret: a monthly order
    from tomorrow and a scheduled payment."""
    store = PaymentStore(sessions)
    letitia = PayeeStore(sessions).add_payee(ALEX, "Letitia Jones", "40-11-62", "31926819").id
    store.pay(ALEX, ALEX_CURRENT, letitia, Decimal("15"), on=today + timedelta(days=1), idempotency_key="s1")
    store.pay(ALEX, ALEX_CURRENT, letitia, Decimal("20"), on=today + timedelta(days=2), idempotency_key="s2")
    store.create_standing_order(ALEX, ALEX_CURRENT, letitia, Decimal("7.50"), "weekly", today)
    store.create_standing_order(MARGARET, MARGARET_CURRENT, LATISHA, Decimal("30"), "monthly",
                                today + timedelta(days=1))
    store.pay(MARGARET, MARGARET_CURRENT, LATISHA, Decimal("40"), on=today + timedelta(days=3),
              idempotency_key="s3")


def at_once(round_: Callable[[], object], workers: int) -> list[BaseException]:
    """``round_`` from ``workers`` threads released together; the errors they raised."""
    start, errors = threading.Barrier(workers), []

    def worker() -> None:
        start.wait()
        try:
            round_()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_rounds_of_several_workers_at_once_send_each_payment_once(sessions: sessionmaker[Session]) -> None:
    today = uk_today()
    plan_payments(sessions, today)
    before = balances(sessions)

    errors = at_once(lambda: send_round(PaymentStore(sessions).send_due_payments, today + timedelta(days=14)),
                     WORKERS)

    assert errors == []
    made = payments(sessions)
    assert Counter(p.status for p in made) == {PaymentStatus.COMPLETED: 7}, "3 weekly, 1 monthly, 3 scheduled"
    assert len({(p.customer_id, p.idempotency_key) for p in made}) == 7
    assert set(legs_per_payment(sessions).values()) == {1}, "one debit per payment"
    after = balances(sessions)
    assert before[ALEX_CURRENT] - after[ALEX_CURRENT] == Decimal("57.50")
    assert before[MARGARET_CURRENT] - after[MARGARET_CURRENT] == Decimal("70")
    assert send_round(PaymentStore(sessions).send_due_payments, today + timedelta(days=14)) == Counter()


async def until(done: Callable[[], bool], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not await asyncio.to_thread(done):
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


def late_bank(url: str) -> None:
    """Migrate and seed the bank, and start a weekly order for Alex from today."""
    command.upgrade(alembic_config(url), "head")
    sessions = session_factory(get_engine(url))
    seed_demo_bank(sessions, reset=True)
    letitia = PayeeStore(sessions).add_payee(ALEX, "Letitia Jones", "40-11-62", "31926819").id
    PaymentStore(sessions).create_standing_order(ALEX, ALEX_CURRENT, letitia, Decimal("7.50"), "weekly",
                                                 uk_today(), "Lunch club")


def sent_lunch_club(store: PaymentStore) -> bool:
    try:
        return any(p.reference == "Lunch club" and p.status == PaymentStatus.COMPLETED
                   for p in store.payments(ALEX))
    except Exception:  # noqa: BLE001 - the bank is not there yet
        return False


def test_a_failed_round_is_logged_by_its_type_alone_and_the_next_round_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'late.db'}"  # no tables yet: every round fails
    store = PaymentStore(session_factory(get_engine(url)))

    def failures() -> list[logging.LogRecord]:
        return [r for r in caplog.records
                if r.name == "service.due_payments" and r.levelno == logging.WARNING]

    async def scenario() -> None:
        loop = asyncio.create_task(send_due_forever(store.send_due_payments, 0.05))
        try:
            await until(lambda: len(failures()) >= 2)
            await asyncio.to_thread(late_bank, url)
            await until(lambda: sent_lunch_club(store))
        finally:
            loop.cancel()

    with caplog.at_level(logging.INFO, logger="service.due_payments"):
        asyncio.run(scenario())
    assert {r.getMessage() for r in failures()} == {"due payments round failed: OperationalError"}
    assert all(r.exc_info is None for r in failures()), "no traceback: it may quote the rows"
    [sent] = [p for p in store.payments(ALEX) if p.reference == "Lunch club"]
    assert sent.status == PaymentStatus.COMPLETED


def test_the_service_sends_due_payments_on_its_timer(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = prepared_sqlite(tmp_path_factory, "due-payments")
    sessions = session_factory(get_engine(database))
    store = PaymentStore(sessions)
    store.create_standing_order(MARGARET, MARGARET_CURRENT, LATISHA, Decimal("9.99"), "monthly", uk_today(),
                                "Timer")
    assert not any(p.reference == "Timer" for p in store.payments(MARGARET))
    with running_app(database, monkeypatch, payments_due_interval_s=0.2):
        deadline = time.monotonic() + 30
        while not any(p.reference == "Timer" for p in store.payments(MARGARET)):
            assert time.monotonic() < deadline, "the timer sent nothing"
            time.sleep(0.1)
    [sent] = [p for p in store.payments(MARGARET) if p.reference == "Timer"]
    assert sent.status == PaymentStatus.COMPLETED and sent.amount == Decimal("9.99")


@pytest.mark.parametrize("interval", ["0", "-5", "soon"])
def test_an_interval_that_is_not_a_positive_number_of_seconds_is_refused(
    interval: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SERVICE_PAYMENTS_DUE_INTERVAL_S", interval)
    with pytest.raises(ValidationError, match="payments_due_interval_s"):
        ServiceSettings()
