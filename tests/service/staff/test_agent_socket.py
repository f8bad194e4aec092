"""The agent console's socket: a signed-out or disabled colleague's live socket is closed and
their next message refused; handshakes and messages are rate limited; binary and oversized
frames close it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from service.staff.roles import Role
from tests.service.staff.conftest import bearer, password_login
from tests.support.app import STRONG_STAFF_PASSWORD, VAULT_KEY, started_app

Started = Callable[..., AbstractContextManager[tuple[FastAPI, TestClient]]]


@pytest.fixture
def started(staff_database: str, monkeypatch: pytest.MonkeyPatch) -> Started:
    """Starts the app with ``SERVICE_STAFF_SOCKET_*`` settings given as keyword arguments."""

    @contextmanager
    def start(**socket_settings: str) -> Iterator[tuple[FastAPI, TestClient]]:
        monkeypatch.setenv("PRIVACY_VAULT_KEY", VAULT_KEY)
        for name, value in socket_settings.items():
            monkeypatch.setenv(f"SERVICE_STAFF_SOCKET_{name.upper()}", value)
        with started_app(staff_database) as app, TestClient(app) as client:
            yield app, client

    return start


def token_of(client: TestClient, username: str, password: str = STRONG_STAFF_PASSWORD) -> str:
    return bearer(password_login(client, username, password))["Authorization"].removeprefix("Bearer ")


def colleague(app: FastAPI, client: TestClient) -> tuple[str, str]:
    """A new agent (username, staff token)."""
    username = f"agent-{time.monotonic_ns() % 10**9}"
    app.state.staff.ensure_user(username, "Socket tester", Role.AGENT, STRONG_STAFF_PASSWORD)
    return username, token_of(client, username)


def closed_with(socket, code: int, within_s: float = 10) -> None:  # type: ignore[no-untyped-def]
    """Read until the server closes the socket, for at most ``within_s``; assert its close code."""
    outcome: dict[str, object] = {}

    def read() -> None:
        try:
            while True:
                socket.receive_json()
        except WebSocketDisconnect as exc:
            outcome["code"] = exc.code
        except Exception as exc:  # noqa: BLE001 - reported below
            outcome["error"] = exc

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(within_s)
    assert outcome.get("code") == code, outcome or f"the socket is still open after {within_s} s"


def test_signing_out_closes_the_live_socket(started: Started) -> None:
    with started(recheck_s="0.2") as (app, client):
        _, token = colleague(app, client)
        with client.websocket_connect(f"/v1/agents/ws?token={token}") as socket:
            assert socket.receive_json()["type"] == "queue"
            signed_out = client.post("/v1/staff/logout", headers={"Authorization": f"Bearer {token}"})
            assert signed_out.status_code == 204
            closed_with(socket, 4401)


def test_a_disabled_colleagues_socket_is_closed(started: Started) -> None:
    with started(recheck_s="0.2") as (app, client):
        username, token = colleague(app, client)
        with client.websocket_connect(f"/v1/agents/ws?token={token}") as socket:
            assert socket.receive_json()["type"] == "queue"
            app.state.staff.set_active(username, False)
            closed_with(socket, 4401)


def test_the_next_message_after_signing_out_is_refused(started: Started) -> None:
    with started(recheck_s="3600") as (app, client):  # only the message itself checks
        _, token = colleague(app, client)
        with client.websocket_connect(f"/v1/agents/ws?token={token}") as socket:
            assert socket.receive_json()["type"] == "queue"
            socket.send_json({"type": "message", "handoff_id": "hnd_none", "text": "still here"})
            assert socket.receive_json()["error"]["code"] == "not_found"  # handled while signed in
            client.post("/v1/staff/logout", headers={"Authorization": f"Bearer {token}"})
            socket.send_json({"type": "message", "handoff_id": "hnd_none", "text": "still here?"})
            closed_with(socket, 4401)


def test_handshakes_are_limited_per_address(started: Started) -> None:
    with started(handshakes="3/minute") as (app, client):
        _, token = colleague(app, client)
        for _ in range(3):
            with client.websocket_connect(f"/v1/agents/ws?token={token}") as socket:
                assert socket.receive_json()["type"] == "queue"
        with pytest.raises(WebSocketDisconnect) as refused, \
                client.websocket_connect(f"/v1/agents/ws?token={token}"):
            pass
        assert refused.value.code == 4429
        with pytest.raises(WebSocketDisconnect) as guessing, \
                client.websocket_connect("/v1/agents/ws?token=x"):
            pass
        assert guessing.value.code == 4429  # token guesses count too


def test_messages_are_limited_per_colleague(started: Started) -> None:
    with started(messages="2/minute") as (app, client):
        _, token = colleague(app, client)
        with client.websocket_connect(f"/v1/agents/ws?token={token}") as socket:
            assert socket.receive_json()["type"] == "queue"
            codes = []
            for _ in range(3):
                socket.send_json({"type": "message", "handoff_id": "hnd_none", "text": "hello"})
                codes.append(socket.receive_json()["error"]["code"])
            assert codes == ["not_found", "not_found", "rate_limited"]


@pytest.mark.parametrize(("frame", "code"), [(b"\x00\x01binary", 1003), ("x" * 2048, 1009)])
def test_binary_and_oversized_frames_close_the_socket(started: Started, frame: bytes | str,
                                                      code: int) -> None:
    with started(max_frame_bytes="1024") as (app, client):
        _, token = colleague(app, client)
        with client.websocket_connect(f"/v1/agents/ws?token={token}") as socket:
            assert socket.receive_json()["type"] == "queue"
            if isinstance(frame, bytes):
                socket.send_bytes(frame)
            else:
                socket.send_text(frame)
            closed_with(socket, code)


def test_bad_json_gets_an_error_and_the_socket_stays(started: Started) -> None:
    with started() as (app, client):
        _, token = colleague(app, client)
        with client.websocket_connect(f"/v1/agents/ws?token={token}") as socket:
            assert socket.receive_json()["type"] == "queue"
            socket.send_text("{not json")
            assert socket.receive_json()["error"]["code"] == "invalid_message"
            socket.send_json({"type": "message", "handoff_id": "hnd_none", "text": "hello"})
            assert socket.receive_json()["error"]["code"] == "not_found"
