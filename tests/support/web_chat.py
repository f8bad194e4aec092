"""Driving the customer's web chat page in Chromium: typing, reading replies, and signing in
through the identity provider's own login page."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Locator, Page, expect

from stack.identity_provider import demo_password

TURN_TIMEOUT = 120_000  # a turn takes the whole stack (redaction, NLU, actions)
CONVERSATION_KEY = "banking-assistant.conversation"


def bot_messages(page: Page) -> Locator:
    return page.locator("#log .msg--bot")


def say(page: Page, text: str) -> None:
    """Type ``text`` and wait for the bot's answer."""
    before = bot_messages(page).count()
    page.fill("#text", text)
    page.click("#send")
    expect(page.locator("#log .msg--user").last).to_have_text(text)
    expect(bot_messages(page)).not_to_have_count(before, timeout=TURN_TIMEOUT)


def log_in_at_provider(page: Page, api_url: str, login: str, password: str | None = None) -> None:
    """On the provider's own login page (the chat has just sent the browser there): fill in the
    demo customer's login and password, and wait until the chat has the customer signed in."""
    chat = re.compile(f"^{re.escape(api_url)}/")
    expect(page.locator('form[action$="/login"] input[name="password"]')).to_be_visible(timeout=30_000)
    assert not chat.match(page.url), "the login page is the provider's, not the chat's"
    page.fill('input[name="login"]', login)
    page.fill('input[name="password"]', password or demo_password(login))
    page.locator('form[action$="/login"] button[type="submit"]').click()
    page.wait_for_url(chat, timeout=30_000)
    expect(page.locator("#account")).to_have_text("Signed in", timeout=TURN_TIMEOUT)


def stored_conversation(page: Page) -> dict[str, Any]:
    """The conversation's id and token as the page keeps them (this tab's sessionStorage)."""
    stored: dict[str, Any] = page.evaluate(f"() => JSON.parse(sessionStorage.getItem('{CONVERSATION_KEY}'))")
    return stored


def transcript(page: Page) -> dict[str, Any]:
    """The conversation's transcript, fetched by the page with its own conversation token."""
    result: dict[str, Any] = page.evaluate(f"""async () => {{
        const c = JSON.parse(sessionStorage.getItem("{CONVERSATION_KEY}"));
        const headers = {{Authorization: `Bearer ${{c.token}}`}};
        const r = await fetch(`/v1/conversations/${{c.id}}`, {{headers}});
        return r.json();
    }}""")
    return result


def open_signed_in(page: Page, api_url: str, login: str) -> None:
    """Open the chat and sign in with the header's button, as a customer who starts signed in."""
    page.goto(f"{api_url}/")
    expect(page.locator("#account")).to_have_text("Not signed in")
    page.wait_for_function(f"() => sessionStorage.getItem('{CONVERSATION_KEY}')")
    page.click("#sign-in")
    log_in_at_provider(page, api_url, login)
