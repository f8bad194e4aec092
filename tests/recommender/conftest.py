"""Recommender fixtures: the real profile store (SQLite and PostgreSQL), real FAISS indexes and
the offline MiniLM encoder.

Each backend gets one throwaway database per session, migrated to head; ``sessions`` reseeds
the demo bank and its recommender data (consents, holdings) before every test.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from alembic import command
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bank.seed import seed_demo_bank
from database.engine import get_engine, session_factory
from recommender.catalogue import Catalogue, load_catalogue
from recommender.demo_seed import seed_recommendations
from recommender.embeddings import MiniLMEncoder
from recommender.recommender import Recommender, fit_segments
from recommender.segments import SegmentModel
from recommender.settings import RecommenderSettings
from recommender.store_repository import StoreRepository
from recommender.vectors import FeatureBuilder
from simulation.population import reference_columns
from tests.support.databases import BACKENDS, alembic_config, throwaway_database


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
    no_customers = np.zeros((0, features.dim), dtype=np.float32)
    return fit_segments(no_customers, features, settings, reference_columns)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with throwaway_database(backend, tmp_path_factory.mktemp("recommender-db"), "recommender") as url:
        yield url


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
