"""The compliance queries on PostgreSQL (the production database): search, view, reveal,
export, erasure and retention, with the audit chain intact afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, update

from service.main import create_app
from service.models import Conversation, Message
from stack.processes import prepare_database
from tests.service.compliance.conftest import VAULT_KEY, login, say, start_conversation, track
from tests.support.app import settings_for
from tests.support.databases import throwaway_database
from tests.support.store_scan import tables_mentioning

pytestmark = pytest.mark.postgres

@pytest.fixture(scope="module")
def postgres_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with throwaway_database("postgres", tmp_path_factory.mktemp("pg"), "compliance") as url:
        prepare_database(url)
        yield url


@pytest.fixture
def pg_client(
    postgres_database: str, tracker_db: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    monkeypatch.setenv("RASA_TRACKER_DB", str(tracker_db))
    monkeypatch.setenv("PRIVACY_VAULT_KEY", VAULT_KEY)
    with TestClient(create_app(settings_for(postgres_database))) as client:
        yield client


def test_review_erasure_and_retention_on_postgres(
    pg_client: TestClient, postgres_database: str, tracker_db: Path
) -> None:
    client = pg_client
    compliance, admin = login(client, "compliance1"), login(client, "admin1")
    card = start_conversation(client, "cus_002")
    said = say(client, card, "my card is 4539 1488 0343 6467")
    track(tracker_db, card["id"], [(said["text"], "report_lost_card")])
    old = start_conversation(client, "cus_003")
    say(client, old, "call me on 07700 900461")

    found = client.get(
        "/v1/compliance/transcripts",
        params={
            "entity_type": "CARD",
            "intent": "report_lost_card",
            "escalated": False,
            "since": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
        },
        headers=compliance,
    ).json()
    assert [t["id"] for t in found["results"]] == [card["id"]]
    view = client.get(f"/v1/compliance/transcripts/{card['id']}", headers=compliance).json()
    assert view["messages"][0]["entities"][0]["placeholder"] == "<CARD_1>"
    revealed = client.post(
        f"/v1/compliance/transcripts/{card['id']}/reveal",
        json={"placeholder": "<CARD_1>", "reason": "fraud case PG-1"},
        headers=compliance,
    )
    assert revealed.json()["value"] == "4539 1488 0343 6467"
    export = client.get(
        "/v1/compliance/export", params={"format": "jsonl", "customer_id": "cus_002"}, headers=compliance
    )
    assert export.status_code == 200 and card["id"] in export.text

    erased = client.post(
        "/v1/compliance/customers/cus_002/erase", json={"reason": "erasure PG-2"}, headers=compliance
    ).json()
    assert erased["conversations"] >= 1 and erased["deleted"]["rasa_tracker_events"] >= 2
    assert tables_mentioning(postgres_database, card["id"]) <= {"privacy_audit_log"}

    then = datetime.now(UTC) - timedelta(days=40)
    engine = create_engine(postgres_database)
    with engine.begin() as connection:
        connection.execute(update(Conversation).where(Conversation.id == old["id"]).values(created_at=then))
        connection.execute(
            update(Message).where(Message.conversation_id == old["id"]).values(created_at=then)
        )
    engine.dispose()
    report = client.post("/v1/compliance/retention", json={"days": 30}, headers=admin).json()
    assert report["conversations"] == 1 and report["deleted"]["messages"] == 1
    assert client.get(f"/v1/compliance/transcripts/{old['id']}", headers=compliance).status_code == 404
    assert client.get("/v1/compliance/audit/verify", headers=compliance).json()["valid"]
