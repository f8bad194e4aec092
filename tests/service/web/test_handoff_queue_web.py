"""The waiting customer's side of a handoff in the web chat (Chromium): one queue line that
moves from 2 to 1 in place when the customer ahead is claimed, "Back to the assistant", and the
good / ok / poor question after a colleague hands back. The API served in-process; Rasa's HTTP
API is stood in for by a small server that records the events appended and answers ``execute``."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from database.engine import get_engine, session_factory
from service.handoff.policy import EscalationPolicy, Priority
from service.handoff.schemas import Goal, PacketCore
from service.handoff.store import HandoffStore, Notice
from service.handoff.triggers import TriggerHit
from service.staff.settings import LOCAL_DEMO_PASSWORD
from tests.support.app import served
from tests.support.databases import prepared_sqlite
from tests.support.web_chat import stored_conversation

pytestmark = [pytest.mark.browser]

TIMEOUT = 30_000


class RasaStandIn(BaseHTTPRequestHandler):
    appended: list[list[dict[str, Any]]] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server hook
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"null")
        if self.path.split("?")[0].endswith("/tracker/events"):
            RasaStandIn.appended.append(body)
            self._answer({})
        elif self.path.split("?")[0].endswith("/execute"):
            self._answer({"messages": [{"recipient_id": "x", "text": "Anything else I can help with?"}]})
        else:
            self._answer({}, 404)

    def _answer(self, body: dict[str, Any], status: int = 200) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return prepared_sqlite(tmp_path_factory, "handoff-queue-web")


@pytest.fixture
def rasa_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), RasaStandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    RasaStandIn.appended = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture
def api_url(database: str, rasa_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with served(database, monkeypatch, rasa_url=rasa_url) as url:
        yield url


def queue(database: str, conversation_id: str) -> str:
    """Queue a handoff as a trigger does (general skill), telling the customer their place."""
    policy = EscalationPolicy.load()
    hit = TriggerHit("customer_request", "Customer asked for a colleague", Priority.NORMAL, "test")
    core = PacketCore(summary="test", triggers=[], goal=Goal(), intents=[])
    store = HandoffStore(session_factory(get_engine(database)), policy.routing)
    opened = store.open_handoff(
        conversation_id, [hit], core, datetime.now(UTC), None,
        lambda place: Notice(f"You're number {place} in the queue.",
                             {"system": {"event": "queued", "position": place, "estimated_wait_s": 60}}),
    )
    assert opened is not None
    return opened[0].id


def colleague(api_url: str) -> httpx.Client:
    client = httpx.Client(base_url=api_url, timeout=30)
    token = client.post("/v1/staff/login", json={"username": "agent1", "password": LOCAL_DEMO_PASSWORD})
    assert token.status_code == 200, token.text
    client.headers["Authorization"] = f"Bearer {token.json()['token']}"
    return client


def open_chat(page: Page, api_url: str) -> str:
    page.goto(f"{api_url}/")
    page.wait_for_function("() => sessionStorage.getItem('banking-assistant.conversation')")
    return str(stored_conversation(page)["id"])


def test_the_queue_line_moves_in_place_and_the_customer_goes_back(
    database: str, api_url: str, browser: Browser, tmp_path: Path
) -> None:
    context = browser.new_context()
    page = context.new_page()
    agent = colleague(api_url)
    try:
        for handoff in agent.get("/v1/agents/queue").json():  # positions start at 1
            if handoff["status"] == "queued":
                agent.post(f"/v1/agents/handoffs/{handoff['id']}/claim")
        conversation_id = open_chat(page, api_url)
        ahead = httpx.post(f"{api_url}/v1/conversations", json={"channel": "web"}).json()["id"]
        ahead_handoff = queue(database, ahead)
        queue(database, conversation_id)
        page.reload()
        expect(page.locator("#queue-place")).to_contain_text("number 2 in the queue", timeout=TIMEOUT)
        lines = page.locator("#log li").count()

        assert agent.post(f"/v1/agents/handoffs/{ahead_handoff}/claim").status_code == 200
        expect(page.locator("#queue-place")).to_contain_text("number 1 in the queue", timeout=TIMEOUT)
        assert page.locator("#log li").count() == lines, "the line moves in place, no new message"
        page.screenshot(path=str(tmp_path / "queue-line.png"))

        page.click("#back-to-bot")
        expect(page.locator("#queue")).to_be_hidden(timeout=TIMEOUT)
        expect(page.locator("#log .msg--system").last).to_contain_text("back with the assistant")
        assert RasaStandIn.appended[-1][0] == {"event": "resume"}
    finally:
        agent.close()
        context.close()


def test_the_customer_rates_the_colleague_after_the_hand_back(
    database: str, api_url: str, browser: Browser, tmp_path: Path
) -> None:
    context = browser.new_context()
    page = context.new_page()
    agent = colleague(api_url)
    try:
        conversation_id = open_chat(page, api_url)
        handoff_id = queue(database, conversation_id)
        page.reload()
        expect(page.locator("#queue")).to_be_visible(timeout=TIMEOUT)
        assert agent.post(f"/v1/agents/handoffs/{handoff_id}/claim").status_code == 200
        expect(page.locator("#queue")).to_be_hidden(timeout=TIMEOUT)
        assert agent.post(f"/v1/agents/handoffs/{handoff_id}/resolve").status_code == 200

        bot_back = page.locator("#log .msg--bot").filter(has_text="Anything else")
        expect(bot_back).to_have_count(1, timeout=TIMEOUT)
        buttons = page.locator("#log .msg__rating button")
        expect(buttons).to_have_count(3, timeout=TIMEOUT)
        page.screenshot(path=str(tmp_path / "rating.png"))
        buttons.filter(has_text="Good").click()
        expect(page.locator("#log .msg").filter(has_text="Thanks for telling us")).to_have_count(
            1, timeout=TIMEOUT
        )
        expect(buttons.first).to_be_disabled()
    finally:
        agent.close()
        context.close()
