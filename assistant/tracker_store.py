"""Rasa's SQL tracker store with its pooled connections checked before each use.

Rasa wraps every tracker store in a fail-safe: a read that raises is answered with an empty
in-memory tracker, so the conversation's slots and active form are silently lost for that
turn. After the database restarts or a connection is cut, the first read on each pooled
connection raises exactly so. ``pool_pre_ping`` replaces a dead connection before the read.
Runs inside Rasa's environment (``.venv-rasa``, SQLAlchemy 1.4); named in
``endpoints.prod.yml``.
"""

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs


class CheckedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` whose engine pings a pooled connection before handing it out."""

    engine: sa.engine.Engine

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
