"""Skill-based routing in the handoff store, on SQLite and on the real PostgreSQL: the skill a
handoff waits for, who may claim it before and after it is widened, the concurrent-chat limit
(also under concurrent claims), busy and away colleagues, and the customer's place and
estimated wait."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from service.handoff.errors import AlreadyClaimed, AtCapacity, ColleagueUnavailable, NotOffered
from service.handoff.models import Handoff, HandoffEvent
from service.handoff.policy import Priority, Routing, WaitEstimate
from service.handoff.store import CLOSED, QUEUED, HandoffStore
from service.staff.availability import Availability
from service.staff.roles import Role
from service.staff.schemas import StaffPublic
from service.staff.store import StaffStore
from tests.service.handoff.conftest import note, open_one

ROUTING = Routing(
    skills=("general", "cards_and_fraud", "lending", "vulnerable_customers"),
    reasons={"fraud": "cards_and_fraud", "vulnerability": "vulnerable_customers", "arrears": "lending"},
    widen_after_s=120,
    wait_estimate=WaitEstimate(recent=5, min_history=3, default_s=180),
)


@pytest.fixture
def store(sessions: sessionmaker[Session], engine: Engine) -> HandoffStore:
    """The store with the test's routing, on an empty queue."""
    with engine.begin() as connection:
        connection.execute(
            update(Handoff).where(Handoff.status.in_(("queued", "assigned"))).values(status=CLOSED)
        )
    return HandoffStore(sessions, ROUTING)


@pytest.fixture
def colleague(sessions: sessionmaker[Session]) -> Callable[..., StaffPublic]:
    """Makes a new agent with the given skills and concurrent-chat limit."""
    staff = StaffStore(sessions, scrypt_log2_n=10)

    def make(*skills: str, max_chats: int = 3) -> StaffPublic:
        username = f"a{uuid.uuid4().hex[:10]}"
        staff.ensure_user(username, username, Role.AGENT, "pw", skills or ("general",), max_chats)
        found = staff.get(username)
        assert found is not None
        return found

    return make


def age(engine: Engine, handoff_id: str, seconds: float) -> None:
    """Move the handoff's queueing time ``seconds`` into the past."""
    with engine.begin() as connection:
        connection.execute(
            update(Handoff)
            .where(Handoff.id == handoff_id)
            .values(queued_at=datetime.now(UTC) - timedelta(seconds=seconds))
        )


def test_each_reason_is_routed_to_its_skill(store: HandoffStore, sessions: sessionmaker[Session]) -> None:
    fraud, _ = open_one(store, sessions, "fraud", Priority.URGENT)
    unknown, _ = open_one(store, sessions, "something_new")
    assert store.get(fraud)[0].skill == "cards_and_fraud"
    assert store.get(unknown)[0].skill == "general", "a reason the routing does not list needs general"


def test_only_the_skill_is_offered_it_until_it_widens(
    store: HandoffStore, sessions: sessionmaker[Session], engine: Engine,
    colleague: Callable[..., StaffPublic],
) -> None:
    handoff_id, _ = open_one(store, sessions, "vulnerability", Priority.URGENT)
    generalist, specialist = colleague("general"), colleague("general", "vulnerable_customers")
    assert [h.id for h in store.offers(specialist.id)] == [handoff_id]
    assert store.offers(generalist.id) == []
    with pytest.raises(NotOffered) as refused:
        store.claim(handoff_id, generalist, note("joined"))
    assert refused.value.details["skill"] == "vulnerable_customers"
    assert store.get(handoff_id)[0].status == QUEUED, "a refused claim changes nothing"

    age(engine, handoff_id, ROUTING.widen_after_s + 1)
    assert store.get(handoff_id)[0].open_to_all
    assert [h.id for h in store.offers(generalist.id)] == [handoff_id]
    assert store.claim(handoff_id, generalist, note("joined"))[0].assigned_to == generalist


def test_a_colleague_at_their_limit_cannot_claim_more(
    store: HandoffStore, sessions: sessionmaker[Session], colleague: Callable[..., StaffPublic],
) -> None:
    agent = colleague("general", max_chats=1)
    first, _ = open_one(store, sessions)
    second, _ = open_one(store, sessions)
    store.claim(first, agent, note("joined"))
    assert store.offers(agent.id) == [], "nothing is offered to a colleague at their limit"
    with pytest.raises(AtCapacity) as refused:
        store.claim(second, agent, note("joined"))
    assert refused.value.status_code == 409
    assert refused.value.details == {"active_chats": 1, "max_chats": 1}
    assert store.claim(first, agent, note("joined again"))[1] is None, "their own again: no change"
    assert store.get(second)[0].status == QUEUED


def test_concurrent_claims_never_pass_the_limit(
    store: HandoffStore, sessions: sessionmaker[Session], colleague: Callable[..., StaffPublic],
) -> None:
    agent = colleague("general", max_chats=1)
    handoffs = [open_one(store, sessions)[0] for _ in range(2)]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def claim(handoff_id: str) -> None:
        barrier.wait()
        try:
            store.claim(handoff_id, agent, note("joined"))
            outcomes.append("claimed")
        except AtCapacity:
            outcomes.append("at_capacity")

    threads = [threading.Thread(target=claim, args=(h,)) for h in handoffs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["at_capacity", "claimed"]
    assert store.active_chats(agent.id) == 1


def test_two_colleagues_claiming_one_handoff_get_one_claim(
    store: HandoffStore, sessions: sessionmaker[Session], colleague: Callable[..., StaffPublic],
) -> None:
    handoff_id, _ = open_one(store, sessions)
    first, second = colleague("general"), colleague("general")
    store.claim(handoff_id, first, note("joined"))
    with pytest.raises(AlreadyClaimed) as refused:
        store.claim(handoff_id, second, note("joined"))
    assert refused.value.status_code == 409 and refused.value.details["claimed_by"] == first.display_name


@pytest.mark.parametrize("availability", [Availability.BUSY, Availability.AWAY])
def test_busy_and_away_colleagues_are_offered_nothing(
    store: HandoffStore, sessions: sessionmaker[Session], colleague: Callable[..., StaffPublic],
    availability: Availability,
) -> None:
    handoff_id, _ = open_one(store, sessions)
    agent = colleague("general")
    staff = StaffStore(sessions, scrypt_log2_n=10)
    staff.set_availability(agent.id, availability)
    assert store.offers(agent.id) == []
    with pytest.raises(ColleagueUnavailable):
        store.claim(handoff_id, agent, note("joined"))
    staff.set_availability(agent.id, Availability.AVAILABLE)
    assert store.claim(handoff_id, agent, note("joined"))[0].status == "assigned"


def test_the_customer_place_counts_only_their_skill(
    store: HandoffStore, sessions: sessionmaker[Session], colleague: Callable[..., StaffPublic],
) -> None:
    fraud1, conversation1 = open_one(store, sessions, "fraud")
    _, general = open_one(store, sessions, "complaint", Priority.URGENT)
    _, conversation2 = open_one(store, sessions, "fraud")
    places = {cid: state.position for cid, state in store.queued_states()}
    assert places == {conversation1: 1, general: 1, conversation2: 2}
    state = store.customer_state(conversation2)
    assert state is not None and state.estimated_wait_s == 2 * 180, "no history: the default per place"

    store.claim(fraud1, colleague("cards_and_fraud"), note("joined"))
    assert store.customer_state(conversation2).position == 1  # type: ignore[union-attr]
    joined = store.customer_state(conversation1)
    assert joined is not None and joined.status == "assigned" and joined.position is None and joined.agent


def test_the_estimated_wait_is_the_median_of_recent_waits(
    store: HandoffStore, sessions: sessionmaker[Session], engine: Engine,
    colleague: Callable[..., StaffPublic],
) -> None:
    agent = colleague("general", "lending", max_chats=10)
    for waited in (30, 60, 600):  # claimed after these many seconds in the queue
        handoff_id, _ = open_one(store, sessions, "arrears")
        store.claim(handoff_id, agent, note("joined"))
        claimed_at = datetime.now(UTC)
        with engine.begin() as connection:
            connection.execute(
                update(Handoff).where(Handoff.id == handoff_id)
                .values(queued_at=claimed_at - timedelta(seconds=waited))
            )
            connection.execute(
                update(HandoffEvent)
                .where(HandoffEvent.handoff_id == handoff_id, HandoffEvent.kind == "claimed")
                .values(created_at=claimed_at)
            )
    _, first = open_one(store, sessions, "arrears")
    _, second = open_one(store, sessions, "arrears")
    assert store.customer_state(first).estimated_wait_s == 60  # type: ignore[union-attr]
    assert store.customer_state(second).estimated_wait_s == 120  # type: ignore[union-attr]
