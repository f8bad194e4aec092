"""Settings and engines: where the database is and how SQLite is configured."""

from pathlib import Path

import pytest
from sqlalchemy import text

from database.engine import get_engine
from database.settings import REPO_ROOT, DatabaseSettings


def test_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://bank@db:5432/bank")
    assert DatabaseSettings().database_url == "postgresql+psycopg2://bank@db:5432/bank"


def test_default_is_the_demo_file_in_var(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert DatabaseSettings().database_url == f"sqlite:///{REPO_ROOT / 'var' / 'bank.db'}"


def test_sqlite_engine_creates_its_folder_and_enforces_foreign_keys(tmp_path: Path):
    engine = get_engine(f"sqlite:///{tmp_path / 'nested' / 'bank.db'}")
    try:
        with engine.connect() as connection:
            assert connection.scalar(text("PRAGMA foreign_keys")) == 1
            assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert (tmp_path / "nested" / "bank.db").exists()
    finally:
        engine.dispose()
