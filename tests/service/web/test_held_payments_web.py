"""A colleague releases a payment held for review from the agent console, in Chromium: the held
payment is listed (amount, account ending, why it is held), the release asks for a reason, the
payment leaves the list, and the customer's open web chat shows the bank's notice at once.
The API in-process with the bot down: nothing here needs an answer from the bot."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bank.enums import PaymentStatus
from bank.payments import PaymentStore
from database.engine import get_engine, session_factory
from privacy.models import AuditEntry
from service.payment_reviews import RELEASE_ACTION
from service.staff.settings import LOCAL_DEMO_PASSWORD
from tests.support.app import served
from tests.support.databases import prepared_sqlite
from tests.support.web_chat import open_signed_in

pytestmark = [pytest.mark.browser]

MARGARET, CURRENT, LATISHA = "cus_004", "acc_004_current", "pye_004_01"
TIMEOUT = 30_000
NOTICE = ("Our payments team has checked your payment of £250.00 to the payee with account ending 1864 "
          "and sent it.")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return prepared_sqlite(tmp_path_factory, "held-payments-web")


@pytest.fixture
def api_url(database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with served(database, monkeypatch) as url:
        yield url


@pytest.fixture
def sessions(database: str) -> sessionmaker[Session]:
    return session_factory(get_engine(database))


def sign_in(page: Page, api_url: str, username: str) -> None:
    page.goto(f"{api_url}/agent")
    page.fill("#username", username)
    page.fill("#password", LOCAL_DEMO_PASSWORD)
    page.click("#login")
    expect(page.locator("#whoami")).to_be_visible(timeout=TIMEOUT)


def test_a_colleague_releases_a_held_payment_with_a_reason(
    api_url: str, sessions: sessionmaker[Session], browser: Browser, tmp_path: Path
) -> None:
    customer_context, agent_context = browser.new_context(), browser.new_context()
    customer, agent = customer_context.new_page(), agent_context.new_page()
    try:
        open_signed_in(customer, api_url, "margaret")
        payment = PaymentStore(sessions).pay(MARGARET, CURRENT, LATISHA, Decimal("250.00"),
                                             idempotency_key=f"web-{uuid.uuid4().hex}",
                                             review_reason="sanctions screening")
        assert payment.status == PaymentStatus.REVIEW

        sign_in(agent, api_url, "agent1")
        row = agent.locator(f'#held-list tr[data-payment-id="{payment.id}"]')
        expect(row).to_have_count(1, timeout=TIMEOUT)
        expect(row).to_contain_text("£250.00")
        expect(row).to_contain_text("1864")
        expect(row).to_contain_text("sanctions screening")
        expect(row).not_to_contain_text("Latisha")

        row.locator('button[data-action="release"]').click()
        expect(agent.locator("#held-decision-title")).to_have_text(
            "Release £250.00 to account ending 1864?"
        )
        agent.click("#held-confirm")  # no reason given: the form refuses to send
        expect(agent.locator("#held-decision")).to_be_visible()
        expect(row).to_have_count(1)
        assert PaymentStore(sessions).held_payment(payment.id).status == PaymentStatus.REVIEW

        agent.fill("#held-reason", "Checked: not the listed person")
        agent.screenshot(path=str(tmp_path / "held-payments.png"))
        agent.click("#held-confirm")
        expect(row).to_have_count(0, timeout=TIMEOUT)
        expect(agent.locator("#held-decision")).to_be_hidden()
        expect(agent.locator("#notice")).to_have_text("Payment of £250.00 released.")

        expect(customer.locator("#log .msg--system").filter(has_text="account ending 1864")).to_have_text(
            NOTICE, timeout=TIMEOUT
        )
        [sent] = [p for p in PaymentStore(sessions).payments(MARGARET) if p.id == payment.id]
        assert sent.status == PaymentStatus.COMPLETED
        with sessions() as session:
            [entry] = session.scalars(select(AuditEntry).where(AuditEntry.target == payment.id))
        assert (entry.actor, entry.action) == ("staff:agent1", RELEASE_ACTION)
        assert "not the listed person" in entry.reason
    finally:
        customer_context.close()
        agent_context.close()
