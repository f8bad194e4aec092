"""Proactive nudges delivered: the engine's history kept on the ``customer_nudges`` table (caps
and duplicates hold across rounds), a round that stores a salary nudge for a customer who
consents and posts it into their latest conversation (nothing without consent), held nudges
released when quiet hours end, expiry, and the app inbox's listing, read and act receipts,
each measured in journey steps."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bank.enums import Category
from bank.nudge_facts import NudgeFactsStore
from database.engine import get_engine, session_factory
from insights.nudges import NudgeEngine, NudgeKind, NudgeSettings, Verdict
from journeys.models import JourneyStep
from recommender.catalogue import DEFAULT_CATALOGUE_PATH, load_catalogue
from recommender.store_repository import StoreRepository
from service.alerts.nudge_delivery import NudgeRounds
from service.alerts.nudge_models import CustomerNudge, NudgeStatus
from service.alerts.nudge_store import NudgeStore
from service.alerts.nudge_wiring import build_nudges
from tests.insights.nudge_factories import NOW, account, everyday_spending, facts, salary
from tests.service.test_alerts_detection import plant
from tests.service.test_inbox_api import alerted, error_code
from tests.support.app import running_app, start_conversation
from tests.support.databases import prepared_sqlite

URL = "/v1/inbox"
CATALOGUE = load_catalogue(DEFAULT_CATALOGUE_PATH)
SETTINGS = NudgeSettings(max_per_day=3, max_per_week=5, max_per_kind_per_week=1)
NOON = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)  # outside quiet hours


@dataclass
class Consents:
    granted: set[str]

    def has_consent(self, customer_id: str, purpose: str) -> bool:
        return purpose in self.granted


class NoProducts:
    """A recommender that finds nothing (no idle-cash nudge asks the real one here)."""

    def recommend(self, customer_id: str, goal: Any, k: int = 3, strategy: str = "score") -> Any:
        raise AssertionError("no product nudge is expected")


@dataclass
class Facts:
    value: Any

    def money_facts(self, customer_id: str, since: datetime) -> Any:
        return self.value


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return prepared_sqlite(tmp_path_factory, "nudges")


@pytest.fixture
def sessions(database: str) -> sessionmaker[Session]:
    return session_factory(get_engine(database))


@pytest.fixture
def client(database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    with running_app(database, monkeypatch, alerts_interval_s=3600, nudges_interval_s=3600) as test_client:
        yield test_client


def clear(sessions: sessionmaker[Session], customer_id: str) -> None:
    with sessions.begin() as session:
        for row in session.scalars(select(CustomerNudge).where(CustomerNudge.customer_id == customer_id)):
            session.delete(row)


def nudges_of(sessions: sessionmaker[Session], customer_id: str) -> list[CustomerNudge]:
    with sessions() as session:
        return list(session.scalars(select(CustomerNudge).where(CustomerNudge.customer_id == customer_id)
                                    .order_by(CustomerNudge.deliver_at)))


def salary_engine(store: NudgeStore, money: Any) -> NudgeEngine:
    return NudgeEngine(Facts(money), Consents({"marketing"}), NoProducts(), CATALOGUE, store, None, SETTINGS)


def steps_of(sessions: sessionmaker[Session], nudge_id: str) -> list[str]:
    with sessions() as session:
        return sorted(session.scalars(select(JourneyStep.name).where(JourneyStep.kind == "nudge",
                                                                     JourneyStep.detail.startswith(nudge_id))))


def test_the_history_on_the_table_keeps_duplicates_and_caps_across_rounds(
    sessions: sessionmaker[Session],
) -> None:
    clear(sessions, "cus_001")
    store = NudgeStore(sessions)
    money = facts([account("300")], everyday_spending("5.00") + [salary(0.1)])
    engine = salary_engine(store, money)

    decisions, due = store.decide("cus_001", lambda: engine.evaluate("cus_001", NOW))
    assert [(d.kind, d.verdict) for d in decisions] == [(NudgeKind.SALARY_ARRIVED, Verdict.SEND)]
    assert [n.id for n in due] == [decisions[0].nudge.id]  # type: ignore[union-attr]
    assert [(s.kind, s.at) for s in store.sent("cus_001", NOW - timedelta(days=1))] == [
        (NudgeKind.SALARY_ARRIVED, NOW)]

    again, due = store.decide("cus_001", lambda: engine.evaluate("cus_001", NOW + timedelta(minutes=5)))
    assert [d.verdict for d in again] == [Verdict.SUPPRESS] and "already sent" in (again[0].reason or "")
    assert due == []

    # Another salary the next day: the weekly cap of one salary nudge holds.
    later = NOW + timedelta(days=1)
    money = facts([account("300")], everyday_spending("5.00") + [salary(-0.9, "2600.00")])
    capped, due = store.decide("cus_001", lambda: salary_engine(store, money).evaluate("cus_001", later))
    assert [d.verdict for d in capped] == [Verdict.SUPPRESS] and "weekly cap" in (capped[0].reason or "")
    assert due == [] and len(nudges_of(sessions, "cus_001")) == 1


def test_a_nudge_found_in_quiet_hours_is_held_and_released_in_the_morning(
    client: TestClient, sessions: sessionmaker[Session],
) -> None:
    clear(sessions, "cus_001")
    store = NudgeStore(sessions)
    night = NOW.replace(hour=21, minute=30)  # 22:30 in London
    money = facts([account("300")], everyday_spending("5.00") + [salary(-10.4 / 24)])
    engine = salary_engine(store, money)
    state = client.app.state  # type: ignore[attr-defined]
    rounds = NudgeRounds(engine, store, state.transcripts, state.conversations.hub)

    decisions, due = store.decide("cus_001", lambda: engine.evaluate("cus_001", night))
    assert [d.verdict for d in decisions] == [Verdict.HOLD] and due == []
    held = nudges_of(sessions, "cus_001")[0]
    assert held.status == NudgeStatus.HELD and held.deliver_at == NOW.replace(day=11, hour=7)
    assert rounds.release(night + timedelta(hours=1)) == []  # still night
    released = rounds.release(NOW.replace(day=11, hour=7, minute=5))
    assert [n.id for n in released] == [held.id] and released[0].status == NudgeStatus.NEW
    assert rounds.release(NOW.replace(day=11, hour=7, minute=6)) == []  # once only


def test_a_round_stores_and_posts_a_salary_nudge_only_with_consent(
    client: TestClient, sessions: sessionmaker[Session],
) -> None:
    state = client.app.state  # type: ignore[attr-defined]
    consents = StoreRepository(sessions, CATALOGUE)
    for customer_id, granted in (("cus_002", True), ("cus_003", False)):
        clear(sessions, customer_id)
        consents.set_consent(customer_id, "marketing", granted)
        consents.set_consent(customer_id, "profiling", False)  # no product nudge in this test
        plant(sessions, NOON - timedelta(hours=1), "2500.00", "ACME LTD SALARY", Category.SALARY,
              f"acc_{customer_id.removeprefix('cus_')}_current")
    conversation, headers = start_conversation(client, "cus_002")
    nudges = build_nudges(sessions, NoProducts, state.analytics, SETTINGS)
    assert isinstance(nudges.engine.facts, NudgeFactsStore)
    rounds = NudgeRounds(nudges.engine, nudges.store, state.transcripts, state.conversations.hub,
                         nudges.measurement, clock=lambda: NOON)

    report = client.portal.call(rounds.run)  # type: ignore[union-attr]

    assert report.evaluated >= 2
    stored = [n for n in nudges_of(sessions, "cus_002") if n.kind == "salary_arrived"]
    assert len(stored) == 1 and stored[0].status == NudgeStatus.NEW
    assert stored[0].conversation_id == conversation
    assert nudges_of(sessions, "cus_003") == []
    messages = client.get(f"/v1/conversations/{conversation}", headers=headers).json()["messages"]
    custom = [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == "nudge"]
    assert custom and custom[-1]["nudge_id"] == stored[0].id and custom[-1]["kind"] == "salary_arrived"
    assert custom[-1]["action"] == {"type": "open_chat", "intent": "budget_status"}
    assert custom[-1]["text"] == stored[0].text
    before = len(nudges_of(sessions, "cus_002"))
    again = client.portal.call(rounds.run)  # type: ignore[union-attr]
    assert (again.stored, again.posted) == (0, 0) and len(nudges_of(sessions, "cus_002")) == before

    # The inbox lists it (delivered: shown), read opens it, act acts once.
    listed = client.get(URL, headers=headers)
    assert listed.status_code == 200, listed.text
    item = next(i for i in listed.json() if i["id"] == stored[0].id)
    assert (item["kind"], item["nudge_kind"], item["status"]) == ("nudge", "salary_arrived", "delivered")
    assert item["text"] == stored[0].text and item["delivered_at"]
    assert item["action"]["intent"] == "budget_status" and item["assumptions"] is not None
    read = client.post(f"{URL}/{stored[0].id}/read", headers=headers)
    assert read.status_code == 200, read.text
    assert read.json()["status"] == "read" and read.json()["read_at"]
    reread = client.post(f"{URL}/{stored[0].id}/read", headers=headers).json()
    assert reread["read_at"] == read.json()["read_at"]
    acted = client.post(f"{URL}/{stored[0].id}/act", headers=headers)
    assert acted.status_code == 200, acted.text
    assert acted.json()["status"] == "acted" and acted.json()["acted_at"]
    assert error_code(client.post(f"{URL}/{stored[0].id}/act", headers=headers), 409) == "nudge_already_acted"
    assert steps_of(sessions, stored[0].id) == ["nudge_acted", "nudge_opened", "nudge_shown"]


def test_the_inbox_lists_alerts_and_nudges_and_refuses_bad_requests(
    client: TestClient, sessions: sessionmaker[Session],
) -> None:
    clear(sessions, "cus_002")
    store = NudgeStore(sessions)
    money = facts([account("300")], everyday_spending("5.00") + [salary(0.1)])
    now = datetime.now(UTC)
    engine = salary_engine(store, money)
    _, due = store.decide("cus_002", lambda: engine.evaluate("cus_002", NOW))
    assert len(due) == 1
    nudge_id = due[0].id
    alert, _ = alerted(sessions, "cus_002")
    _, headers = start_conversation(client, "cus_002")
    _, intruder = start_conversation(client, "cus_001")

    kinds = {i["id"]: i["kind"] for i in client.get(URL, headers=headers).json()}
    assert kinds[alert] == "unusual_activity" and kinds[nudge_id] == "nudge"
    assert nudge_id not in [i["id"] for i in client.get(URL, headers=intruder).json()]
    assert error_code(client.post(f"{URL}/{nudge_id}/read", headers=intruder), 404) == "unknown_nudge"
    assert error_code(client.post(f"{URL}/{nudge_id}/act", headers=intruder), 404) == "unknown_nudge"
    assert error_code(client.post(f"{URL}/{alert}/act", headers=headers), 404) == "unknown_nudge"
    assert error_code(client.post(f"{URL}/nud_x' OR 1=1/act", headers=headers), 422) == "invalid_request"
    assert error_code(client.post(f"{URL}/{nudge_id}/act", headers={}), 401) == "unauthorized"
    # The nudge (of June 2025) has expired by now: expiry marks it and acting is refused.
    state = client.app.state  # type: ignore[attr-defined]
    rounds = NudgeRounds(engine, store, state.transcripts, state.conversations.hub, clock=lambda: now)
    expired = store.expire(now, 100)
    assert nudge_id in [n.id for n in expired] and rounds.release(now) == []
    assert error_code(client.post(f"{URL}/{nudge_id}/act", headers=headers), 409) == "nudge_expired"
    assert nudge_id not in [i["id"] for i in client.get(URL, headers=headers).json()]
