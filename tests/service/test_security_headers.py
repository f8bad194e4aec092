"""Security headers on every response, HSTS only in production, CORS only for configured
origins, and the pages still work under the Content-Security-Policy (Chromium reports no
violation)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.app import running_app, served
from tests.support.production import bare_database, production_environment

PAGES = ("/", "/agent", "/compliance", "/analytics")
ALWAYS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options")


def test_every_response_carries_the_headers(stack_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with running_app(stack_database, monkeypatch) as client:
        responses = [
            client.get("/"),  # a page
            client.get("/static/chat.js"),  # a static file
            client.post("/v1/conversations", json={"channel": "web"}),  # the API
            client.get("/v1/conversations/conv_nope"),  # an error
            client.post("/v1/conversations", content=b"{", headers={"content-type": "application/json"}),
            client.get("/docs"),
        ]
    for response in responses:
        for header in ALWAYS:
            assert header in response.headers, (response.request.url, header)
        assert "Strict-Transport-Security" not in response.headers
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    page_policy = responses[0].headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in page_policy and "script-src 'self'" in page_policy
    assert "cdn.jsdelivr.net" in responses[-1].headers["Content-Security-Policy"]  # Swagger UI


def test_strict_transport_security_in_production(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    production_environment(monkeypatch)  # production starts with no demo colleagues
    with running_app(bare_database(str(tmp_path)), monkeypatch, environment="production") as client:
        response = client.get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_cors_allows_only_configured_origins(stack_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    preflight = {"Origin": "https://app.bank.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}
    with running_app(stack_database, monkeypatch) as client:
        closed = client.post("/v1/conversations", json={"channel": "web"},
                             headers={"Origin": "https://app.bank.example"})
    with running_app(stack_database, monkeypatch,
                     cors_allowed_origins=["https://app.bank.example"]) as client:
        allowed = client.options("/v1/conversations", headers=preflight)
        other = client.options("/v1/conversations", headers={**preflight, "Origin": "https://evil.example"})
        simple = client.post("/v1/conversations", json={"channel": "web"},
                             headers={"Origin": "https://app.bank.example"})
    assert "access-control-allow-origin" not in closed.headers
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.bank.example"
    assert "access-control-allow-origin" not in other.headers
    assert simple.headers["access-control-allow-origin"] == "https://app.bank.example"
    assert "Content-Security-Policy" in allowed.headers


def test_the_chat_page_may_fetch_only_from_itself_and_the_identity_provider(
    stack_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDENTITY_ISSUER", "https://login.bank.example/oidc")
    with running_app(stack_database, monkeypatch) as client:
        page = client.get("/")
        config = client.get("/web/config")
    policy = dict(d.split(" ", 1) for d in page.headers["Content-Security-Policy"].split("; "))
    assert policy["connect-src"] == "'self' https://login.bank.example"
    assert policy["script-src"] == "'self'" and policy["form-action"] == "'self'"
    assert config.json() == {"issuer": "https://login.bank.example/oidc", "client_id": "banking-web"}
    assert "Content-Security-Policy" in config.headers


@pytest.fixture
def live_api(stack_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with served(stack_database, monkeypatch) as url:
        yield url


@pytest.mark.browser
def test_pages_run_under_the_policy(live_api: str) -> None:
    from playwright.sync_api import sync_playwright

    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS

    violations: list[str] = []
    sockets: list[str] = []

    def report(path: str):  # type: ignore[no-untyped-def]
        def on_console(message) -> None:  # type: ignore[no-untyped-def]
            if "Content Security Policy" in message.text:
                violations.append(f"{path}: {message.text}")
        return on_console

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for path in PAGES:
                page = browser.new_page()
                page.on("console", report(path))
                page.on("websocket", lambda socket: sockets.append(socket.url))
                page.add_init_script(
                    "document.addEventListener('securitypolicyviolation', e => "
                    "console.error('Content Security Policy violation: ' + e.violatedDirective))"
                )
                page.goto(f"{live_api}{path}", wait_until="networkidle")
                if path == "/":  # the chat starts a conversation (fetch) and opens its WebSocket
                    page.wait_for_function("() => sessionStorage.getItem('banking-assistant.conversation')")
                    page.wait_for_timeout(500)
                page.close()
        finally:
            browser.close()
    assert violations == []
    assert any("/v1/conversations/" in url and url.startswith("ws://") for url in sockets), sockets
