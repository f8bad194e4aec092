"""The handoff store on SQLite and on the real PostgreSQL: queue order, one claim out of two,
second close refused, relayed messages, and transcript sequence numbers that stay unique and
contiguous when the customer, the agent and the system write at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from service.errors import ServiceError
from service.handoff.errors import AlreadyClaimed, HandoffEnded
from service.handoff.policy import Priority
from service.handoff.schemas import Goal, PacketCore
from service.handoff.store import CLOSED, RESOLVED, HandoffStore
from service.handoff.triggers import TriggerHit
from service.staff.roles import Role
from service.staff.schemas import StaffPublic
from service.staff.store import StaffStore
from service.transcripts import TranscriptStore
from tests.service.handoff.conftest import note, open_one


@pytest.fixture(scope="module")
def people(sessions: sessionmaker[Session]) -> dict[str, StaffPublic]:
    staff = StaffStore(sessions, scrypt_log2_n=10)
    for username, role in (("agent1", Role.AGENT), ("agent2", Role.AGENT), ("admin1", Role.ADMIN)):
        staff.ensure_user(username, username.title(), role, "pw")
    return {u: staff.get(u) for u in ("agent1", "agent2", "admin1")}  # type: ignore[misc]


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> HandoffStore:
    return HandoffStore(sessions)


def test_queue_order_and_positions(store: HandoffStore, sessions: sessionmaker[Session]) -> None:
    for handoff in store.queue():
        store.end(
            handoff.id,
            StaffPublic(id=0, username="x", display_name="x", role=Role.ADMIN),
            CLOSED,
            note("closed"),
        )
    low, _ = open_one(store, sessions, "form_loop", Priority.LOW)
    normal, _ = open_one(store, sessions, "complaint", Priority.NORMAL)
    urgent, _ = open_one(store, sessions, "fraud", Priority.URGENT)
    normal2, _ = open_one(store, sessions, "complaint", Priority.NORMAL)
    assert [(h.id, h.position) for h in store.queue()] == [(urgent, 1), (normal, 2), (normal2, 3), (low, 4)]


def test_one_open_handoff_per_conversation(store: HandoffStore, sessions: sessionmaker[Session]) -> None:
    _, conversation_id = open_one(store, sessions)
    hit = TriggerHit("fraud", "fraud", Priority.URGENT, "again")
    core = PacketCore(summary="s", triggers=[], goal=Goal(), intents=[])
    assert store.open_handoff(conversation_id, [hit], core, datetime.now(UTC), None, note("q")) is None
    assert store.fired_reasons(conversation_id) == {"complaint"}


def test_one_claim_out_of_two(
    store: HandoffStore, sessions: sessionmaker[Session], people: dict[str, StaffPublic]
) -> None:
    handoff_id, _ = open_one(store, sessions)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def claim(who: str) -> None:
        barrier.wait()
        try:
            store.claim(handoff_id, people[who], note(f"{who} joined"))
            outcomes.append("claimed")
        except AlreadyClaimed:
            outcomes.append("conflict")

    threads = [threading.Thread(target=claim, args=(who,)) for who in ("agent1", "agent2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["claimed", "conflict"]


def test_second_close_is_refused_and_changes_nothing(
    store: HandoffStore, sessions: sessionmaker[Session], people: dict[str, StaffPublic]
) -> None:
    handoff_id, conversation_id = open_one(store, sessions)
    store.claim(handoff_id, people["agent1"], note("joined"))
    store.end(handoff_id, people["agent1"], RESOLVED, note("resolved"))
    before = TranscriptStore(sessions).transcript(conversation_id).messages
    with pytest.raises(HandoffEnded) as refused:
        store.end(handoff_id, people["agent1"], CLOSED, note("closed"))
    assert refused.value.details["status"] == RESOLVED
    assert TranscriptStore(sessions).transcript(conversation_id).messages == before
    assert store.get(handoff_id)[0].status == RESOLVED


def test_relay_marks_the_message_and_adds_the_notice(
    store: HandoffStore, sessions: sessionmaker[Session]
) -> None:
    _, conversation_id = open_one(store, sessions)
    transcripts = TranscriptStore(sessions)
    stored, _ = transcripts.add_user_message(conversation_id, "hello?", None, None)
    relayed = store.relay(conversation_id, stored.seq, note("nobody online"))
    assert relayed is not None and relayed[1] is not None
    assert relayed[1].seq == stored.seq + 1 and relayed[1].text == "nobody online"
    assert transcripts.pending(conversation_id) == []
    assert transcripts.transcript(conversation_id).messages[-2].status == "relayed"


def test_concurrent_writers_keep_sequence_numbers_contiguous(
    store: HandoffStore, sessions: sessionmaker[Session], people: dict[str, StaffPublic]
) -> None:
    handoff_id, conversation_id = open_one(store, sessions)
    store.claim(handoff_id, people["agent1"], note("joined"))
    errors: list[Exception] = []

    def agent() -> None:
        for n in range(15):
            try:
                store.add_agent_message(handoff_id, people["agent1"], f"agent {n}")
            except ServiceError as exc:  # pragma: no cover - the assertion below reports it
                errors.append(exc)

    def system() -> None:
        for n in range(15):
            store.add_bot_messages(conversation_id, [{"text": f"system {n}", "status": "sent"}])

    def customer() -> None:
        transcripts = TranscriptStore(sessions)
        for n in range(15):
            transcripts.add_user_message(conversation_id, f"customer {n}", None, None)

    threads = [threading.Thread(target=f) for f in (agent, system, customer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    seqs = [m.seq for m in TranscriptStore(sessions).transcript(conversation_id).messages]
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) == 2 + 45
