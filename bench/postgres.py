"""A throwaway PostgreSQL database for a benchmark: created empty, migrated to the latest
revision, dropped afterwards (``BENCH_POSTGRES_URL``, default the local server's ``postgres``
database, is where it is created from)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")


def migrate(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` with the project's Alembic scripts, leaving logging alone."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logger"] = False
    command.upgrade(config, revision)


@contextmanager
def throwaway_postgres(prefix: str = "bench", admin_url: str = ADMIN_URL) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped (whoever is connected) afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
