"""Profile store fixtures: the same tests run on SQLite and on the real PostgreSQL.

Each backend gets one throwaway database per test session (a temporary SQLite file; a
uniquely named PostgreSQL database made with CREATE DATABASE and dropped afterwards),
migrated with Alembic. ``store`` reseeds the demo bank before every test, so tests may
change data freely. Deselect PostgreSQL with ``-m "not postgres"``.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from recommender.profiles.db import get_engine, session_factory
from recommender.profiles.seed import seed_demo_bank
from recommender.profiles.store import ProfileStore

REPO_ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ADMIN_URL = os.environ.get(
    "PROFILES_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
)
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def alembic_config(url: str) -> Config:
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logger"] = False
    return config


@contextmanager
def throwaway_database(backend: str, folder: Path) -> Iterator[str]:
    """The URL of a new, empty database, removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'bank-{uuid.uuid4().hex[:8]}.db'}"
        return
    name = f"profiles_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    with throwaway_database(backend, tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def profile_engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An engine on a migrated database, shared by the session's tests of one backend."""
    with throwaway_database(backend, tmp_path_factory.mktemp("profiles")) as url:
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
