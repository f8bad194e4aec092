"""The seeded simulation on the running stack, shared by the API and the browser tests.

The simulated customers talk on the ``app`` channel, which no other test uses, so the
analytics filtered to that channel and today hold exactly what the simulator recorded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from service.staff.settings import LOCAL_DEMO_PASSWORD
from stack.simulate import EXPERIMENTS, Record, analyst_headers, simulate

CUSTOMERS = 40
SEED = 9
CHANNEL = "app"


@dataclass
class Simulation:
    """The simulator's record and how long the journeys took to catch up with it."""

    api_url: str
    records: list[Record]
    day: str
    seconds: float
    ingest_lag_s: float
    experiments: dict[str, dict[str, Any]]  # each bot experiment's results right after the run

    @property
    def filters(self) -> dict[str, str]:
        return {"channel": CHANNEL, "date_from": self.day, "date_to": self.day}


def analyst(api_url: str) -> httpx.Client:
    """An HTTP client signed in as the demo analyst."""
    http = httpx.Client(base_url=api_url, timeout=60)
    http.headers.update(analyst_headers(http, LOCAL_DEMO_PASSWORD))
    return http


def run_simulation(api_url: str, n: int = CUSTOMERS, seed: int = SEED) -> Simulation:
    """Simulate, then wait for the API's background ingest to show every journey."""
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    start = time.perf_counter()
    records = simulate(api_url, n, seed, channel=CHANNEL)
    done = time.perf_counter()
    http = analyst(api_url)
    params = {"channel": CHANNEL, "date_from": day, "date_to": day}
    seen: Any = None
    while time.perf_counter() - done < 60:
        response = http.get("/v1/analytics/overview", params=params)
        seen = response.json()
        if response.status_code == 200 and seen.get("journeys") == n:
            break
        time.sleep(0.2)
    lag = time.perf_counter() - done
    assert seen and seen.get("journeys") == n, f"the journeys did not catch up: {seen}"
    # The count can be complete before the last conversation's last turns are: read the
    # tracker store and the handoffs once more, after everything was written.
    assert http.post("/v1/analytics/ingest").status_code == 200
    results = {name: http.get(f"/v1/analytics/experiments/{name}").json() for name in EXPERIMENTS}
    return Simulation(api_url, records, day, done - start, lag, results)
