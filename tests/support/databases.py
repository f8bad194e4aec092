"""Throwaway databases for tests: a temporary SQLite file or a uniquely named PostgreSQL one.

PostgreSQL databases are made with CREATE DATABASE on ``POSTGRES_ADMIN_URL``
(``TEST_POSTGRES_URL``, default the machine's ``test`` database) and dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO_ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
)
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def alembic_config(url: str) -> Config:
    """The project's Alembic configuration, pointed at ``url``, leaving logging alone."""
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logger"] = False
    return config


@contextmanager
def throwaway_database(backend: str, folder: Path, prefix: str = "test") -> Iterator[str]:
    """The URL of a new, empty database on ``backend`` (``sqlite`` or ``postgres``), removed
    afterwards; SQLite files go in ``folder``."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'{prefix}-{uuid.uuid4().hex[:8]}.db'}"
        return
    name = f"{prefix}_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def prepared_sqlite(tmp_path_factory: pytest.TempPathFactory, name: str) -> str:
    """A fresh SQLite database in its own folder, migrated and seeded as ``make up`` does
    (the demo bank, its recommender data, the demo colleagues)."""
    from stack.processes import prepare_database

    url = f"sqlite:///{tmp_path_factory.mktemp(name) / 'bank.db'}"
    prepare_database(url)
    return url
