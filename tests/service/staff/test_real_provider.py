"""Colleagues' sign-in against the real local identity provider (the Node app): its tokens for
the staff audience verify through its discovery document and keys, a colleague's groups give
their role, a customer's token for the assistant's audience is no colleague's token, and a
user without staff groups gets no role."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import jwt
import pytest
from fastapi.testclient import TestClient

from identity.settings import IdentitySettings
from stack.identity_provider import LocalIdentityProvider, customer_token, local_identity_provider, sign_in
from stack.processes import free_port
from tests.service.staff.conftest import STAFF_AUDIENCE, bearer, provider_login
from tests.support.app import VAULT_KEY, started_app

# Not a username any other staff test gives a colleague (the staff database is shared).
STAFF_LOGIN, STAFF_PASSWORD = "robin.agent", "robin-agent-test-password-2026"


@pytest.fixture(scope="module")
def staff_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalIdentityProvider]:
    """A second local provider whose access tokens are for the staff audience, with one
    colleague in the staff groups added to its users file."""
    with local_identity_provider(free_port(), tmp_path_factory.mktemp("staff-idp"),
                                 audience=STAFF_AUDIENCE) as provider:
        users = json.loads(provider.users_file.read_text())
        users.append({"login": STAFF_LOGIN, "subject": "idp-staff-robin", "password": STAFF_PASSWORD,
                      "groups": ["bank-agents"], "name": "Robin (agent)"})
        provider.users_file.write_text(json.dumps(users))
        yield provider


@contextmanager
def client_for(database: str, issuer: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("PRIVACY_VAULT_KEY", VAULT_KEY)
    with started_app(database, identity=IdentitySettings(issuer=issuer)) as app, TestClient(app) as client:
        yield client


@pytest.fixture
def staff_client(staff_database: str, staff_provider: LocalIdentityProvider,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    with client_for(staff_database, staff_provider.issuer, monkeypatch) as client:
        yield client


def test_a_provider_user_without_staff_groups_gets_no_role(staff_client: TestClient,
                                                          staff_provider: LocalIdentityProvider) -> None:
    token = sign_in(staff_provider.issuer, "alex").access_token
    assert jwt.decode(token, options={"verify_signature": False})["aud"] == STAFF_AUDIENCE
    response = provider_login(staff_client, token)
    # Verified (signature, issuer, audience, expiry): refused for the role, not the token.
    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "role_required"


def test_a_colleague_in_a_staff_group_signs_in(staff_client: TestClient,
                                              staff_provider: LocalIdentityProvider) -> None:
    token = sign_in(staff_provider.issuer, STAFF_LOGIN, STAFF_PASSWORD).access_token
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["groups"] == ["bank-agents"] and claims["preferred_username"] == STAFF_LOGIN
    response = provider_login(staff_client, token)
    assert response.json()["staff"]["role"] == "agent"
    assert staff_client.get("/v1/agents/queue", headers=bearer(response)).status_code == 200


def test_a_customers_token_is_not_a_colleagues(staff_database: str, identity_provider: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    token = customer_token(identity_provider, "cus_001")
    with client_for(staff_database, identity_provider, monkeypatch) as client:
        response = provider_login(client, token)
        assert response.status_code == 401, response.text
        assert response.json()["error"]["code"] == "invalid_token"
