"""Retention and the right to be forgotten: nothing of the conversations left in any table,
the vault or the tracker store; core banking records and other customers untouched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, insert, select, update

from bank.models import Goal
from privacy.models import VaultEntry
from recommender.models import (
    CustomerFeatures,
    CustomerSegment,
    EqualityMonitoring,
    RecommendationEvent,
)
from service.compliance.tracker_store import EVENTS, RasaTrackerStore
from service.models import Conversation, Message
from stack.processes import ROOT
from tests.service.compliance.conftest import VAULT_KEY, login, queue_handoff, say, start_conversation, track
from tests.support.store_scan import tables_mentioning

# Tables that keep a customer's id on purpose after erasure: core banking records, and the
# audit log's "customer:<id>" target of the erasure itself.
KEPT_AFTER_ERASURE = {"customers", "customer_logins", "accounts", "holdings", "transfers",
                      "privacy_audit_log"}


def tracker_events(tracker_db: Path, conversation_ids: set[str]) -> int:
    store = RasaTrackerStore.from_location(str(tracker_db))
    try:
        return store.count(conversation_ids)
    finally:
        store.dispose()


def add_profiling_data(app: FastAPI, customer_id: str) -> None:
    """What the recommender and goals keep about a customer."""
    with app.state.engine.begin() as connection:
        connection.execute(
            insert(RecommendationEvent).values(
                rec_id=f"rec_{uuid.uuid4().hex[:12]}",
                customer_id=customer_id,
                product_id="sav_easy",
                event="shown",
                rank=1,
                score=0.5,
                goal_type="save",
                personalised=True,
            )
        )
        connection.execute(
            insert(Goal).values(
                id=f"goal_{uuid.uuid4().hex[:12]}",
                customer_id=customer_id,
                goal_type="save",
                target_amount=Decimal("5000"),
                horizon_months=12,
                risk_tolerance="low",
                monthly_budget=Decimal("200"),
            )
        )
        connection.execute(
            insert(EqualityMonitoring)
            .prefix_with("OR REPLACE")
            .values(customer_id=customer_id, gender="prefer_not")
        )
        connection.execute(
            insert(CustomerSegment)
            .prefix_with("OR REPLACE")
            .values(customer_id=customer_id, segment_id=1, name="savers", description="d", model_version="t")
        )
        connection.execute(
            insert(CustomerFeatures)
            .prefix_with("OR REPLACE")
            .values(
                customer_id=customer_id,
                monthly_income=Decimal(1),
                monthly_spend=Decimal(1),
                savings_rate=0.1,
                spending_by_category={},
                balance_current=Decimal(1),
                balance_savings=Decimal(1),
                balance_investments=Decimal(0),
                credit_debt=Decimal(0),
            )
        )


def test_erasure_reaches_every_store(
    app: FastAPI, client: TestClient, compliance: dict[str, str], tracker_db: Path, compliance_database: str
) -> None:
    customer = "cus_002"
    first = start_conversation(client, customer)
    said = say(client, first, "I'm Margaret Thornbury, card 4539 1488 0343 6467")
    track(tracker_db, first["id"], [(said["text"], "inform")])
    second = start_conversation(client, customer)
    say(client, second, "my IBAN is GB33 BUKB 2020 1555 5555 55")
    handoff_id = queue_handoff(app, second["id"], "complaint")
    agent = login(client, "agent1")
    assert client.post(f"/v1/agents/handoffs/{handoff_id}/claim", headers=agent).status_code == 200
    assert (
        client.post(
            f"/v1/agents/handoffs/{handoff_id}/messages",
            json={"text": "Let me check that IBAN."},
            headers=agent,
        ).status_code
        == 200
    )
    assert (
        client.post(
            f"/v1/agents/handoffs/{handoff_id}/notes", json={"text": "asked twice"}, headers=agent
        ).status_code
        == 201
    )
    track(tracker_db, second["id"], [("my IBAN is <IBAN_1>", "inform")])
    client.put(
        f"/v1/conversations/{first['id']}/consents/profiling",
        json={"granted": True},
        headers=first["headers"],
    )
    add_profiling_data(app, customer)
    other = start_conversation(client, "cus_005")
    say(client, other, "card 4556 7375 8658 3165 please")
    track(tracker_db, other["id"], [("card <CARD_1> please", "inform")])
    ids = {first["id"], second["id"]}
    assert tracker_events(tracker_db, ids) == 4

    held = client.get(
        "/v1/compliance/transcripts", params={"customer_id": customer}, headers=compliance
    ).json()["total"]
    assert held >= 2
    response = client.post(
        f"/v1/compliance/customers/{customer}/erase",
        json={"reason": "Erasure request ER-7 from Margaret Thornbury"},
        headers=compliance,
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["conversations"] == held and report["tracker_store_reached"]
    deleted = report["deleted"]
    assert deleted["conversations"] == held and deleted["messages"] >= 3 and deleted["handoffs"] == 1
    assert deleted["handoff_notes"] == 1 and deleted["handoff_events"] >= 1
    assert deleted["privacy_vault"] >= 3 and deleted["rasa_tracker_events"] == 4
    for table in (
        "recommendation_events",
        "goals",
        "equality_monitoring",
        "customer_segments",
        "customer_features",
        "consents",
    ):
        assert deleted[table] >= 1, table
    assert any("core banking" in k for k in report["kept"])

    for conversation_id in ids:
        assert tables_mentioning(compliance_database, conversation_id) == set(), conversation_id
        assert (
            client.get(f"/v1/compliance/transcripts/{conversation_id}", headers=compliance).status_code == 404
        )
    assert tables_mentioning(compliance_database, customer) <= KEPT_AFTER_ERASURE
    assert tracker_events(tracker_db, ids) == 0
    with app.state.engine.connect() as connection:
        assert (
            connection.scalar(select(func.count(VaultEntry.id)).where(VaultEntry.customer_id == customer))
            == 0
        )
    assert tracker_events(tracker_db, {other["id"]}) == 2, "another customer's tracker is untouched"
    assert client.get(f"/v1/compliance/transcripts/{other['id']}", headers=compliance).status_code == 200

    erasures = [
        e
        for e in client.get("/v1/compliance/audit", headers=compliance).json()
        if e["action"] == "erase_customer" and e["target"] == f"customer:{customer}"
    ]
    assert erasures and "Thornbury" not in erasures[-1]["reason"]
    assert client.get("/v1/compliance/audit/verify", headers=compliance).json()["valid"]
    again = client.post(
        f"/v1/compliance/customers/{customer}/erase",
        json={"reason": "repeat of ER-7"},
        headers=login(client, "admin1"),
    ).json()
    assert again["conversations"] == 0 and sum(again["deleted"].values()) == 0


def backdate(app: FastAPI, conversation_id: str, days: int) -> None:
    then = datetime.now(UTC) - timedelta(days=days)
    with app.state.engine.begin() as connection:
        connection.execute(
            update(Conversation).where(Conversation.id == conversation_id).values(created_at=then)
        )
        connection.execute(
            update(Message).where(Message.conversation_id == conversation_id).values(created_at=then)
        )
        connection.execute(
            update(VaultEntry).where(VaultEntry.conversation_id == conversation_id).values(created_at=then)
        )


@pytest.fixture
def aged(app: FastAPI, client: TestClient, tracker_db: Path) -> dict[str, Any]:
    """An old conversation (40 days idle), a recent one, a stray old tracker and vault entry."""
    old, recent = start_conversation(client, "cus_007"), start_conversation(client, "cus_007")
    say(client, old, "my sort code is 20-32-06 and account number 73849206")
    say(client, recent, "my sort code is 20-32-06 and account number 73849206")
    backdate(app, old["id"], 40)
    forty_days_ago = (datetime.now(UTC) - timedelta(days=40)).timestamp()
    track(tracker_db, old["id"], [("my sort code is <SORT_CODE_1>", "inform")], at=forty_days_ago)
    track(tracker_db, recent["id"], [("my sort code is <SORT_CODE_1>", "inform")])
    stray = f"conv_stray{uuid.uuid4().hex[:8]}"
    track(tracker_db, stray, [("hello", "greet")], at=forty_days_ago)
    with app.state.engine.begin() as connection:
        connection.execute(
            insert(VaultEntry).values(
                conversation_id=stray,
                customer_id=None,
                placeholder="<CARD_1>",
                entity_type="CARD",
                nonce=b"0" * 12,
                ciphertext=b"sealed",
                created_at=datetime.now(UTC) - timedelta(days=40),
            )
        )
    return {"old": old, "recent": recent, "stray": stray}


def test_retention_deletes_idle_conversations_everywhere(
    app: FastAPI,
    client: TestClient,
    compliance: dict[str, str],
    tracker_db: Path,
    compliance_database: str,
    aged: dict[str, Any],
) -> None:
    admin = login(client, "admin1")
    old, recent, stray = aged["old"]["id"], aged["recent"]["id"], aged["stray"]
    dry = client.post("/v1/compliance/retention", json={"days": 30, "dry_run": True}, headers=admin).json()
    assert dry["dry_run"] and dry["conversations"] >= 1 and dry["deleted"]["privacy_vault"] >= 2
    assert client.get(f"/v1/compliance/transcripts/{old}", headers=compliance).status_code == 200, "dry run"

    report = client.post("/v1/compliance/retention", json={"days": 30}, headers=admin).json()
    assert not report["dry_run"] and report["conversations"] >= 1
    assert report["deleted"]["rasa_tracker_events"] >= 4 and report["deleted"]["privacy_vault"] >= 3
    # Only the audit log keeps the ids (of what was viewed and erased): ids, never personal data.
    assert tables_mentioning(compliance_database, old) == {"privacy_audit_log"}
    assert tables_mentioning(compliance_database, stray) == set()
    assert tracker_events(tracker_db, {old, stray}) == 0
    assert tracker_events(tracker_db, {recent}) == 2
    assert client.get(f"/v1/compliance/transcripts/{recent}", headers=compliance).json()["placeholders"]
    entries = client.get("/v1/compliance/audit", params={"target": old}, headers=compliance).json()
    assert [e["action"] for e in entries][-1] == "erase_conversation"
    assert client.get("/v1/compliance/audit/verify", headers=compliance).json()["valid"]


def test_retention_from_the_command_line(
    app: FastAPI, client: TestClient, tracker_db: Path, compliance_database: str
) -> None:
    old = start_conversation(client, "cus_007")
    say(client, old, "call me on 07700 900461")
    backdate(app, old["id"], 400)
    env = {
        **os.environ,
        "DATABASE_URL": compliance_database,
        "RASA_TRACKER_DB": str(tracker_db),
        "PRIVACY_VAULT_KEY": VAULT_KEY,
    }
    command = [sys.executable, "-m", "service.compliance", "retention", "--days", "365"]
    dry = subprocess.run(
        [*command, "--dry-run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert dry.returncode == 0, dry.stderr[-2000:]
    assert json.loads(dry.stdout)["conversations"] == 1
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["conversations"] == 1 and report["deleted"]["messages"] == 1
    assert tables_mentioning(compliance_database, old["id"]) == {"privacy_audit_log"}
    bad = subprocess.run([*command[:-1], "0"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert bad.returncode != 0 and "--days" in bad.stderr
    verify = subprocess.run(
        [sys.executable, "-m", "service.compliance", "verify-audit"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert verify.returncode == 0 and json.loads(verify.stdout)["valid"]


def test_tracker_store_that_does_not_exist_yet(tmp_path: Path) -> None:
    store = RasaTrackerStore.from_location(str(tmp_path / "nowhere.db"))
    assert not store.exists() and store.erase({"conv_x"}) == 0 and store.utterances("conv_x") == []
    assert store.intents_by_conversation({"conv_x"}) == {"conv_x": []} and store.idle_since(1e12) == set()
    assert not (tmp_path / "nowhere.db").exists(), "reading never creates Rasa's database"
    engine = create_engine(f"sqlite:///{tmp_path / 'rasa.db'}")
    EVENTS.metadata.create_all(engine)
    engine.dispose()
    assert RasaTrackerStore.from_location(f"sqlite:///{tmp_path / 'rasa.db'}").exists()
