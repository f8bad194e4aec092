"""Recommender fixtures: the real profile store (SQLite and PostgreSQL), real FAISS indexes and
the offline MiniLM encoder.

Each backend gets one throwaway database per session, migrated to head; ``sessions`` reseeds
the demo bank and its recommender data (consents, holdings) before every test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from recommender.catalogue import Catalogue, load_catalogue
from recommender.demo_seed import seed_recommendations
from recommender.embeddings import MiniLMEncoder
from recommender.profiles.db import get_engine, session_factory
from recommender.profiles.seed import seed_demo_bank
from recommender.recommender import Recommender, fit_segments
from recommender.segments import SegmentModel
from recommender.settings import RecommenderSettings
from recommender.store_repository import StoreRepository
from recommender.vectors import FeatureBuilder

REPO_ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ADMIN_URL = os.environ.get(
    "RECOMMENDER_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
)
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def alembic_config(url: str) -> Config:
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logger"] = False
    return config


def throwaway_database(backend: str, folder: Path) -> Iterator[str]:
    """The URL of a new, empty database, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'rec-{uuid.uuid4().hex[:8]}.db'}"
        return
    name = f"recommender_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> RecommenderSettings:
    return RecommenderSettings(
        cache_dir=tmp_path_factory.mktemp("recommender-cache"),
        reference_population=4000,
        segments_k=6,
    )


@pytest.fixture(scope="session")
def encoder() -> MiniLMEncoder:
    return MiniLMEncoder(torch_threads=1)


@pytest.fixture(scope="session")
def segments(settings: RecommenderSettings) -> SegmentModel:
    """Segments fitted on the seeded synthetic reference population (the demo bank has too
    few customers to cluster), as ``Recommender.build`` does for a small store."""
    features = FeatureBuilder()
    return fit_segments(np.zeros((0, features.dim), dtype=np.float32), features, settings)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from throwaway_database(backend, tmp_path_factory.mktemp("recommender-db"))


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    command.upgrade(alembic_config(database_url), "head")
    engine = get_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions on a freshly reseeded demo bank with consents and holdings."""
    factory = session_factory(engine)
    reseed(factory)
    return factory


def reseed(factory: sessionmaker[Session]) -> None:
    """Reset the demo bank (recommender rows go with it) and its recommender data."""
    seed_demo_bank(factory, reset=True)
    seed_recommendations(factory)


@pytest.fixture
def repository(sessions: sessionmaker[Session], catalogue: Catalogue) -> StoreRepository:
    return StoreRepository(sessions, catalogue)


@pytest.fixture
def make_recommender(
    catalogue: Catalogue,
    settings: RecommenderSettings,
    encoder: MiniLMEncoder,
    segments: SegmentModel,
):
    """Build a Recommender on a repository (indexes built from the store, as in production)."""

    def make(repository: StoreRepository, cat: Catalogue | None = None) -> Recommender:
        return Recommender.build(
            repository, settings, cat if cat is not None else catalogue, encoder, segments
        )

    return make


@pytest.fixture
def recommender(make_recommender, repository: StoreRepository) -> Recommender:
    return make_recommender(repository)
