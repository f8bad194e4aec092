"""An unusual payment reaches the signed-in customer's open web chat in Chromium as a card
(date, amount, merchant, reasons) and "This wasn't me" freezes their card at once. The API
in-process with the bot down and its detection loop running every half second."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy.orm import Session, sessionmaker

from bank.enums import CardStatus
from bank.store import ProfileStore
from database.engine import get_engine, session_factory
from service.alerts.detection import WATERMARK
from service.alerts.models import AlertWatermark
from tests.service.test_alerts_detection import alerts_of, unusual
from tests.support.app import served
from tests.support.databases import prepared_sqlite
from tests.support.web_chat import open_signed_in

pytestmark = [pytest.mark.browser]

MARGARET = "cus_004"
TIMEOUT = 30_000


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return prepared_sqlite(tmp_path_factory, "alerts-web")


@pytest.fixture
def api_url(database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with served(database, monkeypatch, alerts_interval_s=0.5) as url:
        yield url


@pytest.fixture
def sessions(database: str) -> sessionmaker[Session]:
    return session_factory(get_engine(database))


def wait_for_watermark(sessions: sessionmaker[Session]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with sessions() as session:
            if session.get(AlertWatermark, WATERMARK) is not None:
                return
        time.sleep(0.2)
    raise AssertionError("the detection loop did not start")


def test_the_customer_says_an_unusual_payment_was_not_theirs(
    api_url: str, sessions: sessionmaker[Session], browser: Browser, tmp_path: Path
) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        open_signed_in(page, api_url, "margaret")
        wait_for_watermark(sessions)
        active = [c for c in ProfileStore(sessions).cards(MARGARET) if c.status == CardStatus.ACTIVE]
        assert active
        transaction = unusual(sessions)

        card = page.locator("#log .alert-card")
        expect(card).to_have_count(1, timeout=TIMEOUT)
        expect(card).to_contain_text("£2,450.00")
        expect(card).to_contain_text("KIOSK ")
        expect(card).to_contain_text("Much more than you usually spend")
        page.screenshot(path=str(tmp_path / "alert-card.png"))

        card.get_by_role("button", name="This wasn't me").click()

        outcome = card.locator(".alert-card__outcome")
        expect(outcome).to_contain_text(f"We've frozen your card ending {active[0].last4}", timeout=TIMEOUT)
        expect(card.get_by_role("button", name="This was me")).to_be_hidden()
        frozen = {c.id: c.status for c in ProfileStore(sessions).cards(MARGARET)}
        assert all(frozen[c.id] == CardStatus.FROZEN for c in active)
        assert alerts_of(sessions, transaction)[0].status == "disputed"
        # The fraud colleague's queue notice follows in the chat.
        queued = page.locator("#log .msg--system").filter(has_text="colleague")
        expect(queued).not_to_have_count(0, timeout=TIMEOUT)
    finally:
        context.close()
