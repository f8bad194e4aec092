"""The supervisor overview through the agent API and /metrics, in-process on the suite's
SQLite database with the demo colleagues: who may read it, and its figures for a seeded
queue (waits, breaches by priority, the colleagues' status and load)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from service.handoff.models import Handoff
from service.handoff.policy import BreachAfter, Priority
from tests.service.handoff.conftest import login, queue_handoff, start_conversation

OVERVIEW = "/v1/agents/supervisor/overview"


def backdate(app: FastAPI, handoff_id: str, seconds: float) -> None:
    with app.state.engine.begin() as connection:
        connection.execute(update(Handoff).where(Handoff.id == handoff_id).values(
            queued_at=datetime.now(UTC) - timedelta(seconds=seconds)))


def by(items: list[dict[str, Any]], key: str, value: str) -> dict[str, Any]:
    return next(item for item in items if item[key] == value)


@pytest.fixture
def supervisor(client: TestClient, empty_queue: None) -> Iterator[dict[str, str]]:
    """supervisor1 signed in, on an empty queue; agent2 available again afterwards."""
    yield login(client, "supervisor1")
    client.put("/v1/agents/me/status", json={"status": "available"}, headers=login(client, "agent2"))


@pytest.mark.parametrize(("username", "status"), [
    ("supervisor1", 200), ("admin1", 200), ("agent1", 403), ("compliance1", 403), ("analyst1", 403),
])
def test_only_supervisors_and_admins_read_the_overview(client: TestClient, username: str,
                                                       status: int) -> None:
    response = client.get(OVERVIEW, headers=login(client, username))
    assert response.status_code == status, response.text
    if status == 403:
        assert response.json()["error"]["code"] == "role_required"


def test_the_overview_needs_a_signed_in_colleague(client: TestClient) -> None:
    assert client.get(OVERVIEW).status_code == 401


def test_the_console_has_the_supervisor_panel(client: TestClient) -> None:
    assert 'id="supervisor"' in client.get("/agent").text
    assert "/v1/agents/supervisor/overview" in client.get("/static/agent.js").text


def test_figures_of_a_seeded_queue(
    app: FastAPI, client: TestClient, supervisor: dict[str, str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    breach = app.state.handoff.policy.routing.breach_after_s
    late = queue_handoff(app, start_conversation(client)["id"])
    backdate(app, late, breach.normal + 100)
    recent = queue_handoff(app, start_conversation(client)["id"])
    backdate(app, recent, 20)
    fraud = queue_handoff(app, start_conversation(client)["id"], "fraud", Priority.URGENT)
    backdate(app, fraud, breach.urgent - 10)
    held = queue_handoff(app, start_conversation(client)["id"], "fraud", Priority.URGENT)
    agent1 = login(client, "agent1")
    assert client.post(f"/v1/agents/handoffs/{held}/claim", headers=agent1).status_code == 200
    client.put("/v1/agents/me/status", json={"status": "busy"}, headers=login(client, "agent2"))

    overview = client.get(OVERVIEW, headers=supervisor).json()

    general = by(overview["skills"], "skill", "general")
    assert general["queued"] == 2 and general["breached"] == 1
    assert breach.normal + 99 <= general["oldest_wait_s"] <= breach.normal + 130
    assert 20 <= general["p50_wait_s"] <= (breach.normal + 130 + 20) / 2 + 1
    cards = by(overview["skills"], "skill", "cards_and_fraud")
    assert cards["queued"] == 1 and cards["breached"] == 0
    assert by(overview["skills"], "skill", "lending") == {
        "skill": "lending", "queued": 0, "oldest_wait_s": 0.0, "p50_wait_s": 0.0, "breached": 0}
    assert [b["handoff_id"] for b in overview["breached"]] == [late]
    assert overview["breached"][0]["breach_after_s"] == breach.normal

    people = {c["staff"]["username"]: c for c in overview["colleagues"]}
    assert "supervisor1" not in people and "compliance1" not in people
    assert people["agent1"]["active_chats"] == 1 and people["agent1"]["max_chats"] == 4
    assert people["agent1"]["load"] == 0.25
    assert people["agent1"]["skills"] == ["general", "cards_and_fraud"]
    assert people["agent2"]["availability"] == "busy"
    assert overview["status_counts"]["busy"] >= 1

    metrics = client.get("/metrics").text
    assert sample(metrics, "handoff_queued", skill="general") == 2
    assert sample(metrics, "handoff_breached_waits", skill="general") == 1
    assert sample(metrics, "handoff_queued", skill="lending") == 0
    assert sample(metrics, "handoff_oldest_wait_seconds", skill="general") >= breach.normal + 99
    assert sample(metrics, "handoff_colleagues", status="busy") == overview["status_counts"]["busy"]
    # Several workers share a multiprocess registry: a scrape of any one still has the gauges.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    assert sample(client.get("/metrics").text, "handoff_queued", skill="general") == 2


def sample(exposition: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    found = re.search(re.escape(f"{name}{{{wanted}}}") + r" ([0-9.e+\-]+)$", exposition, re.MULTILINE)
    assert found, f"{name} {labels} not in /metrics"
    return float(found.group(1))


@pytest.mark.parametrize(("priority", "seconds"), [
    (Priority.URGENT, 60), (Priority.HIGH, 180), (Priority.NORMAL, 300), (Priority.LOW, 600),
])
def test_breach_thresholds_by_priority(priority: Priority, seconds: float) -> None:
    assert BreachAfter().for_priority(priority) == seconds
