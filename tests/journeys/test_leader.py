"""One worker leads the journey loops: an advisory lock on the real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine

from journeys.leader import Leadership
from tests.support.databases import POSTGRES_ADMIN_URL as POSTGRES_URL

KEY = 424_242  # not the service's key: a running stack on this database keeps its leader


@pytest.fixture
def engines() -> Iterator[list[Engine]]:
    made = [create_engine(POSTGRES_URL, pool_pre_ping=True) for _ in range(2)]  # two workers
    yield made
    for engine in made:
        engine.dispose()


def test_one_worker_leads_and_another_takes_over_when_it_goes(engines: list[Engine]) -> None:
    first, second = (Leadership(engine, KEY) for engine in engines)
    try:
        assert first.leads() and first.leads(), "the lead is kept"
        assert not second.leads()
        first.release()  # the worker stops (or its connection dies)
        assert second.leads() and not first.leads()
    finally:
        first.release()
        second.release()


def test_a_lost_session_gives_the_lead_up(engines: list[Engine]) -> None:
    first, second = (Leadership(engine, KEY) for engine in engines)
    try:
        assert first.leads()
        assert first._connection is not None
        first._connection.invalidate()  # the database dropped the session
        assert not first.leads(), "no longer sure it leads"
        assert second.leads()
    finally:
        first.release()
        second.release()


def test_sqlite_always_leads(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(f"sqlite:///{tmp_path / 'one.db'}")
    assert Leadership(engine).leads() and Leadership(engine).leads()
    engine.dispose()
