"""A signed-in customer adds a new payee through the web chat's form and pays them, in Chromium,
through the real stack: the login has gone stale, so the form waits for a step-up and sends what
was typed again after it; the payee check's close match shows the name on the account; the
payee buttons carry the names from the payees API; and none of the payee's name, sort code or
account number ever reaches the conversation's transcript."""

from __future__ import annotations

import json
import re
import time
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, Request, expect

from bank.store import ProfileStore
from database.settings import DatabaseSettings
from identity.settings import IdentitySettings
from stack.processes import Stack
from tests.support.web_chat import (
    TURN_TIMEOUT,
    bot_messages,
    log_in_at_provider,
    open_signed_in,
    say,
    transcript,
)

pytestmark = [pytest.mark.browser, pytest.mark.stack]
expect.set_options(timeout=TURN_TIMEOUT)

CUSTOMER = "cus_001"  # alex
TYPED_NAME, NAME_ON_RECORD, NICKNAME = "Latisha Jone", "Latisha Jones", "Tish"
SORT_CODE, ACCOUNT_NUMBER = "09-01-28", "97531864"
PAY_NEW_PAYEE = "Pay one of my payees"  # what the page says for the customer after "Keep it"
SECRETS = ("Latisha", "Jone", NICKNAME, ACCOUNT_NUMBER, "090128", SORT_CODE)


def total_balance(stack: Stack) -> Decimal:
    store = ProfileStore.from_settings(DatabaseSettings(database_url=stack.config.database_url))
    return sum((account.balance for account in store.accounts(CUSTOMER)), Decimal(0))


def step_up_window_s(stack: Stack) -> int:
    """How old a login may be for a sensitive change, as the running stack is configured."""
    configured = stack.env().get("IDENTITY_STEP_UP_MAX_AGE_S")
    return int(configured) if configured else IdentitySettings().step_up_max_age_s


def step_up_prompt(page: Page) -> Locator:
    return page.locator('#log .msg--bot button.msg__sign-in[data-kind="step_up_required"]:not([disabled])')


def click_button(page: Page, title: str) -> None:
    before = bot_messages(page).count()
    page.locator("#log .msg--bot .msg__buttons button:not([disabled])").filter(has_text=title).last.click()
    expect(bot_messages(page)).not_to_have_count(before)


def payees(page: Page) -> list[dict[str, Any]]:
    """The customer's payees, fetched by the page with its own conversation token."""
    listed: list[dict[str, Any]] = page.evaluate("""async () => {
        const c = JSON.parse(sessionStorage.getItem("banking-assistant.conversation"));
        const headers = {Authorization: `Bearer ${c.token}`};
        return (await fetch(`/v1/conversations/${c.id}/payees`, {headers})).json();
    }""")
    return listed


def stored(page: Page) -> str:
    """Everything the page keeps in the browser's storage, as one string."""
    return str(page.evaluate("() => JSON.stringify([{...localStorage}, {...sessionStorage}])"))


def test_a_new_payee_is_added_after_a_step_up_checked_and_paid(stack: Stack, browser: Browser) -> None:
    api = stack.config.api_url
    context = browser.new_context()
    page = context.new_page()
    chat_messages: list[str] = []

    def record(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/messages"):
            chat_messages.append(request.post_data or "")

    page.on("request", record)
    try:
        open_signed_in(page, api, "alex")
        signed_in_at = time.time()
        assert not [p for p in payees(page) if p["account_number"].endswith("1864")]
        say(page, "I want to add a new payee")
        form = page.get_by_role("form", name="New payee").last
        expect(form).to_be_visible()

        time.sleep(max(0.0, signed_in_at + step_up_window_s(stack) + 2 - time.time()))  # no longer recent
        form.get_by_label("Name on the account").fill(TYPED_NAME)
        form.get_by_label("Sort code").fill(SORT_CODE)
        form.get_by_label("Account number").fill("9753186x")  # a typo, found after the step-up
        form.get_by_label("Nickname (optional)").fill(NICKNAME)
        form.get_by_role("button", name="Add payee").click()
        expect(step_up_prompt(page)).to_have_count(1)
        assert not [p for p in payees(page) if p["account_number"].endswith("1864")]

        step_up_prompt(page).click()
        log_in_at_provider(page, api, "alex")  # the provider asks for the password again
        form = page.get_by_role("form", name="New payee").last
        error = form.get_by_role("alert")
        expect(error).to_contain_text("account number")  # the API's 422, beside the form
        expect(form.get_by_label("Name on the account")).to_have_value(TYPED_NAME)  # kept across the redirect
        expect(form.get_by_label("Sort code")).to_have_value(SORT_CODE)
        expect(form.get_by_label("Account number")).to_have_attribute("aria-invalid", "true")
        assert ACCOUNT_NUMBER not in stored(page) and "9753186x" not in stored(page)

        form.get_by_label("Account number").fill(ACCOUNT_NUMBER)
        form.get_by_role("button", name="Add payee").click()
        result = page.locator(".payee-form__result[data-outcome]").last
        expect(result).to_contain_text(f"The account is in the name of {NAME_ON_RECORD}, not {TYPED_NAME}")
        expect(result).to_contain_text(f"Did you mean {NAME_ON_RECORD}?")
        added = [p for p in payees(page) if p["account_number"].endswith("1864")]
        assert [(p["display_name"], p["holder_name"], p["check_outcome"]) for p in added] == [
            (NICKNAME, TYPED_NAME, "close_match")]

        before = bot_messages(page).count()
        result.get_by_role("button", name="Keep it").click()
        expect(page.locator("#log .msg--user").last).to_have_text(PAY_NEW_PAYEE)
        expect(bot_messages(page)).not_to_have_count(before)
        label = f"{NICKNAME} ({TYPED_NAME}) · ending 1864"
        buttons = page.locator("#log .msg--bot .msg__buttons button:not([disabled])")
        expect(buttons.filter(has_text=label)).to_have_count(1)  # names from the payees API, page only
        expect(bot_messages(page).filter(has_text="Who would you like to pay?").last).to_be_visible()

        click_button(page, label)
        expect(bot_messages(page).last).to_contain_text("How much")
        say(page, "25")
        click_button(page, "No reference")
        click_button(page, "Now")
        expect(bot_messages(page).last).to_contain_text(
            "Just to confirm: pay £25.00 to the payee with account ending 1864")
        balance = total_balance(stack)
        click_button(page, "Yes, pay it")  # the step-up's stronger login still counts: no second one
        paid = "Done: I've paid £25.00 to the payee with account ending 1864"
        expect(bot_messages(page).last).to_contain_text(paid)
        assert total_balance(stack) == balance - 25

        said = transcript(page)
        text = json.dumps(said)
        leaked = [secret for secret in SECRETS if secret in text]
        assert not leaked, f"the transcript holds {leaked}"
        user = [m["text"] for m in said["messages"] if m["sender"] == "user"]
        assert PAY_NEW_PAYEE in user and "Account ending 1864" in user, user
        sent = " ".join(chat_messages)
        assert not [secret for secret in SECRETS if secret in sent], "payee details never go into the chat"
        assert ACCOUNT_NUMBER not in stored(page)
    finally:
        context.close()


def add_payee(page: Page, api: str, login: str, name: str, sort_code: str, account_number: str) -> Locator:
    """Fill in and send the latest payee form (confirming it's them if the login went stale on a
    slow turn); the check's answer."""
    form = page.get_by_role("form", name="New payee").last
    form.get_by_label("Name on the account").fill(name)
    form.get_by_label("Sort code").fill(sort_code)
    form.get_by_label("Account number").fill(account_number)
    form.get_by_role("button", name="Add payee").click()
    result = page.locator(".payee-form__result[data-outcome]").last
    expect(result.or_(step_up_prompt(page)).first).to_be_visible()
    if step_up_prompt(page).count():
        step_up_prompt(page).click()
        log_in_at_provider(page, api, login)
    expect(result).to_be_visible()
    return result


def test_a_payee_whose_name_does_not_match_is_removed_and_names_need_the_api(
    stack: Stack, browser: Browser
) -> None:
    """No match: a warning that recommends removing the payee; removing it brings the form back
    with what was typed. When the payees API can't be reached the buttons keep the bot's titles."""
    api = stack.config.api_url
    context = browser.new_context()
    page = context.new_page()
    try:
        open_signed_in(page, api, "margaret")  # three payees saved, one of them "Latisha" (ending 1864)
        say(page, "I want to add a new payee")
        result = add_payee(page, api, "margaret", "Robert Smith", "09-01-28", "10203040")
        expect(result).to_have_attribute("role", "alert")
        expect(result).to_contain_text("Warning: the name doesn't match the account")
        expect(result.get_by_role("button").first).to_have_text("Remove it")  # the recommended choice
        assert [p for p in payees(page) if p["account_number"].endswith("3040")]

        result.get_by_role("button", name="Remove it").click()
        form = page.get_by_role("form", name="New payee").last
        expect(form).to_be_visible()
        expect(page.locator(".payee-form__status").last).to_contain_text("Removed")
        expect(form.get_by_label("Account number")).to_have_value("10203040")  # to correct, or cancel
        assert not [p for p in payees(page) if p["account_number"].endswith("3040")]

        page.route(re.compile(r".*/payees$"), lambda route: route.abort())
        with page.expect_event("requestfailed", predicate=lambda r: r.url.endswith("/payees")):
            say(page, PAY_NEW_PAYEE)
        asked = bot_messages(page).filter(has_text="Who would you like to pay?").last
        titles = asked.locator(".msg__buttons button").all_inner_texts()
        assert titles and all(t.startswith("Account ending ") for t in titles), titles
        assert "Account ending 1864" in titles
    finally:
        context.close()
