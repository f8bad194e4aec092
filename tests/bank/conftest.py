"""Profile store fixtures: the same tests run on SQLite and on the real PostgreSQL.

Each backend gets one throwaway database per test session (a temporary SQLite file; a
uniquely named PostgreSQL database made with CREATE DATABASE and dropped afterwards),
migrated with Alembic. ``store`` reseeds the demo bank before every test, so tests may
change data freely. Deselect PostgreSQL with ``-m "not postgres"``.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine

from bank.payees import PayeeStore
from bank.payments import PaymentStore
from bank.seed import seed_demo_bank
from bank.store import ProfileStore
from database.engine import get_engine, session_factory
from tests.support.databases import BACKENDS, alembic_config, throwaway_database


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    with throwaway_database(backend, tmp_path, "bank") as url:
        yield url


@pytest.fixture(scope="session")
def profile_engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An engine on a migrated database, shared by the session's tests of one backend."""
    with throwaway_database(backend, tmp_path_factory.mktemp("profiles"), "bank") as url:
        command.upgrade(alembic_config(url), "head")
        engine = get_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture
def store(profile_engine: Engine) -> ProfileStore:
    """A store on a freshly reseeded demo bank."""
    sessions = session_factory(profile_engine)
    seed_demo_bank(sessions, reset=True)
    return ProfileStore(sessions)


@pytest.fixture
def payee_store(store: ProfileStore, profile_engine: Engine) -> PayeeStore:
    """Payees on the freshly reseeded demo bank of ``store``."""
    return PayeeStore(session_factory(profile_engine))


@pytest.fixture
def payment_store(store: ProfileStore, profile_engine: Engine) -> PaymentStore:
    """Payments on the freshly reseeded demo bank of ``store``."""
    return PaymentStore(session_factory(profile_engine))
