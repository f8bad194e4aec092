"""``make up``'s first-start extras (stack/demo.py), without starting the stack: the simulation
is skipped when journeys exist, a failed one leaves the stack running, ``SIMULATE=0`` turns it
off, and the demo colleagues' sign-in is printed only in local environments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from database.engine import get_engine, session_factory
from journeys.models import Journey
from service.staff.seed import DEMO_STAFF
from service.staff.settings import LOCAL_DEMO_PASSWORD, StaffSettings
from stack import demo

UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens, connections are refused


def journey_store(folder: Path, journeys: int) -> str:
    """A SQLite database with the ``journeys`` table holding ``journeys`` rows."""
    url = f"sqlite:///{folder / 'bank.db'}"
    engine = get_engine(url)
    Journey.__table__.create(engine)  # type: ignore[attr-defined]
    with session_factory(engine).begin() as session:
        session.add_all(Journey(
            conversation_id=f"conv_{i}", customer_id="cus_001", channel="web", segment="s", day="2024-01-01",
            started_ts=0.0, ended_ts=1.0, turns=2, fallbacks=0, rephrase_loops=0, escalated=False,
            abandoned=False, form_slots_filled=0, form_completed=False, negative_turns=0, path="greet",
        ) for i in range(journeys))
    engine.dispose()
    return url


def test_no_simulation_when_journeys_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_run(*_: Any, **__: Any) -> None:
        raise AssertionError("simulated although journeys exist")

    monkeypatch.setattr(demo, "simulate", must_not_run)
    said: list[str] = []
    assert demo.seed_journeys(UNREACHABLE, journey_store(tmp_path, 3), say=said.append) is None
    assert said == ["analytics: 3 journeys already stored; not simulating"]


def test_a_failed_simulation_is_reported_not_raised(tmp_path: Path) -> None:
    said: list[str] = []
    assert demo.seed_journeys(UNREACHABLE, journey_store(tmp_path, 0), n=2, say=said.append) is None
    assert said[0].startswith("analytics: simulating 2 customers")
    assert said[-1].startswith("analytics: the simulation failed")


@pytest.mark.parametrize(("value", "enabled"), [(None, True), ("1", True), ("0", False), ("no", False),
                                                 ("OFF", False), ("false", False)])
def test_simulate_variable(value: str | None, enabled: bool) -> None:
    assert demo.simulation_enabled({} if value is None else {"SIMULATE": value}) is enabled


def test_staff_lines_locally_name_every_colleague_and_the_password() -> None:
    text = "\n".join(demo.staff_lines(StaffSettings(environment="local", demo_staff_password=None)))
    assert f"password: {LOCAL_DEMO_PASSWORD}" in text
    assert all(username in text for username, _, _ in DEMO_STAFF)
    custom = demo.staff_lines(StaffSettings(environment="local", demo_staff_password="s3cret-local"))
    assert "password: s3cret-local" in custom[0]


def test_no_staff_lines_outside_local() -> None:
    settings = StaffSettings(environment="production", demo_staff_password="prod-secret-password")
    assert demo.staff_lines(settings) == []
