"""A signed-in customer waiting with nobody online books a callback in the web chat (Chromium):
the queued notice's "Book a callback", a slot, the consent tick-box, and "We'll call you on"
in the transcript; and in the agent console, a message left marked in the queue and a booked
callback marked called from the Callbacks panel. The API served in-process with the bot down."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import update

from database.engine import get_engine, session_factory
from service.handoff.callbacks import waiting_extras
from service.handoff.models import Callback
from service.handoff.policy import EscalationPolicy, Priority
from service.handoff.schemas import Goal, PacketCore
from service.handoff.store import HandoffStore, Notice
from service.handoff.triggers import TriggerHit
from service.staff.settings import LOCAL_DEMO_PASSWORD
from tests.support.app import served
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.databases import prepared_sqlite
from tests.support.web_chat import CONVERSATION_KEY, open_signed_in, stored_conversation

pytestmark = [pytest.mark.browser]

TIMEOUT = 30_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return prepared_sqlite(tmp_path_factory, "callbacks-web")


def queue_with_choices(database: str, conversation_id: str) -> None:
    """Queue a handoff as a trigger does, with the notice the policy gives while nobody is online."""
    policy = EscalationPolicy.load()
    text, fields = waiting_extras(policy, "complaint", 60, False, datetime.now(UTC))
    hit = TriggerHit("complaint", "Complaint", Priority.NORMAL, "set up by the test")
    core = PacketCore(summary="test", triggers=[], goal=Goal(), intents=[])
    store = HandoffStore(session_factory(get_engine(database)), policy.routing)
    notice = Notice(f"You're in the queue. {text}", {"system": {"event": "queued", "position": 1, **fields}})
    assert store.open_handoff(conversation_id, [hit], core, datetime.now(UTC), None, lambda _: notice)


def test_the_customer_books_a_callback_in_the_chat(
    database: str, browser: Browser, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with served(database, monkeypatch) as url:
        context = browser.new_context()
        page = context.new_page()
        try:
            open_signed_in(page, url, "alex")
            queue_with_choices(database, stored_conversation(page)["id"])
            page.reload()  # the transcript is read again, with the queued notice
            choice = page.locator('#log .callback-choices button[data-choice="callback"]')
            expect(choice).to_have_text("Book a callback", timeout=TIMEOUT)
            expect(page.locator('#log .callback-choices button[data-choice="message"]')).to_be_visible()
            choice.click()
            picker = page.locator("#log .callback-picker")
            expect(picker.locator("option")).not_to_have_count(0, timeout=TIMEOUT)
            label = picker.locator("option").first.inner_text()
            picker.locator("button[type=submit]").click()
            status = page.locator("#log .callback-choices__status")
            expect(status).to_contain_text("tick the box")  # no consent, no booking
            picker.locator("input[name=consent_to_call]").check()
            picker.locator("button[type=submit]").click()
            expect(status).to_have_text(f"Booked: we'll call you on {label}.", timeout=TIMEOUT)
            booked = re.compile(f"^We'll call you on {re.escape(label)},")
            told = page.locator("#log .msg--system").filter(has_text=booked)
            expect(told).to_have_count(1, timeout=TIMEOUT)
            page.screenshot(path=str(tmp_path / "callback.png"))
        finally:
            context.close()


def customer_fetch(page: Page, method: str, path: str,
                   body: dict[str, object] | None = None) -> dict[str, Any]:
    """The customer's own API call from the chat page, with the conversation's token."""
    result: dict[str, Any] = page.evaluate("""async ([key, method, path, body]) => {
        const c = JSON.parse(sessionStorage.getItem(key));
        const headers = {Authorization: `Bearer ${c.token}`, "Content-Type": "application/json"};
        const init = {method, headers, body: body && JSON.stringify(body)};
        const r = await fetch(path.replace("{id}", c.id), init);
        return {status: r.status, body: await r.json()};
    }""", [CONVERSATION_KEY, method, path, body])
    return result


def test_an_agent_marks_a_booked_callback_called(
    database: str, browser: Browser, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with session_factory(get_engine(database)).begin() as session:  # the earlier test's booking is done
        session.execute(update(Callback).where(Callback.status == "booked").values(status="cancelled"))
    with served(database, monkeypatch) as url:
        context = browser.new_context()
        customer, agent = context.new_page(), context.new_page()
        try:
            open_signed_in(customer, url, "alex")
            queue_with_choices(database, stored_conversation(customer)["id"])
            left = customer_fetch(customer, "POST", "/v1/conversations/{id}/handoff/message-left")
            assert left["status"] == 200, left
            agent.goto(f"{url}/agent")
            agent.fill("#username", "agent1")
            agent.fill("#password", LOCAL_DEMO_PASSWORD)
            agent.click("#login")
            expect(agent.locator("#queue .queue__item .badge--message")).to_have_text("message left",
                                                                                     timeout=TIMEOUT)
            expect(agent.locator("#callbacks-empty")).to_be_visible(timeout=TIMEOUT)
            slots = customer_fetch(customer, "GET", "/v1/conversations/{id}/callback-slots")
            start = slots["body"]["slots"][0]["start"]
            booked = customer_fetch(customer, "POST", "/v1/conversations/{id}/callbacks",
                                    {"slot_start": start, "consent_to_call": True})
            assert booked["status"] == 201, booked
            callback_id = booked["body"]["id"]
            row = agent.locator(f'#callbacks-list tr[data-callback-id="{callback_id}"]')
            expect(row).to_be_visible(timeout=TIMEOUT)  # the feed says the callbacks changed
            slot = datetime.fromisoformat(start)
            expect(row.locator("td").nth(0)).to_contain_text(slot.strftime("%H:%M"))
            expect(row.locator("td").nth(1)).to_have_text("complaint")  # no trigger label: the reason
            expect(row.locator(".callbacks__status")).to_have_text("booked")
            agent.screenshot(path=str(tmp_path / "callbacks.png"))
            row.locator('button[data-outcome="called"]').click()
            expect(row).to_have_count(0, timeout=TIMEOUT)
            expect(agent.locator("#notice")).to_contain_text("marked called")
            with session_factory(get_engine(database))() as session:
                stored = session.get(Callback, callback_id)
                assert stored is not None and stored.status == "called"
        finally:
            context.close()
