"""The Alembic migrations build exactly the models' schema and can be undone."""

import os
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, inspect

from bank.models import Base
from tests.support.databases import REPO_ROOT, alembic_config

PROFILE_REVISION = "0001_profiles"
PROFILE_TABLES = {"customers", "accounts", "cards", "transactions", "transfers", "goals"}


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _profile_metadata() -> MetaData:
    """The profile tables alone, as the models declare them."""
    metadata = MetaData(naming_convention=Base.metadata.naming_convention)
    for name in sorted(PROFILE_TABLES):
        Base.metadata.tables[name].to_metadata(metadata)
    return metadata


def _differences(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, _profile_metadata()))
    finally:
        engine.dispose()


def test_profile_revision_builds_the_models_schema_and_downgrade_removes_it(
    empty_database_url: str,
):
    config = alembic_config(empty_database_url)

    command.upgrade(config, PROFILE_REVISION)
    assert _tables(empty_database_url) == PROFILE_TABLES | {"alembic_version"}
    assert _differences(empty_database_url) == []

    command.upgrade(config, "head")  # later revisions (other packages' tables) build on it
    assert PROFILE_TABLES <= _tables(empty_database_url)

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
