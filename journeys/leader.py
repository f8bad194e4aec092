"""One leader among the API's workers for the journey loops (ingest and live segments).

Every worker could poll the sources (the consumer is idempotent), but that is the same work
done once per worker. On PostgreSQL the leader holds a session-level advisory lock on a
connection of its own; a worker that dies, or loses its connection, frees the lock and another
takes over on its next try. Other databases (SQLite: the one-worker local run) always lead.
"""

from __future__ import annotations

import logging
import zlib

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)
LOCK_KEY = zlib.crc32(b"journeys.leader")  # a fixed 32-bit advisory lock key


class Leadership:
    """``leads()`` is true in exactly one process per database (PostgreSQL), else always."""

    def __init__(self, engine: Engine, key: int = LOCK_KEY) -> None:
        self.engine = engine
        self.key = key
        self._connection: Connection | None = None

    def leads(self) -> bool:
        """Whether this process leads now (taking the lead when it is free)."""
        if self.engine.dialect.name != "postgresql":
            return True
        try:
            if self._connection is not None:
                self._connection.execute(text("SELECT 1"))  # still ours if the session lives
                return True
            # Autocommit: the session holds the lock, never an open transaction.
            connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}):
                self._connection = connection
                log.info("this worker now runs the journey loops")
                return True
            connection.close()
        except SQLAlchemyError as error:
            log.warning("journey leadership unknown: %s", type(error).__name__)
            self.release()
        return False

    def release(self) -> None:
        """Give the lead up: unlock, and drop the session rather than pool it (a pooled
        session would keep any lock the unlock missed)."""
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            except SQLAlchemyError:
                pass
            self._connection.invalidate()
            self._connection.close()
            self._connection = None
