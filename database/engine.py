"""Engines and sessions on the database (SQLite or PostgreSQL)."""

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from database.settings import DatabaseSettings

SQLITE_BUSY_TIMEOUT_S = 30


def get_engine(url: str | None = None) -> Engine:
    """An engine on ``url`` (default: ``DATABASE_URL``).

    PostgreSQL connections are checked before use (a restarted server costs no request).
    SQLite files get their folder created, a busy timeout (writers wait instead of failing),
    use from any thread, foreign keys enforced and WAL journaling (readers don't wait for a
    writer).
    """
    url = url or DatabaseSettings().database_url
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S}
    )
    event.listen(engine, "connect", _configure_sqlite_connection)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A ``sessionmaker`` whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
