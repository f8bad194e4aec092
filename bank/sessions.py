"""What the bank's stores share: their sessions, built from the settings, and a transaction
that writes, with its locks taken up front."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Self

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from database.engine import get_engine, session_factory
from database.settings import DatabaseSettings


@contextmanager
def writing(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session in one transaction, committed on success and rolled back on error.

    SQLite takes its database write lock at once (``BEGIN IMMEDIATE``), so what is read is
    still true when it is written; on PostgreSQL callers lock rows with ``FOR UPDATE``.
    """
    with sessions.begin() as session:
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text("BEGIN IMMEDIATE"))
        yield session


class Store:
    """A store on a migrated profile database.

    Args:
        sessions: a ``sessionmaker`` bound to the database.
    """

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    @classmethod
    def from_settings(cls, settings: DatabaseSettings | None = None) -> Self:
        """A store on ``settings.database_url`` (default: the environment's)."""
        settings = settings or DatabaseSettings()
        return cls(session_factory(get_engine(settings.database_url)))
