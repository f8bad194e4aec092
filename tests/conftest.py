"""Shared fixtures: a migrated and seeded SQLite database, and the running stack on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from stack.processes import Stack, StackConfig
from tests.journeys.live import Simulation, run_simulation
from tests.support.databases import prepared_sqlite


@pytest.fixture(scope="session")
def stack_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh SQLite database, migrated and seeded with the demo bank."""
    return prepared_sqlite(tmp_path_factory, "stack")


@pytest.fixture(scope="session")
def stack(stack_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The action server, Rasa (latest trained model) and the API, as real processes."""
    config = StackConfig(database_url=stack_database,
                         log_dir=tmp_path_factory.mktemp("stack-logs"))
    running = Stack(config)
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def simulation(stack: Stack) -> Simulation:
    """Seeded synthetic customers driven through the stack, their journeys ingested."""
    return run_simulation(stack.config.api_url)
