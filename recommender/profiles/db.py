"""Engines and sessions for the profile database (SQLite or PostgreSQL)."""

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from recommender.profiles.settings import ProfileSettings


def get_engine(url: str | None = None) -> Engine:
    """Build an engine for ``url`` (default: ``ProfileSettings().database_url``).

    SQLite files get their folder created, foreign keys enforced and WAL journaling
    (readers don't wait for a writer). PostgreSQL URLs use psycopg2.
    """
    url = url or ProfileSettings().database_url
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
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
