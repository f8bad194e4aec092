"""The whole handoff on the running stack: the bot paused in Rasa, relay both ways, hand
back to the bot, close, the errors that lose nothing, and no message lost or repeated."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from websockets.legacy.client import connect

from stack.processes import Stack
from tests.support.chat import ChatClient
from tests.support.colleague import Colleague, system_events

pytestmark = pytest.mark.stack


def rasa_tracker(stack: Stack, chat: ChatClient) -> dict:
    return httpx.get(f"{stack.config.rasa_url}/conversations/{chat.id}/tracker",
                     params=stack.rasa_api_params, timeout=30).json()


def hand_off(stack: Stack, chat: ChatClient) -> tuple[Colleague, str]:
    chat.send("hello")
    turn = chat.send("can I talk to a real person please")
    assert "queued" in system_events(turn), turn["replies"]
    agent = Colleague(stack.config.api_url, "agent1")
    handoff = agent.handoff_of(chat)
    assert handoff is not None
    return agent, handoff["id"]


def test_handoff_and_back_to_the_bot(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url)
    agent, handoff_id = hand_off(stack, chat)
    assert rasa_tracker(stack, chat)["paused"] is True, "Rasa's own pause event"

    waiting = chat.send("hello? is anyone there")
    assert system_events(waiting) == ["nobody_online"], "told nobody is online; the message is kept"
    assert agent.post(handoff_id, "claim").status_code == 200
    agent_ws = f"{stack.config.api_url.replace('http', 'ws', 1)}/v1/agents/ws?token={agent.token}"

    async def with_console_open() -> tuple[dict, list[dict]]:
        async with connect(agent_ws) as console:
            assert json.loads(await console.recv())["type"] == "queue"
            reply = await asyncio.to_thread(
                agent.post, handoff_id, "messages", text="Hi, this is Priya. How can I help?"
            )
            assert reply.status_code == 200
            relayed = await asyncio.to_thread(chat.send, "what's my balance?")
            seen = [json.loads(await asyncio.wait_for(console.recv(), 30)) for _ in range(2)]
            return relayed, seen

    relayed, seen = asyncio.run(with_console_open())
    assert relayed["replies"] == [], "with a colleague online, neither the bot nor a notice answers"
    assert relayed["message"]["text"] == "what's my balance?"
    assert [e["message"]["sender"] for e in seen] == ["agent", "user"]
    assert seen[1]["message"]["text"] == "what's my balance?"

    packet = agent.packet(handoff_id)
    assert packet["handoff"]["status"] == "assigned"
    assert "request human" in packet["summary"]
    assert [i["intent"] for i in packet["intents"]][-1] == "request_human"
    assert packet["profile"] and packet["profile"]["first_name"]
    assert any(m["text"] == "what's my balance?" for m in packet["transcript"])

    resolved = agent.post(handoff_id, "resolve")
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    assert rasa_tracker(stack, chat)["paused"] is False
    transcript = chat.transcript()["messages"]
    assert "handed you back" in transcript[-3]["text"]
    assert transcript[-2]["sender"] == "bot" and "anything else" in transcript[-2]["text"].lower()
    assert transcript[-1]["custom"]["system"]["event"] == "satisfaction", "then: how did it go"
    history = rasa_tracker(stack, chat)["events"]
    assert any(e["event"] == "bot" and (e.get("metadata") or {}).get("handoff_summary") for e in history)
    assert (rasa_tracker(stack, chat).get("active_loop") or {}).get("name") is None, "no form left open"

    back = chat.say("what's my balance?")
    assert "£" in back, "the bot answers again"

    messages = chat.transcript()["messages"]
    seqs = [m["seq"] for m in messages]
    assert seqs == list(range(1, len(seqs) + 1))
    said = [m["text"] for m in messages if m["sender"] == "user"]
    assert said == [
        "hello",
        "can I talk to a real person please",
        "hello? is anyone there",
        "what's my balance?",
        "what's my balance?",
    ]
    statuses = [m["status"] for m in messages if m["sender"] == "user"]
    assert statuses == ["answered", "answered", "relayed", "relayed", "answered"]
    assert [m["sender"] for m in messages].count("agent") == 1


def test_nothing_slips_past_the_paused_bot(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url)
    hand_off(stack, chat)
    direct = httpx.post(
        f"{stack.config.rasa_url}/webhooks/rest/webhook",
        json={"sender": chat.id, "message": "what's my balance?"},
        timeout=30,
    )
    assert direct.status_code == 200 and direct.json() == [], "a paused Rasa answers nothing"


def test_close_twice_and_resolve_after_close(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url)
    agent, handoff_id = hand_off(stack, chat)
    agent.post(handoff_id, "claim")
    closed = agent.post(handoff_id, "close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    before = chat.transcript()["messages"]
    for action in ("close", "resolve"):
        again = agent.post(handoff_id, action)
        assert again.status_code == 409
        assert again.json()["error"]["code"] == "handoff_ended"
        assert again.json()["error"]["details"]["status"] == "closed"
    assert chat.transcript()["messages"] == before, "nothing changed, nothing lost"
    assert "£" in chat.say("what's my balance?"), "after a close the bot answers the next message"


def test_other_agent_cannot_claim_or_close(stack: Stack) -> None:
    chat = ChatClient(stack.config.api_url)
    agent1, handoff_id = hand_off(stack, chat)
    agent2 = Colleague(stack.config.api_url, "agent2")
    compliance = Colleague(stack.config.api_url, "compliance1")
    assert agent1.post(handoff_id, "claim").status_code == 200
    assert agent2.post(handoff_id, "claim").json()["error"]["code"] == "already_claimed"
    assert agent2.post(handoff_id, "close").json()["error"]["code"] == "not_assignee"
    assert compliance.post(handoff_id, "close").status_code == 403
    assert agent1.post(handoff_id, "close").status_code == 200
