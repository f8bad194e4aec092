"""Payees' names, sort codes and account numbers are sealed in the database, on SQLite and
Postgres: the raw rows hold ciphertext only, the store reads them back whole, duplicates are
still found, and a row sealed under another key or copied into another column does not open.
A migration run on a database of plain payees seals them, and its downgrade opens them."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, text

from bank.errors import DuplicatePayee
from bank.payees import PayeeStore
from database.sealed import DEVELOPMENT_KEY, PREFIX, RecordCipher, SealedValueError, record_key
from database.settings import DatabaseSettings
from tests.support.databases import alembic_config

ALEX = "cus_001"
LETITIA = ("Letitia Jones", "40-11-62", "31926819")
COLUMNS = ("display_name", "holder_name", "sort_code", "account_number")


def raw_rows(engine: Engine, customer: str) -> list[dict[str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(f"SELECT {', '.join(COLUMNS)} FROM payees WHERE customer_id = :c"), {"c": customer}
        ).mappings()
        return [dict(row) for row in rows]


def test_the_database_holds_no_payee_detail_in_the_clear(
    payee_store: PayeeStore, profile_engine: Engine
) -> None:
    added = payee_store.add_payee(ALEX, *LETITIA, display_name="Tish")
    [row] = raw_rows(profile_engine, ALEX)
    assert all(value.startswith(PREFIX) for value in row.values()), row
    written = " ".join(row.values())
    for plain in ("Letitia", "Tish", "401162", "31926819", "6819"):
        assert plain not in written
    assert payee_store.get_payee(ALEX, added.id).holder_name == "Letitia Jones"
    with pytest.raises(DuplicatePayee):  # found by its sealed account, deterministically
        payee_store.add_payee(ALEX, "L Jones", *LETITIA[1:])


def test_a_seal_opens_only_with_its_key_and_its_column() -> None:
    cipher, other = RecordCipher(DEVELOPMENT_KEY), RecordCipher(bytes(range(32)))
    name = cipher.seal("Letitia Jones", "payees.holder_name")
    assert name != cipher.seal("Letitia Jones", "payees.holder_name"), "names get a fresh nonce"
    assert cipher.open(name, "payees.holder_name") == "Letitia Jones"
    number = cipher.seal("31926819", "payees.account_number", deterministic=True)
    assert number == cipher.seal("31926819", "payees.account_number", deterministic=True)
    for attempt in (
        lambda: other.open(name, "payees.holder_name"),
        lambda: cipher.open(name, "payees.display_name"),
        lambda: cipher.open(number, "payees.sort_code", deterministic=True),
        lambda: cipher.open(name[:-4] + "AAAA", "payees.holder_name"),
        lambda: cipher.open("Letitia Jones", "payees.holder_name"),
    ):
        with pytest.raises(SealedValueError):
            attempt()


def test_the_record_key_setting() -> None:
    good = base64.urlsafe_b64encode(bytes(range(32))).decode()
    assert record_key(DatabaseSettings(record_key=good)) == bytes(range(32))
    with pytest.warns(UserWarning, match="development key"):
        assert record_key(DatabaseSettings(record_key=None)) == DEVELOPMENT_KEY
    for bad in ("not base64!", base64.urlsafe_b64encode(b"short").decode()):
        with pytest.raises(ValueError, match="DATABASE_RECORD_KEY"):
            record_key(DatabaseSettings(record_key=bad))


def test_the_migration_seals_plain_payees_and_the_downgrade_opens_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0016_standing_order_keys")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO customers (id, first_name, birth_year, country_of_residence, credit_band,"
            " annual_income, employment_status, created_at) VALUES ('cus_x', 'X', 1980, 'GB', 'A',"
            " 1000, 'employed', '2026-01-01')"))
        connection.execute(text(
            "INSERT INTO payees (id, customer_id, display_name, holder_name, holder_kind, sort_code,"
            " account_number, check_outcome, created_at) VALUES ('pye_x', 'cus_x', 'Tish',"
            " 'Letitia Jones', 'personal', '401162', '31926819', 'match', '2026-01-01')"))
    command.upgrade(config, "head")
    [sealed] = raw_rows(engine, "cus_x")
    assert all(value.startswith(PREFIX) for value in sealed.values()), sealed
    command.downgrade(config, "0016_standing_order_keys")
    [opened] = raw_rows(engine, "cus_x")
    assert opened == {"display_name": "Tish", "holder_name": "Letitia Jones", "sort_code": "401162",
                      "account_number": "31926819"}
    engine.dispose()
