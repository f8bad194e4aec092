"""The journey dashboard in Chromium on the simulated journeys: an analyst signs in, sees the
funnel, path flows and segment drift drawn, narrows the filters to the simulation (its figures
appear), exports CSV, and a filter selecting fewer than k journeys is refused."""

from __future__ import annotations

import csv
import io
import random
import time
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine

from journeys.consumer import JourneyConsumer
from service.staff.settings import LOCAL_DEMO_PASSWORD
from simulation.journey_events import conversation
from stack.processes import Stack
from tests.journeys.live import CHANNEL, Simulation, analyst

pytestmark = [pytest.mark.browser, pytest.mark.stack]

TIMEOUT = 60_000
SMALL_DAY = "2026-01-05"  # three journeys planted on this day: a group under k


def sign_in(page: Page, api_url: str, username: str) -> None:
    page.goto(f"{api_url}/analytics")
    page.fill("#username", username)
    page.fill("#password", LOCAL_DEMO_PASSWORD)
    page.click("#login")


def plant_small_day(database_url: str) -> None:
    """Three journeys on one past day, through the real consumer (the refusal needs a group
    of 1 to k - 1 journeys that no other test touches)."""
    start = datetime.fromisoformat(f"{SMALL_DAY}T10:00:00+00:00").timestamp()
    rng = random.Random(5)
    events = [e for i in range(3) for e in conversation(90_000_000 + i, rng, start + i * 600)[0]]
    engine = create_engine(database_url)
    try:
        JourneyConsumer(engine).ingest((None, e) for e in events)
    finally:
        engine.dispose()


def wait_for_drift(api_url: str, timeout_s: float = 90) -> None:
    """Until the API has re-profiled the simulated customers who saved a goal (live segments)."""
    http, start = analyst(api_url), time.perf_counter()
    while not http.get("/v1/analytics/drift").json()["days"]:
        assert time.perf_counter() - start < timeout_s, "no segment change recorded"
        time.sleep(0.5)


def test_dashboard_filters_export_and_refusal(stack: Stack, simulation: Simulation, browser: Browser,
                                              tmp_path: Path) -> None:
    plant_small_day(stack.config.database_url)
    wait_for_drift(stack.config.api_url)
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    try:
        sign_in(page, stack.config.api_url, "analyst1")
        expect(page.locator("#dashboard")).to_be_visible(timeout=TIMEOUT)
        expect(page.locator("body")).to_have_attribute("data-state", "ready", timeout=TIMEOUT)

        funnel = page.locator("#funnel svg rect.bar")
        expect(funnel).to_have_count(6)  # started and the goal form's five slots
        assert int(funnel.first.get_attribute("data-value") or 0) >= len(simulation.records) // 2
        assert all(float(funnel.nth(i).get_attribute("width") or 0) > 0 for i in range(6))
        flows = page.locator("#flows svg rect.bar")
        assert flows.count() > 3 and float(flows.first.get_attribute("width") or 0) > 0
        expect(page.locator("#drift svg rect.bar").first).to_have_attribute("data-day", simulation.day)
        assert page.locator("#drift-current tr").count() > 1, "customers per segment (suppressed under k)"
        experiments = analyst(stack.config.api_url).get("/v1/analytics/experiments").json()
        assert {x["name"] for x in experiments} >= set(simulation.experiments)
        for result in experiments:
            box = page.locator(f'#experiments [data-experiment="{result["name"]}"]')
            expect(box.locator("h3")).to_contain_text(f"{result['traffic']} outcomes")
            expect(box.locator("tr")).to_have_count(1 + len(result["arms"]))  # a row per arm

        page.select_option("#channel", CHANNEL)
        page.fill("#date-from", simulation.day)
        page.fill("#date-to", simulation.day)
        page.click("#apply")
        expect(page.locator("#m-journeys")).to_have_text(str(len(simulation.records)), timeout=TIMEOUT)
        expect(page.locator("body")).to_have_attribute("data-state", "ready", timeout=TIMEOUT)
        expect(page.locator('#flows svg rect[data-flow="greet>set_goal"]')).to_have_count(1)
        expect(page.locator('#friction li[data-kind="form_drop_off"][data-step="goal_horizon_months"]')
               ).to_have_count(1)
        handed_off = sum(r.escalated for r in simulation.records)
        rate = f"{100 * handed_off / len(simulation.records):.1f}%"
        expect(page.locator("#m-escalation")).to_have_text(rate)
        page.screenshot(path=str(tmp_path / "analytics.png"), full_page=True)

        with page.expect_download(timeout=TIMEOUT) as info:
            page.click("#export-csv")
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        rows = list(csv.DictReader(io.StringIO(target.read_text())))
        assert rows and {"segment", "journeys"} <= set(rows[0])
        shown = sum(int(r["journeys"]) for r in rows if r["journeys"])
        assert 0 < shown <= len(simulation.records)
        assert all(r["journeys"] == "" or int(r["journeys"]) >= 10 for r in rows), "no group under k"
        assert not any("cus_" in value for r in rows for value in r.values()), "aggregates only"

        page.select_option("#channel", "")
        page.fill("#date-from", SMALL_DAY)
        page.fill("#date-to", SMALL_DAY)
        page.click("#apply")
        expect(page.locator("body")).to_have_attribute("data-state", "refused", timeout=TIMEOUT)
        expect(page.locator("#notice")).to_contain_text("fewer than 10 journeys")
        expect(page.locator("#funnel svg")).to_have_count(0)
    finally:
        context.close()


def test_an_agent_is_turned_away(stack: Stack, browser: Browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        sign_in(page, stack.config.api_url, "agent1")
        expect(page.locator("#notice")).to_have_text("The journey dashboard needs the analyst role.",
                                                     timeout=TIMEOUT)
        expect(page.locator("#dashboard")).to_be_hidden()
    finally:
        context.close()
