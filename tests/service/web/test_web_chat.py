"""A signed-in customer uses the web chat in Chromium: types, clicks a button, reloads."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from stack.processes import Stack
from tests.support.web_chat import TURN_TIMEOUT, bot_messages, open_signed_in, say

pytestmark = [pytest.mark.browser, pytest.mark.stack]
# A turn takes the whole stack (redaction, NLU, actions): allow for a busy CI machine.
expect.set_options(timeout=TURN_TIMEOUT)


def test_chat_buttons_and_history_survive_a_reload(stack: Stack, browser: Browser,
                                                   tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    open_signed_in(page, stack.config.api_url, "alex")
    say(page, "hello")
    say(page, "I want to set a financial goal")
    buttons = page.locator("#log .msg--bot .msg__buttons button:not([disabled])")
    expect(buttons.first).to_be_visible()
    titles = [t.lower() for t in buttons.all_inner_texts()]
    assert any("save" in t for t in titles), titles

    before = bot_messages(page).count()
    buttons.filter(has_text="Save").first.click()
    expect(page.locator("#log .msg--user").last).to_contain_text("Save")
    expect(bot_messages(page)).not_to_have_count(before, timeout=TURN_TIMEOUT)
    reply = bot_messages(page).last.inner_text().lower()
    assert "how much" in reply or "amount" in reply or "target" in reply, reply
    page.screenshot(path=str(tmp_path / "chat.png"))

    shown = page.locator("#log .msg").all_inner_texts()
    page.reload()  # the access token is gone with the page; the conversation stays signed in
    expect(page.locator("#log .msg")).to_have_count(len(shown), timeout=30_000)
    assert page.locator("#log .msg").all_inner_texts() == shown
    expect(page.locator("#account")).to_have_text("Signed in")
    say(page, "thanks")


def click_button(page: Page, title: str) -> None:
    before = bot_messages(page).count()
    page.locator("#log .msg--bot .msg__buttons button:not([disabled])").filter(has_text=title).first.click()
    expect(bot_messages(page)).not_to_have_count(before, timeout=TURN_TIMEOUT)


def test_goal_ends_in_three_suggestions_with_buttons(stack: Stack, browser: Browser,
                                                     tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    open_signed_in(page, stack.config.api_url, "alex")
    say(page, "I want to set a savings goal")
    click_button(page, "Save")
    say(page, "£5,000")
    say(page, "3 years")
    click_button(page, "Low")
    say(page, "£150 a month")
    suggestions = page.locator("#log .msg--bot").filter(
        has=page.locator("button", has_text="Tell me more"))
    expect(suggestions).to_have_count(3)
    for n in range(3):
        text = suggestions.nth(n).inner_text()
        assert text.startswith(f"{n + 1}. ") and "Not for me" in text, text
    page.screenshot(path=str(tmp_path / "suggestions.png"), full_page=True)
    click_button(page, "Tell me more")
    expect(bot_messages(page).last).to_contain_text("Key facts")
