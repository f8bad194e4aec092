"""Staff fixtures: the API in-process on a database of its own (demo colleagues seeded), with
colleagues' access tokens from a real local HTTP issuer (discovery document and JWKS) for the
staff audience, and helpers to sign in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from identity.settings import IdentitySettings
from service.staff.settings import LOCAL_DEMO_PASSWORD
from tests.identity.jwks_server import LocalIssuer, local_issuer
from tests.support.app import VAULT_KEY, started_app
from tests.support.databases import prepared_sqlite

STAFF_AUDIENCE = "banking-staff"


@pytest.fixture(scope="session")
def staff_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return prepared_sqlite(tmp_path_factory, "staff")


@pytest.fixture
def issuer() -> Iterator[LocalIssuer]:
    with local_issuer() as running:
        yield running


@pytest.fixture
def app(staff_database: str, issuer: LocalIssuer, monkeypatch: pytest.MonkeyPatch) -> Iterator[FastAPI]:
    """The API on the staff database, trusting ``issuer``; the bot is down."""
    monkeypatch.setenv("PRIVACY_VAULT_KEY", VAULT_KEY)  # one key for every app: one audit chain
    with started_app(staff_database, identity=IdentitySettings(issuer=issuer.url)) as application:
        yield application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def colleague_token(issuer: LocalIssuer, subject: str, username: str, groups: Any, **claims: Any) -> str:
    """A colleague's access token for the staff audience."""
    return issuer.sign(aud=STAFF_AUDIENCE, sub=subject, preferred_username=username, groups=groups,
                       name=f"{username} (test)", **claims)


def password_login(client: TestClient, username: str, password: str = LOCAL_DEMO_PASSWORD) -> Any:
    return client.post("/v1/staff/login", json={"username": username, "password": password})


def provider_login(client: TestClient, token: str) -> Any:
    return client.post("/v1/staff/login/oidc", json={"access_token": token})


def bearer(response: Any) -> dict[str, str]:
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}
