"""Skill routing and the live queue in Chromium: two colleagues with different skills in two
browser contexts, two customers in two more. A fraud handoff is offered to the colleague with
cards_and_fraud and not to the other; the customer behind sees their place move up in place
when the first is claimed; after the hand-back the bot answers and asks how it went."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from service.staff.settings import LOCAL_DEMO_PASSWORD
from stack.processes import Stack
from tests.support.web_chat import open_signed_in, transcript

pytestmark = [pytest.mark.browser, pytest.mark.stack]

TIMEOUT = 60_000
FRAUD = "someone has used my card without my permission"


def customer_says(page: Page, text: str) -> None:
    page.fill("#text", text)
    page.click("#send")
    expect(page.locator("#log .msg--user").filter(has_text=text)).not_to_have_count(0, timeout=TIMEOUT)


def sign_in_colleague(page: Page, api_url: str, username: str) -> None:
    page.goto(f"{api_url}/agent")
    page.fill("#username", username)
    page.fill("#password", LOCAL_DEMO_PASSWORD)
    page.click("#login")
    expect(page.locator("#socket-state")).to_have_text("online", timeout=TIMEOUT)


def reports_fraud(page: Page, api_url: str, login: str) -> str:
    """Open the chat signed in, report fraud and wait for the queue line; the conversation id."""
    open_signed_in(page, api_url, login)
    customer_says(page, FRAUD)
    expect(page.locator("#queue-place")).to_contain_text("in the queue", timeout=TIMEOUT)
    return str(transcript(page)["id"])


def place(page: Page) -> int:
    found = re.search(r"number (\d+)", page.locator("#queue-place").inner_text())
    assert found, "the queue line shows a place"
    return int(found.group(1))


def test_fraud_goes_to_the_fraud_colleague_and_the_queue_moves_live(stack: Stack, browser: Browser) -> None:
    api = stack.config.api_url
    contexts: list[BrowserContext] = [browser.new_context() for _ in range(4)]
    fraud_colleague, general_colleague, first, second = (c.new_page() for c in contexts)
    try:
        sign_in_colleague(fraud_colleague, api, "agent1")  # general, cards_and_fraud
        sign_in_colleague(general_colleague, api, "agent2")  # general, lending, vulnerable_customers
        first_id = reports_fraud(first, api, "alex")
        reports_fraud(second, api, "margaret")
        behind = place(second)
        assert behind >= 2, "the second fraud customer waits behind the first"

        for_fraud = fraud_colleague.locator(f'#queue [data-conversation-id="{first_id}"]')
        for_general = general_colleague.locator(f'#queue [data-conversation-id="{first_id}"]')
        expect(for_fraud).to_have_attribute("data-offered", "true", timeout=TIMEOUT)
        expect(for_general).to_have_attribute("data-offered", "false", timeout=TIMEOUT)
        for_general.click()
        expect(general_colleague.locator("#packet-reason")).to_have_text("Suspected fraud", timeout=TIMEOUT)
        general_colleague.click("#claim")
        expect(general_colleague.locator("#notice")).to_contain_text("cards_and_fraud", timeout=TIMEOUT)

        lines_before = second.locator("#log li").count()
        for_fraud.click()
        expect(fraud_colleague.locator("#packet-reason")).to_have_text("Suspected fraud", timeout=TIMEOUT)
        fraud_colleague.click("#claim")
        expect(first.locator("#log .msg").filter(has_text="has joined the chat")).to_have_count(
            1, timeout=TIMEOUT
        )
        expect(first.locator("#queue")).to_be_hidden(timeout=TIMEOUT)
        expect(second.locator("#queue-place")).to_contain_text(f"number {behind - 1} in the queue",
                                                              timeout=TIMEOUT)
        assert second.locator("#log li").count() == lines_before, "the place updates in place"

        fraud_colleague.fill("#reply-text", "I've blocked that card and a new one is on its way.")
        fraud_colleague.click("#reply-send")
        expect(first.locator("#log .msg--agent").filter(has_text="new one is on its way")).to_have_count(
            1, timeout=TIMEOUT
        )
        fraud_colleague.click("#resolve")
        expect(first.locator("#log .msg").filter(has_text="handed you back")).to_have_count(
            1, timeout=TIMEOUT
        )
        rating = first.locator("#log .msg__rating button")
        expect(rating).to_have_count(3, timeout=TIMEOUT)
        rating.filter(has_text="Good").click()
        expect(first.locator("#log .msg").filter(has_text="Thanks for telling us")).to_have_count(
            1, timeout=TIMEOUT
        )
        customer_says(first, "what's my balance?")
        expect(first.locator("#log .msg--bot").last).to_contain_text("£", timeout=TIMEOUT)
        messages = transcript(first)["messages"]
        assert messages[-1]["sender"] == "bot" and "£" in messages[-1]["text"], "the bot answered"
    finally:
        for context in contexts:
            context.close()
