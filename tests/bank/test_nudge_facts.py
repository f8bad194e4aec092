"""What the nudges read about a customer, on SQLite and Postgres: every account, booked
transactions since the day asked (oldest first, nothing declined), active standing orders only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from bank.enums import StandingOrderStatus, TransactionStatus
from bank.errors import UnknownCustomer
from bank.nudge_facts import NudgeFactsStore
from bank.payments import PaymentStore, uk_today
from bank.store import ProfileStore
from database.engine import session_factory

MARGARET, LATISHA = "cus_004", "pye_004_01"


def test_the_facts_of_a_customer(store: ProfileStore, profile_engine: Engine) -> None:
    sessions = session_factory(profile_engine)
    source = store.paying_account(MARGARET)
    assert source is not None
    payments = PaymentStore(sessions)
    kept = payments.create_standing_order(MARGARET, source.id, LATISHA, Decimal("20"), "weekly",
                                          uk_today() + timedelta(days=2))
    stopped = payments.create_standing_order(MARGARET, source.id, LATISHA, Decimal("30"), "monthly",
                                             uk_today() + timedelta(days=3))
    payments.cancel_standing_order(MARGARET, stopped.id)
    since = datetime.now(UTC) - timedelta(days=30)
    facts = NudgeFactsStore(sessions).money_facts(MARGARET, since)
    assert {a.id for a in facts.accounts} == {a.id for a in store.accounts(MARGARET)}
    assert set(facts.opened_at) == {a.id for a in facts.accounts}
    assert facts.transactions, "a month of the demo history"
    assert all(t.status == TransactionStatus.BOOKED and t.booked_at >= since for t in facts.transactions)
    assert [t.booked_at for t in facts.transactions] == sorted(t.booked_at for t in facts.transactions)
    assert [o.id for o in facts.standing_orders] == [kept.id]
    assert facts.standing_orders[0].status == StandingOrderStatus.ACTIVE and facts.since == since.date()
    with pytest.raises(UnknownCustomer):
        NudgeFactsStore(sessions).money_facts("cus_nobody", since)
