"""A customer escalates in the web chat and an agent takes over in the console, in two
Chromium contexts: claim, read the context, reply, hand back; the bot answers again. Nothing
is lost or shown twice across the handoff."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from service.conversations import SIGNED_IN_TEXT
from service.staff.settings import LOCAL_DEMO_PASSWORD
from stack.processes import Stack
from tests.support.web_chat import open_signed_in, transcript

pytestmark = [pytest.mark.browser, pytest.mark.stack]

TIMEOUT = 60_000


def customer_says(page: Page, text: str) -> None:
    page.fill("#text", text)
    page.click("#send")
    expect(page.locator("#log .msg--user").filter(has_text=text)).to_have_count(1, timeout=TIMEOUT)


def test_customer_escalates_agent_takes_over_and_hands_back(stack: Stack, browser: Browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    customer_context, agent_context = browser.new_context(), browser.new_context()
    customer, agent = customer_context.new_page(), agent_context.new_page()
    try:
        open_signed_in(customer, stack.config.api_url, "alex")
        customer_says(customer, "hello")
        expect(customer.locator("#log .msg--bot")).not_to_have_count(0, timeout=TIMEOUT)
        customer_says(customer, "I'd like to speak to a real person please")
        expect(customer.locator("#log .msg--system").filter(has_text="in the")).to_have_count(
            1, timeout=TIMEOUT
        )
        conversation_id = transcript(customer)["id"]

        agent.goto(f"{stack.config.api_url}/agent")
        expect(agent.locator("#console-view")).to_be_hidden()  # nothing shows before sign-in
        expect(agent.locator("#whoami")).to_be_hidden()
        agent.fill("#username", "agent1")
        agent.fill("#password", LOCAL_DEMO_PASSWORD)
        agent.click("#login")
        expect(agent.locator("#socket-state")).to_have_text("online", timeout=TIMEOUT)
        waiting = agent.locator(f'#queue [data-conversation-id="{conversation_id}"]')
        expect(waiting).to_have_count(1, timeout=TIMEOUT)
        waiting.click()
        expect(agent.locator("#packet-reason")).to_have_text(
            "Customer asked for a colleague", timeout=TIMEOUT
        )
        expect(agent.locator("#packet-summary")).to_contain_text("request human")
        expect(agent.locator("#packet-profile")).to_contain_text("name")
        expect(agent.locator("#chat-log .msg--user").filter(has_text="speak to a real person")).to_have_count(
            1
        )

        agent.click("#claim")
        expect(agent.locator("#chat-status")).to_contain_text("Priya", timeout=TIMEOUT)
        expect(customer.locator("#log .msg").filter(has_text="has joined the chat")).to_have_count(
            1, timeout=TIMEOUT
        )

        customer_says(customer, "my card keeps getting declined when I pay")
        expect(agent.locator("#chat-log .msg--user").filter(has_text="declined when I pay")).to_have_count(
            1, timeout=TIMEOUT
        )
        agent.fill("#reply-text", "Sorry about that, I can see a security block. I've lifted it.")
        agent.click("#reply-send")
        expect(customer.locator("#log .msg--agent").filter(has_text="lifted it")).to_have_count(
            1, timeout=TIMEOUT
        )
        agent.fill("#note-text", "Security block lifted after ID check.")
        agent.click("#note-add")
        expect(agent.locator("#notes li")).to_have_count(1, timeout=TIMEOUT)

        agent.screenshot(path=str(tmp_path / "agent.png"))
        agent.click("#resolve")
        expect(customer.locator("#log .msg").filter(has_text="handed you back")).to_have_count(
            1, timeout=TIMEOUT
        )
        expect(customer.locator("#log .msg--bot").filter(has_text="anything else")).not_to_have_count(
            0, timeout=TIMEOUT
        )
        expect(customer.locator("#log .msg__rating button")).to_have_count(3, timeout=TIMEOUT)
        customer_says(customer, "what's my balance?")
        expect(customer.locator("#log .msg--bot").last).to_contain_text("£", timeout=TIMEOUT)
        customer.screenshot(path=str(tmp_path / "customer.png"))

        messages = transcript(customer)["messages"]
        seqs = [m["seq"] for m in messages]
        assert seqs == list(range(1, len(seqs) + 1)), "contiguous: nothing lost, nothing twice"
        said = [m["text"] for m in messages if m["sender"] == "user"]
        assert said == [
            SIGNED_IN_TEXT,
            "hello",
            "I'd like to speak to a real person please",
            "my card keeps getting declined when I pay",
            "what's my balance?",
        ]
        assert [m["text"] for m in messages if m["sender"] == "agent"] == [
            "Sorry about that, I can see a security block. I've lifted it."
        ]
        assert "Security block" not in " ".join(m["text"] or "" for m in messages), "notes stay private"
        shown = customer.locator("#log .msg").evaluate_all("els => els.map(e => Number(e.dataset.seq))")
        assert shown == seqs, "the web chat shows every message once, in order"
    finally:
        customer_context.close()
        agent_context.close()
