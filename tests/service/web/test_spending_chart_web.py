"""A signed-in customer asks where their money goes in Chromium, through the real stack, and
sees the answer as words and as a bar chart: one bar a category, the usual marked, the figures
also in a table for screen readers."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from stack.processes import Stack
from tests.support.web_chat import TURN_TIMEOUT, open_signed_in, say

pytestmark = [pytest.mark.browser, pytest.mark.stack]
expect.set_options(timeout=TURN_TIMEOUT)


def test_a_spending_breakdown_is_drawn_as_a_chart(stack: Stack, browser: Browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        open_signed_in(page, stack.config.api_url, "alex")
        say(page, "am I spending more than usual?")
        chart = page.get_by_role("img", name="Spending this month so far")
        expect(chart).to_be_visible()
        bars = chart.locator("g.spending-chart__bar")
        expect(bars.first).to_be_visible()
        count = bars.count()
        assert count >= 2
        widths = [float(bars.nth(n).locator("rect").get_attribute("width") or 0) for n in range(count)]
        assert widths == sorted(widths, reverse=True), "biggest category first"
        expect(chart.locator("line.spending-chart__usual").first).to_be_attached()
        # The words come as their own message, just before the chart.
        expect(page.locator("li.msg--bot").filter(has_text="You spent £").last).to_be_visible()
        figure = page.locator("figure.spending-chart").last
        expect(figure.locator("table td").first).to_have_text(
            chart.locator("text.spending-chart__label").first.text_content() or "")
    finally:
        context.close()
