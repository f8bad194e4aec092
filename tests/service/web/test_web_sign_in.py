"""A demo customer signs in to the web chat through the provider's own login page, in Chromium:
anonymous first (no figures, a sign-in prompt), then signed in (the balance), then a transfer
that waits for a fresh login (step-up) and completes after it; the conversation is kept across
every redirect, the access token is never stored, and signing out ends the conversation."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from bank.store import ProfileStore
from database.settings import DatabaseSettings
from identity.settings import IdentitySettings
from stack.processes import Stack
from tests.support.web_chat import (
    CONVERSATION_KEY,
    TURN_TIMEOUT,
    bot_messages,
    log_in_at_provider,
    say,
    stored_conversation,
    transcript,
)

pytestmark = [pytest.mark.browser, pytest.mark.stack]
expect.set_options(timeout=TURN_TIMEOUT)

CUSTOMER = "cus_001"  # alex
SAVER, CURRENT = "Rainy Day Saver", "Everyday Current"


def balances(stack: Stack) -> dict[str, Decimal]:
    store = ProfileStore.from_settings(DatabaseSettings(database_url=stack.config.database_url))
    return {account.name: account.balance for account in store.accounts(CUSTOMER)}


def step_up_window_s(stack: Stack) -> int:
    """How old a login may be for a sensitive action, as the running stack is configured."""
    configured = stack.env().get("IDENTITY_STEP_UP_MAX_AGE_S")
    return int(configured) if configured else IdentitySettings().step_up_max_age_s


def auth_prompt(page: Page, kind: str):  # type: ignore[no-untyped-def]
    return page.locator(f'#log .msg--bot button.msg__sign-in[data-kind="{kind}"]:not([disabled])')


def click_button(page: Page, title: str) -> None:
    before = bot_messages(page).count()
    page.locator("#log .msg--bot .msg__buttons button:not([disabled])").filter(has_text=title).last.click()
    expect(bot_messages(page)).not_to_have_count(before)


def stored_tokens(page: Page) -> str:
    """Everything the page keeps in the browser's storage, as one string."""
    return str(page.evaluate("() => JSON.stringify([{...localStorage}, {...sessionStorage}])"))


def test_customer_signs_in_sees_the_balance_and_steps_up_for_a_transfer(
    stack: Stack, browser: Browser, tmp_path: Path
) -> None:
    api = stack.config.api_url
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{api}/")
        expect(page.locator("#account")).to_have_text("Not signed in")
        expect(page.locator("#sign-in")).to_be_visible()
        expect(page.locator("#customer")).to_have_count(0)  # no "Signed in as" picker
        say(page, "what is my balance")
        expect(auth_prompt(page, "sign_in_required")).to_have_count(1)
        assert "£" not in " ".join(bot_messages(page).all_inner_texts()), "no figures while anonymous"
        anonymous = stored_conversation(page)
        assert anonymous["signed_in"] is False

        auth_prompt(page, "sign_in_required").click()
        signed_in_at = time.time()
        log_in_at_provider(page, api, "alex")
        assert stored_conversation(page)["id"] == anonymous["id"], "the conversation is kept"
        expect(bot_messages(page).last).to_contain_text("£")  # the balance question resumed
        expect(page.locator("#sign-out")).to_be_visible()
        assert "eyJ" not in stored_tokens(page), "no access or ID token in the browser's storage"
        page.screenshot(path=str(tmp_path / "signed-in.png"))

        before = balances(stack)
        time.sleep(max(0.0, signed_in_at + step_up_window_s(stack) + 2 - time.time()))  # no longer recent
        say(page, "move £25 from savings to current")
        expect(bot_messages(page).last).to_contain_text("Just to confirm: move £25.00 from Rainy Day Saver")
        click_button(page, "Yes, move it")
        expect(auth_prompt(page, "step_up_required")).to_have_count(1)
        assert balances(stack) == before, "no money moves before the step-up"

        auth_prompt(page, "step_up_required").click()
        log_in_at_provider(page, api, "alex")  # the provider asks for the password again
        assert stored_conversation(page)["id"] == anonymous["id"]
        expect(bot_messages(page).last).to_contain_text("Just to confirm")  # the form resumed
        click_button(page, "Yes, move it")
        expect(bot_messages(page).last).to_contain_text(f"Done: I've moved £25.00 from {SAVER} to {CURRENT}")
        after = balances(stack)
        assert after[SAVER] == before[SAVER] - 25 and after[CURRENT] == before[CURRENT] + 25
        assert "eyJ" not in stored_tokens(page)
        page.screenshot(path=str(tmp_path / "transfer.png"))

        said = [m["text"] for m in transcript(page)["messages"] if m["sender"] == "user"]
        assert said[0] == "what is my balance"

        conversation = stored_conversation(page)
        page.click("#sign-out")  # then the provider's own sign-out confirmation
        page.locator('button[name="logout"][value="yes"]').click()
        page.wait_for_url(f"{api}/", timeout=30_000)
        expect(page.locator("#account")).to_have_text("Not signed in")
        page.wait_for_function(f"() => sessionStorage.getItem('{CONVERSATION_KEY}')")
        assert stored_conversation(page)["id"] != conversation["id"], "a new, anonymous conversation"
        assert stored_conversation(page)["signed_in"] is False
        page.click("#sign-in")  # the provider's session ended too: it asks for the password
        expect(page.locator('form[action$="/login"] input[name="password"]')).to_be_visible()
        revoked = httpx.get(f"{api}/v1/conversations/{conversation['id']}",
                            headers={"Authorization": f"Bearer {conversation['token']}"})
        assert revoked.status_code == 401, "signing out revokes the conversation token"
    finally:
        context.close()


def test_a_forged_redirect_back_is_refused_before_any_code_exchange(stack: Stack, browser: Browser) -> None:
    """A code and state that this tab did not ask for (login CSRF) are never redeemed."""
    api = stack.config.api_url
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(f"{request.method} {request.url}"))
    try:
        page.goto(f"{api}/?code=stolen-code&state=forged-state")
        expect(page.locator("#notice")).to_have_text("The sign-in could not be completed. Please try again.")
        expect(page.locator("#account")).to_have_text("Not signed in")
        page.wait_for_function(f"() => sessionStorage.getItem('{CONVERSATION_KEY}')")
        assert stored_conversation(page)["signed_in"] is False
        assert page.url == f"{api}/", "the code leaves the address bar"
        assert not [r for r in requests if r.startswith("POST") and "/token" in r], requests
        assert not [r for r in requests if "/sign-in" in r], requests
    finally:
        context.close()
