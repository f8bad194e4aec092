"""Our tracker store, in Rasa's environment.

- It survives a database that dropped its connections: on a throwaway PostgreSQL database a
  tracker is saved and read, every server-side connection is terminated (as a restart or a
  cut network does), and the tracker is read again. Rasa's plain SQL tracker store fails
  that read (Rasa would then answer from an empty tracker); ours reads the conversation.
- It answers a read with the tracker it saved only while the table still ends with that
  tracker's last event, stores a new session once, and publishes each new event once.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from stack.processes import RASA_PYTHON, ROOT
from tests.support.databases import POSTGRES_ADMIN_URL, throwaway_database

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


@pytest.mark.postgres
def test_the_tracker_is_read_after_the_database_dropped_its_connections(tmp_path: Path) -> None:
    with throwaway_database("postgres", tmp_path, "trackers") as url:
        assert read_after_connections_dropped("checked", url) == "events 2"
        assert read_after_connections_dropped("plain", url) == "read failed"


KEPT = """
import asyncio, json, sys
import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from assistant.tracker_store import CheckedSQLTrackerStore

class Broker(EventBroker):
    def __init__(self):
        self.published = []
    def publish(self, event):
        self.published.append(event.get("text") or event["event"])

db = sys.argv[1]
domain = Domain.empty()
broker = Broker()
one = CheckedSQLTrackerStore(domain=domain, dialect="sqlite", db=db, event_broker=broker)
two = CheckedSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
run = asyncio.run
found = {}

greeted = [SessionStarted(), UserUttered("hi"), ActionExecuted("utter_greet")]
tracker = DialogueStateTracker.from_events("c", greeted)
run(one.save(tracker))
first = run(one.retrieve("c"))
found["kept"] = first is tracker
first.update(UserUttered("more"))
run(one.save(first))
found["published"] = broker.published

# a turn on another server: the first server reads it from SQL
other = run(two.retrieve("c"))
other.update(UserUttered("elsewhere"))
run(two.save(other))
found["after_other_server"] = [getattr(e, "text", None) for e in run(one.retrieve("c")).events]

# a turn that failed half-way: read again from SQL, without its unsaved event
failed = run(one.retrieve("c"))
failed.update(UserUttered("never saved"))
found["after_failed_turn"] = [getattr(e, "text", None) for e in run(one.retrieve("c")).events]

# a new session: stored once, and the next read holds the new session only
latest = run(one.retrieve("c"))
latest.update(SessionStarted(timestamp=latest.events[-1].timestamp + 10))
latest.update(UserUttered("new session", timestamp=latest.events[-1].timestamp + 1))
run(one.save(latest))
found["new_session"] = [getattr(e, "text", None) for e in run(one.retrieve("c")).events]

# an erasure deletes the rows: nothing is read back
run(one.save(run(one.retrieve("c"))))
engine = sa.create_engine(f"sqlite:///{db}")
with engine.begin() as connection:
    found["stored"] = connection.execute(sa.text("SELECT count(*) FROM events")).scalar()
    connection.execute(sa.text("DELETE FROM events WHERE sender_id = 'c'"))
found["after_erasure"] = run(one.retrieve("c"))
print(json.dumps(found))
"""


def test_a_kept_tracker_is_read_only_while_the_table_still_ends_with_it(tmp_path: Path) -> None:
    result = subprocess.run([str(RASA_PYTHON), "-c", KEPT, str(tmp_path / "trackers.db")],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found == {
        "kept": True,
        "published": ["session_started", "hi", "action", "more", "session_started", "new session"],
        "after_other_server": [None, "hi", None, "more", "elsewhere"],
        "after_failed_turn": [None, "hi", None, "more", "elsewhere"],
        "new_session": [None, "new session"],
        "stored": 7,
        "after_erasure": None,
    }
