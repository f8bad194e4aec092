"""The app's WebSocket: send over it, receive every message with its sequence number, resume."""

from __future__ import annotations

import json

import pytest
from websockets.sync.client import connect

from stack.processes import Stack
from tests.service.conversation_client import ChatClient

pytestmark = pytest.mark.stack


def ws_url(stack: Stack, chat: ChatClient, after: int = 0, token: str | None = None) -> str:
    base = stack.config.api_url.replace("http", "ws", 1)
    return f"{base}/v1/conversations/{chat.id}/ws?token={token or chat.token}&after={after}"


def receive_until_bot(socket, count: int = 1) -> list[dict]:  # type: ignore[no-untyped-def]
    seen: list[dict] = []
    while sum(m["sender"] == "bot" for m in seen) < count:
        event = json.loads(socket.recv(timeout=60))
        assert event["type"] == "message", event
        seen.append(event["message"])
    return seen


def test_send_and_receive_over_the_socket(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url)
    with connect(ws_url(stack, chat)) as socket:
        socket.send(json.dumps({"type": "message", "text": "hello"}))
        messages = receive_until_bot(socket)
    assert messages[0]["sender"] == "user" and messages[0]["text"] == "hello"
    assert [m["seq"] for m in messages] == sorted({m["seq"] for m in messages})


def test_resume_after_reconnect_without_gaps_or_duplicates(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url)
    chat.send("hi")
    first_seqs = [m["seq"] for m in chat.transcript()["messages"]]
    chat.send("what can you do?")  # sent while the app was offline
    with connect(ws_url(stack, chat, after=first_seqs[-1])) as socket:
        replayed = receive_until_bot(socket)
    all_seqs = [m["seq"] for m in chat.transcript()["messages"]]
    assert first_seqs + [m["seq"] for m in replayed] == all_seqs[: len(first_seqs) + len(replayed)]


def test_socket_reports_bad_messages_and_stays_open(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url)
    with connect(ws_url(stack, chat)) as socket:
        socket.send(json.dumps({"type": "message", "text": ""}))
        assert json.loads(socket.recv(timeout=30))["error"]["code"] == "invalid_message"
        socket.send("not json at all")
        socket.send(json.dumps({"type": "message", "text": "hello"}))
        events = [json.loads(socket.recv(timeout=60)) for _ in range(2)]
        assert any(e["type"] == "message" for e in events)


def test_socket_refuses_a_wrong_token(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url)
    with pytest.raises(Exception):  # noqa: B017 - the handshake is refused
        with connect(ws_url(stack, chat, token="wrong")) as socket:
            socket.recv(timeout=10)
