"""The production tracker store survives a database that dropped its connections.

Runs in Rasa's environment on a throwaway PostgreSQL database: a tracker is saved and read,
every server-side connection of the database is terminated (as a restart or a cut network
does), and the tracker is read again. Rasa's plain SQL tracker store fails that read (Rasa
would then answer from an empty tracker); ours reads the conversation.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from stack.processes import ROOT
from tests.support.databases import POSTGRES_ADMIN_URL, throwaway_database

pytestmark = pytest.mark.postgres

RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"

SCRIPT = """
import asyncio, sys
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from assistant.tracker_store import CheckedSQLTrackerStore

kind, url, admin_url = sys.argv[1:4]
url = make_url(url)
store_class = {"checked": CheckedSQLTrackerStore, "plain": SQLTrackerStore}[kind]
store = store_class(host=url.host, dialect="postgresql", port=url.port, username=url.username,
                    db=url.database)
tracker = DialogueStateTracker.from_events("conv_1", [UserUttered("hi"), ActionExecuted("utter_greet")])
asyncio.run(store.save(tracker))
asyncio.run(store.retrieve("conv_1"))
admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
with admin.connect() as connection:
    connection.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = :name AND pid <> pg_backend_pid()"),
                       {"name": url.database})
try:
    print("events", len(asyncio.run(store.retrieve("conv_1")).events))
except sa.exc.OperationalError:
    print("read failed")
"""


def read_after_connections_dropped(kind: str, url: str) -> str:
    result = subprocess.run(
        [str(RASA_PYTHON), "-c", SCRIPT, kind, url, POSTGRES_ADMIN_URL.replace("+psycopg2", "")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def test_the_tracker_is_read_after_the_database_dropped_its_connections(tmp_path: Path) -> None:
    with throwaway_database("postgres", tmp_path, "trackers") as url:
        assert read_after_connections_dropped("checked", url) == "events 2"
        assert read_after_connections_dropped("plain", url) == "read failed"
