"""Rasa and the action server as an attacker inside the host would meet them.

Rasa's HTTP API (trackers, the model, ``/status``) answers only with the token the stack
started it with; its REST channel needs none, but a message there gets no account data
without a customer assertion, even after the ``customer_id`` slot was set through the API.
Both servers listen on the loopback interface only.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant import names
from bank.store import ProfileStore
from database.settings import DatabaseSettings
from stack.processes import Stack

pytestmark = pytest.mark.stack

CUSTOMER = "cus_001"
SET_CUSTOMER = [{"event": "slot", "name": names.SLOT_CUSTOMER_ID, "value": CUSTOMER}]


@pytest.fixture(scope="module")
def bot(stack: Stack) -> Stack:
    """The session's stack: its Rasa requires the stack's token."""
    return stack


@pytest.fixture(scope="module")
def rasa(bot: Stack) -> str:
    return bot.config.rasa_url


@pytest.fixture(scope="module")
def token(bot: Stack) -> str:
    return bot.env()["RASA_AUTH_TOKEN"]


def conversation() -> str:
    return f"conv_{uuid.uuid4().hex[:16]}"


# -- Rasa's HTTP API needs the token ---------------------------------------------------------

DENIED = {401, 403}


@pytest.mark.parametrize("params", [{}, {"token": "wrong"}], ids=["no-token", "wrong-token"])
def test_the_http_api_refuses_without_the_token(rasa: str, token: str, params: dict[str, str]) -> None:
    sender = conversation()
    calls: list[tuple[str, str, Any]] = [
        ("GET", "/status", None),
        ("GET", f"/conversations/{sender}/tracker", None),
        ("POST", f"/conversations/{sender}/tracker/events", SET_CUSTOMER),
        ("PUT", f"/conversations/{sender}/tracker/events", SET_CUSTOMER),
        ("POST", f"/conversations/{sender}/trigger_intent", {"name": "check_balance"}),
        ("POST", "/model/parse", {"text": "hello"}),
        ("PUT", "/model", {"model_file": "/tmp/attacker-model.tar.gz"}),
        ("DELETE", "/model", None),
    ]
    for method, path, body in calls:
        response = httpx.request(method, f"{rasa}{path}", params=params, json=body, timeout=30)
        assert response.status_code in DENIED, (method, path, response.status_code)
    # Nothing was written: the tracker still has no customer slot.
    tracker = httpx.get(f"{rasa}/conversations/{sender}/tracker", params={"token": token}, timeout=30)
    assert tracker.json()["slots"].get(names.SLOT_CUSTOMER_ID) is None


def test_the_http_api_accepts_the_token(rasa: str, token: str) -> None:
    sender = conversation()
    auth = {"token": token}
    assert httpx.get(f"{rasa}/status", params=auth, timeout=30).status_code == 200
    for method in ("POST", "PUT"):
        response = httpx.request(method, f"{rasa}/conversations/{sender}/tracker/events",
                                 params=auth, json=SET_CUSTOMER, timeout=30)
        assert response.status_code == 200, response.text
    assert httpx.get(f"{rasa}/conversations/{sender}/tracker", params=auth,
                     timeout=30).json()["slots"][names.SLOT_CUSTOMER_ID] == CUSTOMER


def test_a_customer_slot_set_through_the_api_gives_no_figures(rasa: str, token: str, bot: Stack) -> None:
    """Even with the API token, the slot does not make anyone a customer: only the service's
    signed assertion does, and the REST channel message below carries none."""
    sender = conversation()
    httpx.post(f"{rasa}/conversations/{sender}/tracker/events", params={"token": token},
               json=SET_CUSTOMER, timeout=30).raise_for_status()
    reply = httpx.post(f"{rasa}/webhooks/rest/webhook", timeout=60,
                       json={"sender": sender, "message": "what's my balance?",
                             "metadata": {"customer_id": CUSTOMER}}).json()
    assert {"type": names.PAYLOAD_SIGN_IN_REQUIRED} in [m.get("custom") for m in reply]
    store = ProfileStore.from_settings(DatabaseSettings(database_url=bot.config.database_url))
    text = "\n".join(m.get("text") or "" for m in reply)
    assert all(a.name not in text for a in store.accounts(CUSTOMER))
    assert "£" not in text


# -- loopback only ----------------------------------------------------------------------------------

LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1 and ::1 in /proc/net


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a socket listening on ``port`` (from /proc/net/tcp, tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if fields[3] == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_rasa_and_the_action_server_listen_on_loopback_only(bot: Stack) -> None:
    for port in (bot.config.rasa_port, bot.config.action_port):
        addresses = listening_addresses(port)
        assert addresses and addresses <= LOOPBACK, (port, addresses)
