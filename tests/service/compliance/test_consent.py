"""Consent: the customer gives and withdraws it in the chat (time and channel recorded),
compliance reads the history, admin records answers given elsewhere, and the recommender
stops profiling at once when profiling consent is withdrawn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from database.engine import get_engine, session_factory
from recommender.catalogue import load_catalogue
from recommender.embeddings import MiniLMEncoder
from recommender.goals import GoalRequest
from recommender.recommender import Recommender, fit_segments
from recommender.results import NO_CONSENT_NOTICE
from recommender.settings import RecommenderSettings
from recommender.store_repository import StoreRepository
from recommender.vectors import FeatureBuilder
from simulation.population import reference_columns
from tests.service.compliance.conftest import login, start_conversation

FIRST_HOME = GoalRequest("save", 5000, 24, "low", 200, text="saving for a deposit on my first home")


def consents(client: TestClient, chat: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    response = client.get(f"/v1/conversations/{chat['id']}/consents", headers=chat["headers"])
    assert response.status_code == 200, response.text
    return {c["purpose"]: c for c in response.json()}


def test_the_customer_gives_and_withdraws_consent_in_the_chat(client: TestClient) -> None:
    web = start_conversation(client, "cus_003")
    given = client.put(
        f"/v1/conversations/{web['id']}/consents/marketing", json={"granted": True}, headers=web["headers"]
    )
    assert given.status_code == 200
    assert given.json()["granted"] and given.json()["channel"] == "web_chat" and given.json()["recorded_at"]
    app_chat = start_conversation(client, "cus_003", channel="app")
    client.put(
        f"/v1/conversations/{app_chat['id']}/consents/marketing",
        json={"granted": False},
        headers=app_chat["headers"],
    )
    now = consents(client, web)
    assert now["marketing"]["granted"] is False and now["marketing"]["channel"] == "app", (
        "the latest answer wins"
    )
    assert set(now) == {"profiling", "marketing"}

    history = client.get(
        "/v1/compliance/customers/cus_003/consents", headers=login(client, "compliance1")
    ).json()
    marketing = [(h["granted"], h["channel"]) for h in history["history"] if h["purpose"] == "marketing"]
    assert marketing[-2:] == [(True, "web_chat"), (False, "app")], "the history is kept"
    for bad in ({"granted": "maybe"}, {"granted": True, "channel": "web_chat"}, {}):
        assert (
            client.put(
                f"/v1/conversations/{web['id']}/consents/marketing", json=bad, headers=web["headers"]
            ).status_code
            == 422
        ), bad
    assert (
        client.put(
            f"/v1/conversations/{web['id']}/consents/selling_data",
            json={"granted": True},
            headers=web["headers"],
        ).status_code
        == 422
    )


def test_admin_records_an_answer_given_in_a_branch(client: TestClient) -> None:
    chat = start_conversation(client, "cus_004")
    recorded = client.post(
        "/v1/compliance/customers/cus_004/consents",
        json={"purpose": "profiling", "granted": False, "channel": "branch"},
        headers=login(client, "admin1"),
    )
    assert recorded.status_code == 201 and recorded.json()["channel"] == "branch"
    assert consents(client, chat)["profiling"] == recorded.json()
    assert (
        client.get(
            "/v1/compliance/customers/cus_nobody/consents", headers=login(client, "compliance1")
        ).status_code
        == 404
    )


@pytest.fixture(scope="module")
def recommender_parts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:  # type: ignore[type-arg]
    settings = RecommenderSettings(
        cache_dir=tmp_path_factory.mktemp("rec-cache"), reference_population=2000, segments_k=6
    )
    features = FeatureBuilder()
    no_customers = np.zeros((0, features.dim), dtype=np.float32)
    segments = fit_segments(no_customers, features, settings, reference_columns)
    yield settings, load_catalogue(), MiniLMEncoder(torch_threads=1), segments


def test_withdrawn_profiling_consent_stops_profile_based_recommendations(
    app: FastAPI,
    client: TestClient,
    compliance_database: str,
    recommender_parts: tuple,  # type: ignore[type-arg]
) -> None:
    settings, catalogue, encoder, segments = recommender_parts
    engine = get_engine(compliance_database)
    try:
        repository = StoreRepository(session_factory(engine), catalogue)
        recommender = Recommender.build(repository, settings, catalogue, encoder, segments)
        chat = start_conversation(client, "cus_005")
        path = f"/v1/conversations/{chat['id']}/consents/profiling"

        assert client.put(path, json={"granted": True}, headers=chat["headers"]).status_code == 200
        personal = recommender.recommend("cus_005", FIRST_HOME)
        assert personal.personalised and personal.notice is None

        assert client.put(path, json={"granted": False}, headers=chat["headers"]).status_code == 200
        general = recommender.recommend("cus_005", FIRST_HOME)
        assert not general.personalised and general.notice == NO_CONSENT_NOTICE
        assert general.segment is None and recommender.segment_of("cus_005") is None
        assert not any("finances like yours" in r for i in general.items for r in i.reasons)
    finally:
        engine.dispose()


def test_erasure_removes_consents_so_nothing_is_profiled(client: TestClient, tracker_db: Path) -> None:
    chat = start_conversation(client, "cus_006")
    client.put(
        f"/v1/conversations/{chat['id']}/consents/profiling", json={"granted": True}, headers=chat["headers"]
    )
    erased = client.post(
        "/v1/compliance/customers/cus_006/erase",
        json={"reason": "erasure request 9"},
        headers=login(client, "compliance1"),
    )
    assert erased.json()["deleted"]["consents"] >= 1
    fresh = start_conversation(client, "cus_006")
    assert {
        c["purpose"]: c["granted"]
        for c in client.get(f"/v1/conversations/{fresh['id']}/consents", headers=fresh["headers"]).json()
    } == {"profiling": False, "marketing": False}, "with no answer on record nothing is profiled"
