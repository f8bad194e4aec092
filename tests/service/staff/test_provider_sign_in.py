"""Colleagues sign in with the bank's identity provider: an access token for the staff audience,
verified against the provider's published keys, becomes our staff session, with the role
from the token's groups. Tokens are signed by a key the test makes and served from a real
local HTTP JWKS endpoint (the local provider issues customers' tokens, without groups)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from identity.settings import IdentitySettings
from service.staff.models import NO_PASSWORD, StaffUser
from service.staff.settings import StaffSettings
from service.staff.sign_in import role_from_groups
from tests.identity.jwks_server import LocalIssuer
from tests.service.staff.conftest import bearer, colleague_token, password_login, provider_login
from tests.support.app import started_app
from tests.support.production import bare_database, production_environment


def error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    return response.json()["error"]


def colleague(app: FastAPI, subject: str) -> StaffUser | None:
    with app.state.sessions() as session:
        return session.scalar(select(StaffUser).where(StaffUser.oidc_subject == subject))


def test_a_colleague_signs_in_with_a_role_from_their_groups(
    app: FastAPI, client: TestClient, issuer: LocalIssuer
) -> None:
    token = colleague_token(issuer, "idp-sub-pat", "pat.agent", ["staff", "bank-agents"])
    response = provider_login(client, token)
    headers = bearer(response)
    assert response.json()["staff"]["username"] == "pat.agent"
    assert response.json()["staff"]["role"] == "agent"
    assert client.get("/v1/staff/me", headers=headers).json()["display_name"] == "pat.agent (test)"
    assert client.get("/v1/agents/queue", headers=headers).status_code == 200
    assert error(client.get("/v1/compliance/audit", headers=headers), 403)["code"] == "role_required"
    stored = colleague(app, "idp-sub-pat")
    assert stored is not None and stored.password_hash == NO_PASSWORD
    # No password of theirs exists here: the password sign-in cannot open their account.
    assert error(password_login(client, "pat.agent", ""), 422)
    assert error(password_login(client, "pat.agent", "!"), 401)["code"] == "invalid_credentials"


def test_the_role_follows_the_groups_at_every_sign_in(
    app: FastAPI, client: TestClient, issuer: LocalIssuer
) -> None:
    first = provider_login(client, colleague_token(issuer, "idp-sub-lee", "lee", ["bank-analysts"]))
    assert first.json()["staff"]["role"] == "analyst"
    again = provider_login(client, colleague_token(issuer, "idp-sub-lee", "lee", ["bank-analysts",
                                                                                  "bank-compliance"]))
    assert again.json()["staff"]["role"] == "compliance"  # the first of the mapping they are in
    assert again.json()["staff"]["id"] == first.json()["staff"]["id"]
    assert client.get("/v1/compliance/audit/verify", headers=bearer(again)).status_code == 200


@pytest.mark.parametrize("groups", [[], ["staff", "bank-customers"], None, "not-a-group", {"x": 1}])
def test_no_mapped_group_no_session(app: FastAPI, client: TestClient, issuer: LocalIssuer,
                                    groups: object) -> None:
    body = error(provider_login(client, colleague_token(issuer, "idp-sub-kim", "kim", groups)), 403)
    assert body["code"] == "role_required"
    assert colleague(app, "idp-sub-kim") is None


def test_group_mapping_table() -> None:
    mapping = StaffSettings().staff_oidc_group_roles
    assert role_from_groups(["bank-agents"], mapping) == "agent"
    assert role_from_groups("bank-admins", mapping) == "admin"
    assert role_from_groups(["bank-agents", "bank-admins"], mapping) == "admin"
    assert role_from_groups(["bank-agent"], mapping) is None
    assert role_from_groups(None, mapping) is None


def test_the_mapping_and_claims_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVICE_STAFF_OIDC_GROUP_ROLES", '{"cn=ops,ou=bank": "agent"}')
    monkeypatch.setenv("SERVICE_STAFF_OIDC_GROUPS_CLAIM", "roles")
    settings = StaffSettings()
    assert settings.staff_oidc_groups_claim == "roles"
    assert role_from_groups(["cn=ops,ou=bank"], settings.staff_oidc_group_roles) == "agent"
    assert role_from_groups(["bank-agents"], settings.staff_oidc_group_roles) is None


def hs256_with_public_key(issuer: LocalIssuer, claims: dict[str, object]) -> str:
    """The classic confusion: HMAC-signed with the provider's public key (PEM) as the secret."""
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    kid, key = issuer.keys[0]
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    signing_input = ".".join([b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode()),
                              b64(json.dumps(claims).encode())])
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def forged_tokens(issuer: LocalIssuer) -> dict[str, str]:
    now = int(time.time())
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    claims = issuer.claims(aud="banking-staff", sub="idp-sub-eve", preferred_username="eve",
                           groups=["bank-admins"])
    return {
        "customer audience": issuer.sign(sub="idp-sub-eve", preferred_username="eve", groups=["bank-admins"]),
        "another key": issuer.sign(key=other_key, **{k: v for k, v in claims.items() if k != "iss"}),
        "alg none": jwt.encode(claims, "", algorithm="none", headers={"kid": issuer.keys[0][0]}),
        "HS256 with the public key": hs256_with_public_key(issuer, claims),
        "expired": issuer.sign(**{**claims, "iat": now - 3600, "exp": now - 600}),
        "another issuer": issuer.sign(**{**claims, "iss": "https://idp.example.net"}),
        "not a JWT": "not-a-token",
    }


@pytest.mark.parametrize("case", ["customer audience", "another key", "alg none", "HS256 with the public key",
                                  "expired", "another issuer", "not a JWT"])
def test_forged_and_wrong_tokens_are_refused(app: FastAPI, client: TestClient, issuer: LocalIssuer,
                                             case: str) -> None:
    body = error(provider_login(client, forged_tokens(issuer)[case]), 401)
    assert body["code"] == "invalid_token"
    assert colleague(app, "idp-sub-eve") is None


def test_a_local_colleagues_username_is_never_taken_over(app: FastAPI, client: TestClient,
                                                         issuer: LocalIssuer) -> None:
    token = colleague_token(issuer, "idp-sub-mallory", "admin1", ["bank-admins"])
    assert error(provider_login(client, token), 409)["code"] == "staff_identity_conflict"
    assert colleague(app, "idp-sub-mallory") is None


def test_a_disabled_colleague_cannot_sign_in(app: FastAPI, client: TestClient, issuer: LocalIssuer) -> None:
    token = colleague_token(issuer, "idp-sub-sam", "sam.leaver", ["bank-agents"])
    bearer(provider_login(client, token))
    app.state.staff.set_active("sam.leaver", False)
    assert error(provider_login(client, token), 401)["code"] == "invalid_credentials"


def test_an_unreachable_provider_is_a_503(app: FastAPI, client: TestClient, issuer: LocalIssuer) -> None:
    issuer.up = False
    response = provider_login(client, colleague_token(issuer, "idp-sub-ann", "ann", ["bank-agents"]))
    assert error(response, 503)["code"] == "provider_unavailable"
    assert int(response.headers["Retry-After"]) > 0


def test_production_signs_colleagues_in_through_the_provider_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, issuer: LocalIssuer
) -> None:
    production_environment(monkeypatch)
    database = bare_database(str(tmp_path))
    identity = IdentitySettings(issuer=issuer.url)
    with started_app(database, environment="production", identity=identity) as app, TestClient(app) as client:
        headers = bearer(provider_login(client, colleague_token(issuer, "idp-sub-jo", "jo", ["bank-agents"])))
        assert client.get("/v1/agents/queue", headers=headers).status_code == 200
        assert error(password_login(client, "jo", "any-password-at-all"), 403)["code"] == (
            "password_sign_in_disabled")


def test_colleagues_may_have_a_provider_of_their_own(
    staff_database: str, issuer: LocalIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    customers_provider = IdentitySettings(issuer="http://127.0.0.1:9")  # not the colleagues'
    monkeypatch.setenv("SERVICE_STAFF_OIDC_ISSUER", issuer.url)
    with started_app(staff_database, identity=customers_provider) as app, TestClient(app) as client:
        token = colleague_token(issuer, "idp-sub-own", "own.agent", ["bank-agents"])
        assert provider_login(client, token).json()["staff"]["role"] == "agent"
