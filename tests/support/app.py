"""The API in-process with the bot down (Rasa and the action server point at closed ports):
for the tests that need no answer from the bot."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from identity.settings import IdentitySettings
from service.customer_identity import CustomerLogin
from service.main import create_app
from service.settings import ServiceSettings
from stack import customer_sessions
from stack.processes import free_port

# A fixed test key, so that every app of the session fingerprints and vaults alike.
VAULT_KEY = base64.urlsafe_b64encode(b"service-tests-vault-key-32-bytes").decode()
STRONG_STAFF_PASSWORD = "correct-horse-battery-staple-42"


def settings_for(database_url: str, **overrides: Any) -> ServiceSettings:
    """Settings on ``database_url`` with the bot down, trusting the test session's identity
    provider (``IDENTITY_*`` set by the session fixture in tests/conftest.py)."""
    dead = f"http://127.0.0.1:{free_port()}"
    fields: dict[str, Any] = {"rasa_url": dead, "action_server_url": dead, "redelivery_interval_s": 3600,
                              "identity": IdentitySettings(), **overrides}
    return ServiceSettings(DATABASE_URL=database_url, **fields)


@contextmanager
def started_app(database_url: str, **overrides: Any) -> Iterator[FastAPI]:
    """The app on ``database_url`` with the bot down, its lifespan started."""
    application = create_app(settings_for(database_url, **overrides))
    with TestClient(application):
        yield application


@contextmanager
def running_app(database_url: str, monkeypatch: pytest.MonkeyPatch, **overrides: Any) -> Iterator[TestClient]:
    """A started app (lifespan run) and a client for it."""
    monkeypatch.setenv("PRIVACY_VAULT_KEY", VAULT_KEY)
    monkeypatch.setenv("DATABASE_URL", database_url)  # the recommender reads it from the environment
    with TestClient(create_app(settings_for(database_url, **overrides))) as client:
        yield client


def customer_login(customer_id: str) -> CustomerLogin:
    """A verified login of ``customer_id`` just now (for tests that write to the stores directly)."""
    return CustomerLogin(customer_id, int(time.time()), "urn:bank:loa:1",
                         datetime.now(UTC) + timedelta(minutes=15))


def start_conversation(client: TestClient, customer_id: str | None = "cus_001",
                       channel: str = "web") -> tuple[str, dict[str, str]]:
    """A new conversation's id and its Authorization header, signed in at the provider as
    ``customer_id`` (None: anonymous)."""
    body = customer_sessions.start_conversation(client, customer_id, channel)
    return body["id"], {"Authorization": f"Bearer {body['token']}"}


@contextmanager
def served(database_url: str, monkeypatch: pytest.MonkeyPatch, **overrides: Any) -> Iterator[str]:
    """The app served by uvicorn in a thread (for a browser or an HTTP client); its URL."""
    monkeypatch.setenv("PRIVACY_VAULT_KEY", VAULT_KEY)
    monkeypatch.setenv("DATABASE_URL", database_url)  # the recommender reads it from the environment
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings_for(database_url, **overrides)),
                                           host="127.0.0.1", port=port, ws="wsproto", log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while not server.started and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.2)
    assert server.started, "the API did not start"
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=30)
