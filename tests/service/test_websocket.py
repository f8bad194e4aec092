"""The app's WebSocket: send over it, receive every message with its sequence number, resume."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import websockets.exceptions
from websockets.legacy.client import connect

from stack.processes import Stack
from tests.support.chat import ChatClient

pytestmark = pytest.mark.stack


def run_in_thread(coroutine: Any) -> Any:
    """Run a coroutine on a fresh event loop in its own thread (safe whatever loop is running)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def ws_url(stack: Stack, chat: ChatClient, after: int = 0, token: str | None = None) -> str:
    base = stack.config.api_url.replace("http", "ws", 1)
    return f"{base}/v1/conversations/{chat.id}/ws?token={token or chat.token}&after={after}"


async def receive_until_bot(socket: Any, count: int = 1) -> list[dict]:
    seen: list[dict] = []
    while sum(m["sender"] == "bot" for m in seen) < count:
        event = json.loads(await asyncio.wait_for(socket.recv(), 60))
        assert event["type"] == "message", event
        seen.append(event["message"])
    return seen


def test_send_and_receive_over_the_socket(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url)

    async def scenario() -> list[dict]:
        async with connect(ws_url(stack, chat)) as socket:
            await socket.send(json.dumps({"type": "message", "text": "hello"}))
            return await receive_until_bot(socket)

    messages = run_in_thread(scenario())
    assert messages[0]["sender"] == "user" and messages[0]["text"] == "hello"
    seqs = [m["seq"] for m in messages]
    assert seqs == sorted(set(seqs))


def test_resume_after_reconnect_without_gaps_or_duplicates(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url)
    chat.send("hi")
    first_seqs = [m["seq"] for m in chat.transcript()["messages"]]
    chat.send("what can you do?")  # sent while the app was offline

    async def scenario() -> list[dict]:
        async with connect(ws_url(stack, chat, after=first_seqs[-1])) as socket:
            return await receive_until_bot(socket)

    replayed = run_in_thread(scenario())
    all_seqs = [m["seq"] for m in chat.transcript()["messages"]]
    assert first_seqs + [m["seq"] for m in replayed] == all_seqs[: len(first_seqs) + len(replayed)]


def test_socket_reports_bad_messages_and_stays_open(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url)

    async def scenario() -> tuple[dict, list[dict]]:
        async with connect(ws_url(stack, chat)) as socket:
            await socket.send(json.dumps({"type": "message", "text": ""}))
            error = json.loads(await asyncio.wait_for(socket.recv(), 30))
            await socket.send(json.dumps({"type": "message", "text": "hello"}))
            return error, await receive_until_bot(socket)

    error, messages = run_in_thread(scenario())
    assert error["type"] == "error" and error["error"]["code"] == "invalid_message"
    assert messages[0]["text"] == "hello"


def test_socket_refuses_a_wrong_token(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url)

    async def scenario() -> None:
        async with connect(ws_url(stack, chat, token="wrong")) as socket:
            await asyncio.wait_for(socket.recv(), 10)

    with pytest.raises(websockets.exceptions.WebSocketException):
        run_in_thread(scenario())
