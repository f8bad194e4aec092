"""Rasa or the action server down: a 503 with a retry hint, the message kept and answered later."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from stack.processes import Stack, StackConfig
from tests.support.chat import ChatClient

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def own_stack(stack_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A stack of its own, since these tests kill its processes."""
    stack = Stack(StackConfig(database_url=stack_database,
                              log_dir=tmp_path_factory.mktemp("down-logs"),
                              extra_env={"SERVICE_REDELIVERY_INTERVAL_S": "0.5"}))
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


def wait_until_down(chat: ChatClient, timeout_s: float = 30) -> None:
    """Until the API's health check sees the killed process gone (its answer is cached 1 s)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if chat.http.get("/healthz").status_code == 503:
            return
        time.sleep(0.3)
    raise AssertionError("the API never noticed the process was down")


def wait_for_reply(chat: ChatClient, user_seq: int, timeout_s: float = 120) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        messages = chat.transcript()["messages"]
        user = next(m for m in messages if m["seq"] == user_seq)
        if user["status"] == "answered":
            return {"user": user, "replies": [m for m in messages if m["seq"] > user_seq]}
        time.sleep(0.5)
    raise AssertionError("the kept message was never answered")


@pytest.mark.parametrize("process", ["actions", "rasa"])
def test_message_kept_while_down_and_answered_after(own_stack: Stack, process: str) -> None:
    chat = ChatClient(own_stack.config.api_url)
    assert chat.send("hello")["replies"]
    own_stack.kill(process)
    wait_until_down(chat)

    response = chat.http.post(f"/v1/conversations/{chat.id}/messages",
                              json={"text": "what's my balance?"})
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    error = response.json()["error"]
    assert error["code"] == "bot_unavailable" and error["details"]["retry_after_s"] > 0
    seq = error["details"]["message_seq"]
    kept = [m for m in chat.transcript()["messages"] if m["seq"] == seq]
    assert kept and kept[0]["status"] == "pending" and kept[0]["text"] == "what's my balance?"

    own_stack.start_one(process)
    own_stack.wait_healthy(process)
    answered = wait_for_reply(chat, seq)
    assert answered["replies"] and "£" in " ".join(r["text"] or "" for r in answered["replies"])
    users = [m for m in chat.transcript()["messages"] if m["sender"] == "user"]
    assert len(users) == 2, "nothing lost, nothing twice"
