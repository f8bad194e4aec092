"""A signed-in customer asks about their spending in Chromium, through the real stack, and sees
the answer as a table: the summary as its caption, a row per transaction, money right-aligned,
and the next page on "Show more"."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from stack.processes import Stack
from tests.support.web_chat import TURN_TIMEOUT, open_signed_in, say

pytestmark = [pytest.mark.browser, pytest.mark.stack]
expect.set_options(timeout=TURN_TIMEOUT)


def test_a_spending_question_is_answered_with_a_table(stack: Stack, browser: Browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        open_signed_in(page, stack.config.api_url, "alex")
        say(page, "show me all transactions over £20 this year")
        table = page.get_by_role("table").last
        expect(table.locator("caption")).to_contain_text("transactions over £20.00 this year")
        expect(table.get_by_role("columnheader", name="Amount")).to_be_visible()
        rows = table.locator("tbody tr")
        expect(rows.first).to_be_visible()
        first_page = rows.count()
        assert first_page > 1
        money = table.locator("td.txn-table__money").first
        assert money.evaluate("el => getComputedStyle(el).textAlign") in ("right", "end")
        expect(table.locator("caption")).to_contain_text("Page 1 of")

        page.get_by_role("button", name="Show more").last.click()
        expect(page.get_by_role("table").last.locator("caption")).to_contain_text("Page 2 of")
    finally:
        context.close()
