"""The Alembic migrations build exactly the models' schema and can be undone."""

import os
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, inspect, text

from bank.models import Base
from tests.support.databases import REPO_ROOT, alembic_config

PROFILE_REVISION = "0001_profiles"
PROFILE_TABLES = {"customers", "accounts", "cards", "transactions", "transfers", "goals"}
LATER_PROFILE_TABLES = {  # 0010_identity, 0012_account_status, 0014_payees_payments
    "customer_logins",
    "card_deliveries",
    "payee_directory",
    "payees",
    "payments",
    "standing_orders",
    "card_statements",
}


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _profile_metadata() -> MetaData:
    """The profile tables alone, as the models declare them."""
    metadata = MetaData(naming_convention=Base.metadata.naming_convention)
    for name in sorted(PROFILE_TABLES | LATER_PROFILE_TABLES):
        Base.metadata.tables[name].to_metadata(metadata)
    return metadata


def _differences(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            profile = PROFILE_TABLES | LATER_PROFILE_TABLES
            opts = {
                "compare_type": True,
                "include_name": lambda name, kind, _parent: kind != "table" or name in profile,
            }
            context = MigrationContext.configure(connection, opts=opts)
            return list(compare_metadata(context, _profile_metadata()))
    finally:
        engine.dispose()


def test_profile_revisions_build_the_models_schema_and_downgrade_removes_it(
    empty_database_url: str,
):
    config = alembic_config(empty_database_url)

    command.upgrade(config, PROFILE_REVISION)
    assert _tables(empty_database_url) == PROFILE_TABLES | {"alembic_version"}

    command.upgrade(config, "head")  # later revisions add to the profile tables and others
    assert PROFILE_TABLES | LATER_PROFILE_TABLES <= _tables(empty_database_url)
    assert _differences(empty_database_url) == []

    command.downgrade(config, "base")
    assert _tables(empty_database_url) == {"alembic_version"}

    command.upgrade(config, "head")
    assert PROFILE_TABLES <= _tables(empty_database_url)


def test_transactions_are_indexed_by_account_and_date(empty_database_url: str):
    command.upgrade(alembic_config(empty_database_url), "head")
    engine = create_engine(empty_database_url)
    try:
        indexes = {tuple(i["column_names"]) for i in inspect(engine).get_indexes("transactions")}
    finally:
        engine.dispose()
    assert ("account_id", "booked_at") in indexes
    assert ("transfer_id",) in indexes


def test_alembic_command_line_reads_database_url(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "DATABASE_URL": url}
    alembic = Path(sys.executable).parent / "alembic"
    run = subprocess.run(
        [str(alembic), "upgrade", "head"], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert PROFILE_TABLES <= _tables(url)


def test_account_status_revision_marks_stored_rows_booked_and_works_out_their_kind(
    empty_database_url: str,
):
    config = alembic_config(empty_database_url)
    command.upgrade(config, "0011_staff_provider_audit_seal")
    engine = create_engine(empty_database_url)
    rows = [  # (id, amount, category, description, transfer)
        ("t1", "-20.00", "groceries", "TESCO STORES", None),
        ("t2", "-40.00", "cash", "CASH WITHDRAWAL ATM", None),
        ("t3", "2000.00", "salary", "ACME SALARY", None),
        ("t4", "-96.00", "utilities", "OCTOPUS ENERGY", None),
        ("t5", "-50.00", "transfer", "Transfer to Saver", "trf_1"),
        ("t6", "1.20", "other", "Interest", None),
        ("t7", "100.00", "other", "Opening balance", None),
    ]
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO customers VALUES ('cus_1', 'Ann', 1990, 'GB', 'A', 1, 'employed', "
                "'2026-01-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO accounts VALUES ('acc_1', 'cus_1', 'current', 'Current', '****1234', 'GBP', 0, "
                "NULL, '2026-01-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO transfers VALUES ('trf_1', 'cus_1', 'acc_1', 'acc_1', 50, NULL, "
                "'2026-01-02 00:00:00')"))
            for id_, amount, category, description, transfer_id in rows:
                connection.execute(
                    text("INSERT INTO transactions VALUES (:id, 'acc_1', '2026-01-02 00:00:00', :amount, "
                         "'GBP', :description, :category, :transfer)"),
                    {"id": id_, "amount": amount, "category": category, "description": description,
                     "transfer": transfer_id},
                )
        command.upgrade(config, "head")
        with engine.connect() as connection:
            found = {row[0]: row[1] for row in connection.execute(
                text("SELECT id, kind || '/' || status FROM transactions"))}
            transfer = tuple(
                connection.execute(text("SELECT status, cancellable_until FROM transfers")).one()
            )
    finally:
        engine.dispose()
    assert found == {
        "t1": "card_payment/booked",
        "t2": "cash_withdrawal/booked",
        "t3": "bank_transfer_in/booked",
        "t4": "direct_debit/booked",
        "t5": "transfer/booked",
        "t6": "interest/booked",
        "t7": "other/booked",
    }
    assert transfer == ("completed", None)
