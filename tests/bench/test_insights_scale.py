"""The scale part of ``make bench-insights`` at a tiny size on the real PostgreSQL: the synthetic
bank loads with its indexes rebuilt and answers spending questions, and the whole run writes
its JSON keys and drops its database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bank.periods import parse_period
from bank.spending import spending_summary
from bench import insights
from bench.bank_data import load_bank
from bench.postgres import ADMIN_URL, migrate, throwaway_postgres
from database.engine import get_engine, session_factory

pytestmark = pytest.mark.postgres


def _bench_databases() -> set[str]:
    admin = create_engine(ADMIN_URL)
    try:
        with admin.connect() as connection:
            found = text("SELECT datname FROM pg_database WHERE datname LIKE 'bench_insights_%'")
            return set(connection.scalars(found))
    finally:
        admin.dispose()


def test_the_synthetic_bank_loads_with_its_indexes_and_answers() -> None:
    with throwaway_postgres("bench_test") as url:
        migrate(url)
        bank = load_bank(url, 3000, progress=lambda *_: None)
        engine = get_engine(url)
        try:
            with engine.connect() as connection:
                assert connection.scalar(text("SELECT count(*) FROM transactions")) == 3000
                indexes = set(connection.scalars(
                    text("SELECT indexname FROM pg_indexes WHERE tablename = 'transactions'")))
                assert "ix_transactions_account_id_booked_at" in indexes
                assert connection.scalar(text("SELECT min(amount) < 0 AND max(amount) > 0 FROM transactions"))
            assert len(bank.customers) == 3
            today = bank.now.date()
            period = parse_period("last month", today)
            assert period is not None
            with session_factory(engine)() as session:
                answers = [spending_summary(session, customer, period) for customer in bank.customers]
            assert all(a.history_start is not None for a in answers)
            assert any(a.spent > 0 and a.categories and a.merchants for a in answers)
        finally:
            engine.dispose()


def test_the_scale_run_writes_its_keys_and_drops_its_database(tmp_path: Path) -> None:
    before = _bench_databases()
    out = tmp_path / "insights.json"
    assert insights.main(["--scale", "2000", "--scale-only", "--scale-customers", "2", "--events", "20",
                          "--out", str(out)]) == 0
    scale = json.loads(out.read_text())["scale"]
    assert scale["transactions"] == 2000 and scale["customers"] == 2
    assert set(scale["warm"]) == {"spending last month", "spending this month", "budget progress"}
    assert {"p50_ms", "p95_ms", "p99_ms"} <= set(scale["warm"]["spending last month"])
    assert {"spending_p95_ms", "meets_target", "target_p95_ms", "load_seconds", "total_seconds",
            "first_pass"} <= set(scale)
    events = scale["event_path"]
    assert events["events"] == 20
    assert {"categorise_model_per_second", "categorise_rules_per_second", "score_per_second",
            "with_model_per_second", "rules_only_per_second"} <= set(events)
    assert _bench_databases() <= before
