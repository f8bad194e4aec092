"""Service fixtures: the API in-process on a migrated and seeded SQLite database (demo bank and
demo colleagues), with the bot down (Rasa points at a closed port): enough for the staff,
queue, relay and compliance parts that need no answer from the bot."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.support.app import started_app
from tests.support.databases import prepared_sqlite


@pytest.fixture(scope="session")
def service_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return prepared_sqlite(tmp_path_factory, "service")


@pytest.fixture
def app(service_database: str) -> Iterator[FastAPI]:
    """The API on the test database; Rasa points at a closed port (the bot is down)."""
    with started_app(service_database) as application:
        yield application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client
