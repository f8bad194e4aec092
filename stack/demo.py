"""What a fresh local stack shows a newcomer: simulated journeys and the demo colleagues' sign-in.

On a journey store with no journeys yet, :func:`seed_journeys` drives seeded synthetic
customers (:func:`stack.simulate.simulate`) through the running API, has the API ingest Rasa's
tracker store at once and waits until ``/analytics`` counts them, so its figures are real on
first look. The journeys stay in the database: the next start finds them and simulates
nothing. ``SIMULATE=0`` (or ``python -m stack up --no-simulate``) skips it.

:func:`staff_lines` lists the demo colleagues and the password in effect, for local
environments only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

import httpx
from sqlalchemy import func, select

from database.engine import get_engine
from journeys.models import Journey
from service.staff.errors import StaffError
from service.staff.roles import Role
from service.staff.seed import DEMO_STAFF
from service.staff.settings import LOCAL_ENVIRONMENTS, StaffSettings
from stack.simulate import analyst_headers, simulate

CUSTOMERS = 40  # /analytics hides groups under k = 10 journeys: 40 fill both channels
SEED = 0
PROGRESS_EVERY = 10
INGEST_TIMEOUT_S = 60.0
OFF = frozenset({"0", "false", "no", "off"})
PAGES = {Role.AGENT: "/agent", Role.SUPERVISOR: "/agent", Role.COMPLIANCE: "/compliance",
         Role.ANALYST: "/analytics", Role.ADMIN: "/agent, /analytics"}

Say = Callable[[str], None]


def _say(line: str) -> None:
    print(line, flush=True)


def simulation_enabled(env: Mapping[str, str]) -> bool:
    """Whether ``SIMULATE`` in ``env`` leaves the first-start simulation on (the default)."""
    return env.get("SIMULATE", "1").strip().lower() not in OFF


def journey_count(database_url: str) -> int:
    """How many journeys the journey store holds."""
    engine = get_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(Journey)) or 0
    finally:
        engine.dispose()


def shown_journeys(http: httpx.Client, expected: int, timeout_s: float = INGEST_TIMEOUT_S) -> int:
    """Ingest now until ``/v1/analytics/overview`` counts ``expected`` journeys (or time is
    up); return its count. ``http`` is signed in as an analyst."""
    deadline = time.monotonic() + timeout_s
    while True:
        http.post("/v1/analytics/ingest").raise_for_status()
        overview = http.get("/v1/analytics/overview")
        overview.raise_for_status()
        shown = int(overview.json().get("journeys") or 0)
        if shown >= expected or time.monotonic() > deadline:
            return shown
        time.sleep(1)


def seed_journeys(api_url: str, database_url: str, n: int = CUSTOMERS, seed: int = SEED,
                  say: Say = _say) -> int | None:
    """Simulate ``n`` customers through the API at ``api_url`` when the journey store of
    ``database_url`` is empty; return the journeys ``/analytics`` shows afterwards (None when
    it already had journeys or the simulation failed: the stack keeps running either way)."""
    existing = journey_count(database_url)
    if existing:
        say(f"analytics: {existing} journeys already stored; not simulating")
        return None
    try:
        password = StaffSettings().demo_password()
        say(f"analytics: simulating {n} customers so /analytics shows real figures "
            "(SIMULATE=0 skips)")

        def progress(done: int, total: int) -> None:
            if done % PROGRESS_EVERY == 0 or done == total:
                say(f"analytics: simulating {total} customers ... {done}/{total}")

        simulate(api_url, n, seed, password=password, progress=progress)
        with httpx.Client(base_url=api_url, timeout=60) as http:
            http.headers.update(analyst_headers(http, password))
            shown = shown_journeys(http, n)
    except (httpx.HTTPError, StaffError) as exc:
        say(f"analytics: the simulation failed ({exc}); the stack keeps running")
        return None
    say(f"analytics: /analytics now shows {shown} simulated journeys "
        "(kept in the database: the next `make up` does not simulate again)")
    return shown


def staff_lines(settings: StaffSettings | None = None) -> list[str]:
    """The demo colleagues, their pages and the password in effect; none outside local and
    test environments (or where no demo password is set)."""
    settings = settings or StaffSettings()
    if settings.environment not in LOCAL_ENVIRONMENTS:
        return []
    try:
        password = settings.demo_password()
    except StaffError:
        return []
    width = max(len(username) for username, _, _ in DEMO_STAFF)
    lines = [f"  Demo colleagues (password: {password}):"]
    lines += [f"    {username:<{width}}  {role.value:<10}  {PAGES.get(role, '')}"
              for username, _, role in DEMO_STAFF]
    return lines
