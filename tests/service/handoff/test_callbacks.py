"""Choices while waiting, through the API in-process on a real SQLite database with the bot
down and nobody online: the queued notice's buttons, callback slots, booking (consent, every
refused slot, one open callback), colleagues' list, and leaving a message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from bank.enums import CardStatus
from bank.store import ProfileStore
from database.engine import session_factory
from service.handoff.models import Callback
from service.handoff.policy import Priority
from tests.service.handoff.conftest import login, queue_handoff, start_conversation


def error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()["error"]


@pytest.fixture
def no_callbacks(app: FastAPI, empty_queue: None) -> None:
    """Every callback booked by an earlier test is done, so each customer may book again."""
    with app.state.engine.begin() as connection:
        connection.execute(update(Callback).where(Callback.status == "booked").values(status="done"))


@pytest.fixture
def waiting(app: FastAPI, client: TestClient, no_callbacks: None) -> tuple[str, dict[str, Any]]:
    """A signed-in customer (cus_001) waiting in the queue: (handoff id, conversation)."""
    customer = start_conversation(client, "cus_001")
    return queue_handoff(app, customer["id"], "complaint"), customer


def slots(client: TestClient, customer: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.get(f"/v1/conversations/{customer['id']}/callback-slots", headers=customer["headers"])
    assert response.status_code == 200, response.text
    return response.json()["slots"]


def book(client: TestClient, customer: dict[str, Any], body: dict[str, Any]) -> Any:
    url = f"/v1/conversations/{customer['id']}/callbacks"
    return client.post(url, headers=customer["headers"], json=body)


def book_at(client: TestClient, customer: dict[str, Any], start: str, **extra: Any) -> Any:
    """Book ``start`` with the customer's consent (``extra`` fields added or overriding)."""
    return book(client, customer, {"slot_start": start, "consent_to_call": True, **extra})


def leave_message(client: TestClient, customer: dict[str, Any]) -> Any:
    url = f"/v1/conversations/{customer['id']}/handoff/message-left"
    return client.post(url, headers=customer["headers"])


def transcript(client: TestClient, customer: dict[str, Any]) -> list[dict[str, Any]]:
    return client.get(f"/v1/conversations/{customer['id']}", headers=customer["headers"]).json()["messages"]


def test_the_queued_notice_offers_choices_when_nobody_is_online(app: FastAPI, client: TestClient,
                                                                   no_callbacks: None) -> None:
    notice = app.state.handoff._queued_notice(2, 60, "complaint")  # noqa: SLF001 - the notice itself
    choices = notice.custom["system"]["choices"]
    assert [c["title"] for c in choices] == ["Book a callback", "Leave a message", "Back to the assistant"]
    assert "number 2 in the queue" in notice.text and "book a callback" in notice.text


def test_an_urgent_notice_says_what_to_do_now_and_keeps_the_place(app: FastAPI) -> None:
    notice = app.state.handoff._queued_notice(1, 60, "fraud", card_frozen=True)  # noqa: SLF001
    fraud_line = app.state.handoff.policy.waiting.fraud_line
    assert fraud_line in notice.text and "already frozen" in notice.text
    assert "choices" not in notice.custom["system"] and notice.custom["system"]["fraud_line"] == fraud_line


def test_the_urgent_notice_knows_when_the_cards_are_already_frozen(app: FastAPI) -> None:
    handoff, cards = app.state.handoff, ProfileStore(session_factory(app.state.engine))
    assert not handoff._cards_frozen("cus_001")  # noqa: SLF001 - what the notice is told
    for card in cards.cards("cus_001"):
        if card.status == CardStatus.ACTIVE:
            cards.freeze_card("cus_001", card.id)
    assert handoff._cards_frozen("cus_001")  # noqa: SLF001
    assert not handoff._cards_frozen(None) and not handoff._cards_frozen("cus_unknown")  # noqa: SLF001


def test_slots_are_inside_opening_hours(app: FastAPI, client: TestClient,
                                        waiting: tuple[str, dict[str, Any]]) -> None:
    _, customer = waiting
    offered = slots(client, customer)
    hours = app.state.handoff.policy.opening_hours
    assert offered, "three working days always have slots"
    starts = [datetime.fromisoformat(s["start"]) for s in offered]
    assert starts == sorted(starts) and starts[0] > datetime.now(UTC)
    for slot, start in zip(offered, starts, strict=True):
        end = datetime.fromisoformat(slot["end"])
        assert end - start == timedelta(minutes=30) and hours.within(start, end)
    assert len({s.date() for s in starts}) <= 3


def test_booking_a_callback(app: FastAPI, client: TestClient, waiting: tuple[str, dict[str, Any]]) -> None:
    handoff_id, customer = waiting
    slot = slots(client, customer)[0]
    response = book_at(client, customer, slot["start"])
    assert response.status_code == 201, response.text
    booked = response.json()
    assert booked["label"] == slot["label"] and booked["handoff_id"] == handoff_id
    assert datetime.fromisoformat(booked["slot_start"]) == datetime.fromisoformat(slot["start"])
    assert datetime.now(UTC) - datetime.fromisoformat(booked["consent_at"]) < timedelta(minutes=1)
    told = transcript(client, customer)[-1]
    assert told["text"].startswith(f"We'll call you on {slot['label']}, on the number we hold for you")
    assert told["custom"]["system"]["event"] == "callback_booked"
    agent = login(client, "agent1")
    assert handoff_id not in [h["id"] for h in client.get("/v1/agents/queue", headers=agent).json()]
    packet = client.get(f"/v1/agents/handoffs/{handoff_id}", headers=agent).json()
    assert "callback_booked" in [e["kind"] for e in packet["events"]]
    for colleague in ("agent1", "supervisor1"):
        listed = client.get("/v1/agents/callbacks", headers=login(client, colleague)).json()
        assert booked["id"] in [c["id"] for c in listed]
    again = book_at(client, customer, slots(client, customer)[1]["start"])
    assert error(again, 409)["code"] == "callback_already_booked"


def test_an_urgent_handoff_keeps_its_place_with_a_callback(app: FastAPI, client: TestClient,
                                                          no_callbacks: None) -> None:
    customer = start_conversation(client, "cus_001")
    handoff_id = queue_handoff(app, customer["id"], "fraud", Priority.URGENT)
    slot = slots(client, customer)[0]
    assert book_at(client, customer, slot["start"]).status_code == 201
    queue = client.get("/v1/agents/queue", headers=login(client, "agent1")).json()
    assert [h["position"] for h in queue if h["id"] == handoff_id] == [1]
    told = transcript(client, customer)[-1]
    assert "keep your place in the queue" in told["text"]
    assert told["custom"]["system"]["event"] == "callback_booked_waiting"


def _refused_slots(app: FastAPI, first: datetime) -> dict[str, str]:
    hours = app.state.handoff.policy.opening_hours
    local = hours.local(first)
    sunday = local + timedelta(days=(6 - local.weekday()) or 7)
    return {
        "slot_in_past": (first - timedelta(days=1)).isoformat(),
        "slot_outside_hours": sunday.replace(hour=10, minute=0).isoformat(),
        "slot_not_boundary": (first + timedelta(minutes=10)).isoformat(),
        "slot_too_far": next(w[0] for w in hours.windows(first + timedelta(days=14))).isoformat(),
        "slot_malformed": "next tuesday",
    }


def test_bad_bookings_are_refused_with_a_clear_code(app: FastAPI, client: TestClient,
                                                     waiting: tuple[str, dict[str, Any]]) -> None:
    handoff_id, customer = waiting
    first = slots(client, customer)[0]["start"]
    for code, start in _refused_slots(app, datetime.fromisoformat(first)).items():
        assert error(book_at(client, customer, start), 422)["code"] == code, start
    assert error(book_at(client, customer, first[:19]),
                 422)["code"] == "slot_malformed", "a time without its offset is ambiguous"
    for consent in ({}, {"consent_to_call": False}):
        refused = book(client, customer, {"slot_start": first, **consent})
        assert error(refused, 422)["code"] == "consent_required"
    assert error(book_at(client, customer, first, consent_to_call="yes"),
                 422)["code"] == "invalid_request"
    assert error(book_at(client, customer, first, phone="07700900123"),
                 422)["code"] == "invalid_request", "no phone number is taken in chat"
    queue = client.get("/v1/agents/queue", headers=login(client, "agent1")).json()
    assert handoff_id in [h["id"] for h in queue], "nothing was booked"


def test_booking_needs_a_signed_in_customer_who_is_waiting(app: FastAPI, client: TestClient,
                                                           no_callbacks: None) -> None:
    anonymous = start_conversation(client, None)
    queue_handoff(app, anonymous["id"])
    first = slots(client, anonymous)[0]["start"]
    assert error(book_at(client, anonymous, first), 403)["code"] == (
        "sign_in_required"
    )
    idle = start_conversation(client, "cus_001")
    assert error(book_at(client, idle, first), 409)["code"] == "not_waiting"
    assert error(client.get(f"/v1/conversations/{idle['id']}/callback-slots"), 401)


def test_a_full_slot_is_not_offered_and_not_booked(app: FastAPI, client: TestClient, no_callbacks: None,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    store = app.state.callbacks.store
    policy = store.policy
    monkeypatch.setattr(store, "policy", policy.model_copy(
        update={"callbacks": policy.callbacks.model_copy(update={"per_slot": 1})}))
    first, second = start_conversation(client, "cus_001"), start_conversation(client, "cus_002")
    queue_handoff(app, first["id"])
    queue_handoff(app, second["id"])
    slot = slots(client, first)[0]
    assert book_at(client, first, slot["start"]).status_code == 201
    assert slot["start"] not in [s["start"] for s in slots(client, second)]
    assert error(book_at(client, second, slot["start"]), 409)["code"] == (
        "slot_full"
    )


def test_callbacks_are_for_agents_and_supervisors(client: TestClient) -> None:
    assert error(client.get("/v1/agents/callbacks", headers=login(client, "compliance1")), 403)["code"] == (
        "role_required"
    )
    assert error(client.get("/v1/agents/callbacks"), 401)


def test_callbacks_are_listed_by_slot(app: FastAPI, client: TestClient, no_callbacks: None) -> None:
    later, sooner = start_conversation(client, "cus_001"), start_conversation(client, "cus_002")
    queue_handoff(app, later["id"])
    queue_handoff(app, sooner["id"])
    offered = slots(client, later)
    assert book_at(client, later, offered[2]["start"]).status_code == 201
    assert book_at(client, sooner, offered[0]["start"]).status_code == 201
    listed = client.get("/v1/agents/callbacks", headers=login(client, "agent1")).json()
    order = [c["conversation_id"] for c in listed]
    assert order.index(sooner["id"]) < order.index(later["id"])
    starts = [datetime.fromisoformat(c["slot_start"]) for c in listed]
    assert starts == sorted(starts)


def test_leaving_a_message_stops_the_nobody_online_replies(
    app: FastAPI, client: TestClient, waiting: tuple[str, dict[str, Any]]
) -> None:
    handoff_id, customer = waiting
    url = f"/v1/conversations/{customer['id']}/messages"
    before = client.post(url, headers=customer["headers"], json={"text": "hello?"}).json()
    assert "No colleague is online" in before["replies"][0]["text"]
    left = leave_message(client, customer)
    assert left.status_code == 200, left.text
    told = transcript(client, customer)[-1]
    assert told["custom"]["system"]["event"] == "message_left" and "will answer" in told["text"]
    assert [c["title"] for c in told["custom"]["system"]["choices"]] == ["Back to the assistant"]
    hours = app.state.handoff.policy.opening_hours
    if not hours.is_open(datetime.now(UTC)):
        assert datetime.fromisoformat(left.json()["answer_by"]) == hours.next_opening(datetime.now(UTC))
    after = client.post(url, headers=customer["headers"], json={"text": "my card payment was taken twice"})
    assert after.status_code == 200 and after.json()["replies"] == []
    kept = [m for m in transcript(client, customer) if m["text"] == "my card payment was taken twice"]
    assert kept[0]["status"] == "relayed", "kept for the colleague"
    queue = client.get("/v1/agents/queue", headers=login(client, "agent1")).json()
    assert handoff_id in [h["id"] for h in queue], "it stays for colleagues"
    again = leave_message(client, customer)
    assert again.status_code == 200 and transcript(client, customer)[-1]["text"] == kept[0]["text"]


def test_leaving_a_message_needs_a_waiting_handoff(client: TestClient, no_callbacks: None) -> None:
    idle = start_conversation(client, "cus_001")
    assert error(leave_message(client, idle), 409)["code"] == "not_waiting"


def complete(client: TestClient, headers: dict[str, str], callback_id: str, body: dict[str, Any]) -> Any:
    return client.post(f"/v1/agents/callbacks/{callback_id}/complete", headers=headers, json=body)


def outcomes(client: TestClient, outcome: str) -> float:
    """The callback outcomes counted on /metrics so far."""
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(f'handoff_callback_outcomes_total{{outcome="{outcome}"}}'):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.fixture
def booked(client: TestClient, waiting: tuple[str, dict[str, Any]]) -> tuple[str, str]:
    """A callback booked by a waiting customer: (handoff id, callback id)."""
    handoff_id, customer = waiting
    response = book_at(client, customer, slots(client, customer)[0]["start"])
    assert response.status_code == 201, response.text
    assert response.json()["reason_label"] == "complaint"
    return handoff_id, response.json()["id"]


def test_a_colleague_marks_a_callback_called(client: TestClient, booked: tuple[str, str]) -> None:
    handoff_id, callback_id = booked
    agent = login(client, "agent1")
    before = outcomes(client, "called")
    response = complete(client, agent, callback_id,
                        {"outcome": "called", "note": "Rang back; card 4111 1111 1111 1111 now blocked"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "called" and response.json()["reason_label"] == "complaint"
    assert callback_id not in [c["id"] for c in client.get("/v1/agents/callbacks", headers=agent).json()]
    packet = client.get(f"/v1/agents/handoffs/{handoff_id}", headers=agent).json()
    done = [e for e in packet["events"] if e["kind"] == "callback_called"]
    assert len(done) == 1 and done[0]["actor"]["username"] == "agent1"
    assert datetime.now(UTC) - datetime.fromisoformat(done[0]["at"]) < timedelta(minutes=1)
    notes = [n["text"] for n in packet["notes"]]
    assert len(notes) == 1 and notes[0].startswith("Rang back; card ") and "<" in notes[0]
    assert "4111 1111" not in str(packet), "the note passes the privacy layer"
    assert outcomes(client, "called") == before + 1


@pytest.mark.parametrize(("colleague", "outcome", "event"), [
    ("supervisor1", "no_answer", "callback_missed"), ("admin1", "cancelled", "callback_cancel"),
])
def test_each_outcome_is_kept_once(client: TestClient, booked: tuple[str, str], colleague: str, outcome: str,
                                   event: str) -> None:
    handoff_id, callback_id = booked
    headers = login(client, colleague)
    response = complete(client, headers, callback_id, {"outcome": outcome})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == outcome
    again = complete(client, headers, callback_id, {"outcome": "called"})
    assert error(again, 409)["code"] == "callback_completed"
    packet = client.get(f"/v1/agents/handoffs/{handoff_id}", headers=login(client, "agent1")).json()
    assert [e["kind"] for e in packet["events"]].count(event) == 1 and packet["notes"] == []


def test_completing_refuses_bad_input_and_unknown_callbacks(client: TestClient,
                                                            booked: tuple[str, str]) -> None:
    _, callback_id = booked
    agent = login(client, "agent1")
    for body in ({"outcome": "done"}, {}, {"outcome": "called", "note": "x" * 501},
                 {"outcome": "called", "phone": "07700900123"}):
        assert error(complete(client, agent, callback_id, body), 422)["code"] == "invalid_request", body
    assert error(complete(client, agent, "cb_unknown", {"outcome": "called"}), 404)["code"] == "not_found"
    listed = client.get("/v1/agents/callbacks", headers=agent).json()
    assert [c["status"] for c in listed if c["id"] == callback_id] == ["booked"], "nothing was changed"


def test_completing_is_for_agents_supervisors_and_admins(client: TestClient, booked: tuple[str, str]) -> None:
    _, callback_id = booked
    refused = complete(client, login(client, "compliance1"), callback_id, {"outcome": "called"})
    assert error(refused, 403)["code"] == "role_required"
    assert error(complete(client, {}, callback_id, {"outcome": "called"}), 401)
    customer = start_conversation(client, "cus_002")
    assert complete(client, customer["headers"], callback_id, {"outcome": "called"}).status_code in (401, 403)
    listed = client.get("/v1/agents/callbacks", headers=login(client, "agent1")).json()
    assert callback_id in [c["id"] for c in listed]


def test_the_queue_shows_a_message_left(client: TestClient, waiting: tuple[str, dict[str, Any]]) -> None:
    handoff_id, customer = waiting
    agent = login(client, "agent1")

    def flag() -> list[bool]:
        return [h["message_left"] for h in client.get("/v1/agents/queue", headers=agent).json()
                if h["id"] == handoff_id]

    assert flag() == [False]
    assert leave_message(client, customer).status_code == 200
    assert flag() == [True]


def test_the_message_left_check_runs_before_the_relays_write_transaction(
    app: FastAPI, client: TestClient, waiting: tuple[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside the relay's transaction a second connection could wait for the pool while the
    first holds SQLite's write lock: under load every pooled connection ends up waiting so."""
    _, customer = waiting
    assert leave_message(client, customer).status_code == 200
    handoff = app.state.handoff
    relaying, checked_inside = [False], []
    relay, message_left = handoff.store.relay, handoff.message_left

    def watched_relay(*args: Any) -> Any:
        relaying[0] = True
        try:
            return relay(*args)
        finally:
            relaying[0] = False

    def watched_message_left(handoff_id: str) -> bool:
        checked_inside.append(relaying[0])
        return bool(message_left(handoff_id))

    monkeypatch.setattr(handoff.store, "relay", watched_relay)
    monkeypatch.setattr(handoff, "message_left", watched_message_left)
    sent = client.post(f"/v1/conversations/{customer['id']}/messages", headers=customer["headers"],
                       json={"text": "any news?"})
    assert sent.status_code == 200 and sent.json()["replies"] == []
    assert checked_inside == [False]
