"""The compliance page in Chromium: sign in, search, open a transcript with its placeholders
highlighted, reveal one with a reason (audited), export HTML and JSONL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from service.staff.settings import LOCAL_DEMO_PASSWORD
from stack.processes import Stack
from tests.support.chat import ChatClient
from tests.support.colleague import Colleague

pytestmark = [pytest.mark.browser, pytest.mark.stack]

TIMEOUT = 60_000
CARD = "4539 1488 0343 6467"
EMAIL = "harriet.okonkwo@example.org"


def sign_in(page: Page, api_url: str, username: str) -> None:
    page.goto(f"{api_url}/compliance")
    page.fill("#username", username)
    page.fill("#password", LOCAL_DEMO_PASSWORD)
    page.click("#login")


def download(page: Page, button: str, folder: Path) -> str:
    with page.expect_download(timeout=TIMEOUT) as info:
        page.click(button)
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_text()


def test_review_reveal_and_export(stack: Stack, browser: Browser, tmp_path: Path) -> None:
    chat = ChatClient(stack.config.api_url, "cus_005")
    chat.send(f"my card is {CARD} and my email is {EMAIL}")
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    try:
        sign_in(page, stack.config.api_url, "compliance1")
        expect(page.locator("#review-view")).to_be_visible(timeout=TIMEOUT)
        expect(page.locator("#chain-state")).to_contain_text("audit: intact", timeout=TIMEOUT)

        page.fill("#customer", "cus_005")
        page.select_option("#entity-type", "CARD")
        page.click("#search")
        result = page.locator(f'#results [data-conversation-id="{chat.id}"]')
        expect(result).to_have_count(1, timeout=TIMEOUT)
        expect(result).to_contain_text("CARD")
        result.click()

        card = page.locator('#transcript-log .entity[data-placeholder="<CARD_1>"]')
        expect(card).to_have_text("<CARD_1>", timeout=TIMEOUT)
        expect(page.locator('#transcript-log .entity[data-placeholder="<EMAIL_1>"]')).to_have_count(1)
        assert CARD not in page.content() and EMAIL not in page.content()

        card.click()
        expect(page.locator("#reveal-dialog")).to_be_visible()
        page.click("#reveal-confirm")  # no reason: the form does not submit
        expect(page.locator("#reveal-dialog")).to_be_visible()
        expect(card).to_have_text("<CARD_1>")
        page.fill("#reveal-reason", "Fraud case FR-9, card dispute")
        page.click("#reveal-confirm")
        expect(card).to_have_text(CARD, timeout=TIMEOUT)
        expect(card).to_have_class("entity entity--CARD entity--revealed")
        expect(page.locator("#reveal-dialog")).to_be_hidden()
        page.screenshot(path=str(tmp_path / "compliance.png"))

        html_export = download(page, "#export-html", tmp_path)
        assert '<mark class="entity" data-entity-type="CARD">&lt;CARD_1&gt;</mark>' in html_export
        assert CARD not in html_export and EMAIL not in html_export, "exports stay redacted"
        jsonl_export = download(page, "#export-search-jsonl", tmp_path)
        assert chat.id in {json.loads(line)["id"] for line in jsonl_export.splitlines()}

        audit = (
            Colleague(stack.config.api_url, "compliance1")
            .http.get("/v1/compliance/audit", params={"target": chat.id})
            .json()
        )
        actions = [(e["actor"], e["action"]) for e in audit]
        assert ("compliance:compliance1", "view_transcript") in actions
        assert ("compliance:compliance1", "reveal") in actions
        assert ("compliance:compliance1", "export_transcript") in actions
        assert next(e for e in audit if e["action"] == "reveal")["reason"] == "Fraud case FR-9, card dispute"
        expect(page.locator("#chain-state")).to_contain_text("audit: intact")
    finally:
        context.close()


def test_an_agent_is_turned_away(stack: Stack, browser: Browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        sign_in(page, stack.config.api_url, "agent1")
        expect(page.locator("#notice")).to_have_text(
            "Compliance review needs the compliance role.", timeout=TIMEOUT
        )
        expect(page.locator("#review-view")).to_be_hidden()
    finally:
        context.close()
