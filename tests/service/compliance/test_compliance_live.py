"""Compliance review on the running stack: Rasa's real SQL tracker store gives the intents,
and erasure and retention prune it, after which Rasa still answers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import create_engine, func, select, update

from bank.models import CustomerLogin
from bank.seed import add_customer, spec_of
from database.engine import get_engine, session_factory
from service.compliance.tracker_store import EVENTS
from service.models import Conversation, Message
from stack.identity_provider import USERS_FILE, add_user, demo_password
from stack.processes import Stack
from tests.support.chat import ChatClient
from tests.support.colleague import Colleague
from tests.support.store_scan import tables_mentioning

pytestmark = pytest.mark.stack

# Erased here, so a customer of its own: the demo bank's customers belong to every test on
# the shared stack (the journeys simulation among them).
ERASABLE = "cus_901"


def tracker_rows(stack: Stack, conversation_id: str) -> int:
    engine = create_engine(f"sqlite:///{stack.config.tracker_db_path}")
    try:
        with engine.connect() as connection:
            return int(
                connection.scalar(
                    select(func.count()).select_from(EVENTS).where(EVENTS.c.sender_id == conversation_id)
                )
                or 0
            )
    finally:
        engine.dispose()


def test_intents_come_from_rasas_tracker_store(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url, "cus_004")
    chat.say("hello")
    chat.say("what's my balance?")
    assert tracker_rows(stack, chat.id) > 0, "Rasa writes to the SQL tracker store"
    compliance = Colleague(stack.config.api_url, "compliance1")
    view = compliance.http.get(f"/v1/compliance/transcripts/{chat.id}").json()
    assert len(view["intents"]) >= 2, view["intents"]
    users = [m for m in view["messages"] if m["sender"] == "user"]
    assert all(m["intent"] for m in users), "each customer message carries the intent Rasa predicted"
    balance_intent = users[1]["intent"]
    found = compliance.http.get(
        "/v1/compliance/transcripts", params={"intent": balance_intent, "customer_id": "cus_004"}
    ).json()
    assert chat.id in {t["id"] for t in found["results"]}


@pytest.fixture
def erasable(stack: Stack) -> str:
    """A student like the demo bank's cus_006, added to the stack's database, with a login at
    the stack's identity provider (their id as login name)."""
    engine = get_engine(stack.config.database_url)
    subject = f"idp-{ERASABLE}"
    try:
        sessions = session_factory(engine)
        add_customer(sessions, replace(spec_of("cus_006"), id=ERASABLE, first_name="Sam"))
        with sessions.begin() as session:
            session.add(CustomerLogin(subject=subject, customer_id=ERASABLE))
    finally:
        engine.dispose()
    add_user(stack.config.idp_dir / USERS_FILE, ERASABLE, subject, demo_password(ERASABLE))
    return ERASABLE


def test_erasure_prunes_rasas_tracker_store_and_rasa_still_answers(stack: Stack, erasable: str) -> None:
    chat = ChatClient(stack.config.api_url, erasable)
    chat.send("my card number is 4916 3386 1247 0095 and my name is Harriet Okonkwo")
    chat.say("what's my balance?")
    assert tracker_rows(stack, chat.id) > 0
    admin = Colleague(stack.config.api_url, "admin1")
    report = admin.http.post(
        f"/v1/compliance/customers/{erasable}/erase", json={"reason": "erasure request LIVE-1"}
    )
    assert report.status_code == 200, report.text
    assert report.json()["tracker_store_reached"] and report.json()["deleted"]["rasa_tracker_events"] > 0
    assert tracker_rows(stack, chat.id) == 0
    assert tables_mentioning(stack.config.database_url, chat.id) == set()
    events = httpx.get(f"{stack.config.rasa_url}/conversations/{chat.id}/tracker",
                       params=stack.rasa_api_params, timeout=30).json()[
        "events"
    ]
    assert not [e for e in events if e["event"] == "user"], "Rasa has forgotten the conversation"
    again = ChatClient(stack.config.api_url, erasable)
    assert "£" in again.say("what's my balance?"), "the bot still works for the customer"


def test_retention_prunes_rasas_tracker_store(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url, "cus_005")
    chat.say("hello")
    then = datetime.now(UTC) - timedelta(days=90)
    service_db = create_engine(stack.config.database_url)
    tracker_db = create_engine(f"sqlite:///{stack.config.tracker_db_path}")
    try:
        with service_db.begin() as connection:
            connection.execute(update(Conversation).where(Conversation.id == chat.id).values(created_at=then))
            connection.execute(
                update(Message).where(Message.conversation_id == chat.id).values(created_at=then)
            )
        with tracker_db.begin() as connection:
            connection.execute(
                update(EVENTS).where(EVENTS.c.sender_id == chat.id).values(timestamp=then.timestamp())
            )
    finally:
        service_db.dispose()
        tracker_db.dispose()
    admin = Colleague(stack.config.api_url, "admin1")
    report = admin.http.post("/v1/compliance/retention", json={"days": 60}).json()
    assert report["conversations"] >= 1 and report["deleted"]["rasa_tracker_events"] > 0
    assert tracker_rows(stack, chat.id) == 0
    assert tables_mentioning(stack.config.database_url, chat.id) <= {"privacy_audit_log"}
