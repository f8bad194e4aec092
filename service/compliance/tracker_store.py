"""Rasa's SQL tracker store, read and pruned from the service.

Rasa (``assistant/endpoints.yml``, ``tracker_store: type: SQL``) keeps every event of a
conversation in one ``events`` table, keyed by ``sender_id``, which is our conversation id.
Rasa has no delete operation, so retention and erasure delete the rows here. The table is
Rasa's (3.6): we declare only the columns we read, and never create it.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import Engine

EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
_CHUNK = 500


@dataclass(frozen=True)
class TrackedUtterance:
    """One user event of a tracker: the (redacted) text Rasa got and the intent it predicted."""

    text: str
    intent: str | None
    timestamp: float


def tracker_store_url(location: str) -> str:
    """A SQLAlchemy URL for ``RASA_TRACKER_DB``: a SQLite file path, or already a URL."""
    return location if "://" in location else f"sqlite:///{Path(location).resolve()}"


def _chunks(ids: Collection[str]) -> Iterable[list[str]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


class RasaTrackerStore:
    """Reads intents from, and deletes conversations out of, Rasa's ``events`` table.

    Args:
        engine: an engine on the tracker store database (see :meth:`from_location`).
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @classmethod
    def from_location(cls, location: str) -> RasaTrackerStore:
        """The store at a SQLite path or SQLAlchemy URL (``RASA_TRACKER_DB``)."""
        url = tracker_store_url(location)
        options = {"connect_args": {"timeout": 30}} if url.startswith("sqlite") else {"pool_pre_ping": True}
        return cls(create_engine(url, **options))

    def dispose(self) -> None:
        self._engine.dispose()

    def exists(self) -> bool:
        """False until Rasa has created its table (it does on its first start)."""
        if self._engine.url.get_backend_name() == "sqlite":
            database = self._engine.url.database
            if database and not Path(database).exists():
                return False
        return inspect(self._engine).has_table("events")

    def utterances(self, conversation_id: str) -> list[TrackedUtterance]:
        """The conversation's user events in order: redacted text and predicted intent."""
        if not self.exists():
            return []
        query = (
            select(EVENTS.c.data, EVENTS.c.intent_name, EVENTS.c.timestamp)
            .where(EVENTS.c.sender_id == conversation_id, EVENTS.c.type_name == "user")
            .order_by(EVENTS.c.id)
        )
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return [TrackedUtterance(_event_text(data), intent, ts or 0.0) for data, intent, ts in rows]

    def intents_by_conversation(self, conversation_ids: Collection[str]) -> dict[str, list[str]]:
        """Each conversation's distinct predicted intents, in first-seen order."""
        found: dict[str, list[str]] = {cid: [] for cid in conversation_ids}
        if not conversation_ids or not self.exists():
            return found
        with self._engine.connect() as connection:
            for chunk in _chunks(conversation_ids):
                rows = connection.execute(
                    select(EVENTS.c.sender_id, EVENTS.c.intent_name)
                    .where(EVENTS.c.sender_id.in_(chunk), EVENTS.c.type_name == "user")
                    .where(EVENTS.c.intent_name.is_not(None))
                    .order_by(EVENTS.c.id)
                )
                for sender_id, intent in rows:
                    if intent not in found[sender_id]:
                        found[sender_id].append(intent)
        return found

    def conversations_with_intent(self, intent: str) -> set[str]:
        """Ids of the conversations in which the bot predicted ``intent`` at least once."""
        if not self.exists():
            return set()
        with self._engine.connect() as connection:
            return set(
                connection.scalars(
                    select(EVENTS.c.sender_id)
                    .where(EVENTS.c.type_name == "user", EVENTS.c.intent_name == intent)
                    .distinct()
                )
            )

    def count(self, conversation_ids: Collection[str] | None = None) -> int:
        """Events stored (for these conversations)."""
        if not self.exists():
            return 0
        query = select(func.count()).select_from(EVENTS)
        with self._engine.connect() as connection:
            if conversation_ids is None:
                return int(connection.scalar(query) or 0)
            return sum(
                int(connection.scalar(query.where(EVENTS.c.sender_id.in_(chunk))) or 0)
                for chunk in _chunks(conversation_ids)
            )

    def erase(self, conversation_ids: Collection[str]) -> int:
        """Deletes every event of these conversations; returns how many rows went."""
        if not conversation_ids or not self.exists():
            return 0
        deleted = 0
        with self._engine.begin() as connection:
            for chunk in _chunks(conversation_ids):
                result = connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(chunk)))
                deleted += int(result.rowcount or 0)
        return deleted

    def idle_since(self, cutoff_timestamp: float) -> set[str]:
        """Conversations whose latest event is older than ``cutoff_timestamp`` (epoch s)."""
        if not self.exists():
            return set()
        with self._engine.connect() as connection:
            return set(
                connection.scalars(
                    select(EVENTS.c.sender_id)
                    .group_by(EVENTS.c.sender_id)
                    .having(func.max(EVENTS.c.timestamp) < cutoff_timestamp)
                )
            )


def _event_text(data: str | None) -> str:
    try:
        return str(json.loads(data or "{}").get("text") or "")
    except (ValueError, AttributeError):
        return ""
