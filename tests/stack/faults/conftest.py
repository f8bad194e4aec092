"""The prod profile on real Postgres, Redis and RabbitMQ, each reached through a fault proxy.

Fresh databases (service and Rasa trackers) and a fresh event queue for the session, two
Rasa servers, two action servers and two API workers.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from stack.processes import (
    ProdServices,
    Stack,
    StackConfig,
    delete_queue,
    drop_postgres_database,
    prepare_database,
)
from tests.stack.faults.proxy import FaultProxy

POSTGRES, REDIS, RABBITMQ = ("127.0.0.1", 5432), ("127.0.0.1", 6379), ("127.0.0.1", 5672)


@pytest.fixture(scope="session")
def proxies() -> Iterator[dict[str, FaultProxy]]:
    running = {"postgres": FaultProxy(*POSTGRES).start(), "redis": FaultProxy(*REDIS).start(),
               "rabbitmq": FaultProxy(*RABBITMQ).start()}
    yield running
    for proxy in running.values():
        proxy.stop()


@pytest.fixture(scope="session")
def prod_stack(proxies: dict[str, FaultProxy], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    run = uuid.uuid4().hex[:8]
    database_url = f"postgresql+psycopg2://postgres@127.0.0.1:{proxies['postgres'].port}/faults_{run}"
    prepare_database(database_url)
    services = ProdServices(
        postgres_port=proxies["postgres"].port, tracker_db=f"faults_trackers_{run}",
        redis_port=proxies["redis"].port, rabbitmq_port=proxies["rabbitmq"].port,
        events_queue=f"rasa_events_{run}",
    )
    config = StackConfig(database_url=database_url, profile="prod", services=services,
                         log_dir=tmp_path_factory.mktemp("prod-logs"),
                         extra_env={"SERVICE_RASA_TIMEOUT_S": "20", "SERVICE_TURN_LOCK_LEASE_S": "25"})
    stack = Stack(config)
    try:
        stack.start(timeout_s=900)  # two Rasa servers load their models at once
        yield stack
    finally:
        stack.stop()
        for proxy in proxies.values():
            proxy.restore()
        drop_postgres_database(database_url)
        drop_postgres_database(services.tracker_url)
        delete_queue(services.events_queue)
