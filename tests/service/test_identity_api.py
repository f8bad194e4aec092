"""Who a conversation's customer is, through the API and the real identity provider: the
customer is the subject of a verified access token, never a field of the body; anonymous
conversations reach no account; sensitive changes need a recent login; tokens end."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from identity.settings import IdentitySettings
from service.main import create_app
from stack.identity_provider import (
    LocalIdentityProvider,
    add_user,
    customer_token,
    demo_password,
    local_identity_provider,
    rotate_keys,
    sign_in,
)
from stack.processes import free_port
from tests.support.app import settings_for, start_conversation

NEW = "/v1/conversations"


@pytest.fixture(scope="module")
def unknown_login(identity_provider_process: LocalIdentityProvider) -> str:
    """A login the provider accepts but the bank has no customer for."""
    add_user(identity_provider_process.users_file, "stranger", "subject-without-customer",
             demo_password("stranger"))
    return "stranger"


@pytest.fixture
def client(service_database: str, identity_provider: str) -> Iterator[TestClient]:
    with TestClient(create_app(settings_for(service_database))) as test_client:
        yield test_client


def app_with(service_database: str, **overrides: Any) -> TestClient:
    identity = overrides.pop("identity", {})
    settings = settings_for(service_database, identity=IdentitySettings(**identity), **overrides)
    return TestClient(create_app(settings))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def error_code(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    return str(response.json()["error"]["code"])


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


# -- starting a conversation ---------------------------------------------------------------


def test_a_token_makes_the_conversation_the_customers(client: TestClient, identity_provider: str) -> None:
    token = customer_token(identity_provider, "cus_002")
    started = client.post(NEW, json={"channel": "app"}, headers=bearer(token))
    assert started.status_code == 201, started.text
    body = started.json()
    assert body["signed_in"] is True and "customer_id" not in body
    transcript = client.get(f"{NEW}/{body['id']}", headers=bearer(body["token"])).json()
    assert transcript["customer_id"] == "cus_002"


def test_no_token_starts_an_anonymous_conversation(client: TestClient) -> None:
    body = client.post(NEW, json={"channel": "web"}).json()
    assert body["signed_in"] is False
    transcript = client.get(f"{NEW}/{body['id']}", headers=bearer(body["token"])).json()
    assert transcript["customer_id"] is None


@pytest.mark.parametrize("body", [{"customer_id": "cus_002"}, {"customer_id": "cus_002", "channel": "web"}])
def test_a_customer_id_in_the_body_is_refused(client: TestClient, body: dict[str, str]) -> None:
    assert error_code(client.post(NEW, json=body), 422) == "invalid_request"


@pytest.mark.parametrize("header", ["Token abc", "Basic YWxleDpwdw==", "Bearer", "Bearer ", "abc.def.ghi"])
def test_a_token_in_the_wrong_shape_is_refused(client: TestClient, header: str) -> None:
    assert error_code(client.post(NEW, json={}, headers={"Authorization": header}), 401) == "invalid_token"


def test_forged_tokens_are_refused_alike(client: TestClient, identity_provider: str) -> None:
    real = customer_token(identity_provider, "cus_001")
    header_part, _, signature_part = real.split(".")
    header = jwt.get_unverified_header(real)
    claims = jwt.decode(real, options={"verify_signature": False})
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forgeries = {
        "another key": jwt.encode({**claims, "sub": claims["sub"]}, stranger, algorithm="RS256",
                                  headers={"kid": header["kid"]}),
        "alg none": f"{_b64({'alg': 'none', 'kid': header['kid']})}.{_b64(claims)}.",
        "tampered subject": ".".join([header_part, _b64({**claims, "sub": "someone"}), signature_part]),
        "garbage": "not-a-token",
    }
    answers = set()
    for name, token in forgeries.items():
        response = client.post(NEW, json={}, headers=bearer(token))
        assert error_code(response, 401) == "invalid_token", name
        answers.add(response.text)
    assert len(answers) == 1, "every refusal looks the same"


def test_a_token_of_a_login_the_bank_does_not_know_gets_the_same_answer(
    client: TestClient, identity_provider: str, unknown_login: str
) -> None:
    stranger = sign_in(identity_provider, unknown_login).access_token
    forged = client.post(NEW, json={}, headers=bearer("a.b.c"))
    unknown = client.post(NEW, json={}, headers=bearer(stranger))
    assert error_code(unknown, 401) == "invalid_token"
    assert unknown.json() == forged.json()


def test_wrong_audience_or_issuer_is_refused(service_database: str, identity_provider: str) -> None:
    token = customer_token(identity_provider, "cus_001")
    with app_with(service_database, identity={"audience": "another-api"}) as other_audience:
        assert error_code(other_audience.post(NEW, json={}, headers=bearer(token)), 401) == "invalid_token"


def test_an_expired_token_is_refused(service_database: str, tmp_path: Path) -> None:
    with local_identity_provider(free_port(), tmp_path, extra_env={"IDP_ACCESS_TOKEN_TTL_S": "3"}) as idp, \
            app_with(service_database, identity={"issuer": idp.issuer, "leeway_s": 0}) as app:
        token = customer_token(idp.issuer, "cus_001")
        assert app.post(NEW, json={}, headers=bearer(token)).status_code == 201, "valid at first"
        time.sleep(4)
        assert error_code(app.post(NEW, json={}, headers=bearer(token)), 401) == "invalid_token"


def test_an_unreachable_provider_refuses_new_sign_ins_only(service_database: str,
                                                          identity_provider: str) -> None:
    token = customer_token(identity_provider, "cus_001")
    with app_with(service_database, identity={"issuer": f"http://127.0.0.1:{free_port()}"}) as app:
        refused = app.post(NEW, json={}, headers=bearer(token))
        assert error_code(refused, 503) == "identity_provider_unavailable"
        assert "Retry-After" in refused.headers
        assert app.post(NEW, json={}).status_code == 201, "anonymous chat goes on"


def test_a_key_rotation_or_an_outage_signs_nobody_out(
    client: TestClient, identity_provider_process: LocalIdentityProvider
) -> None:
    issuer = identity_provider_process.issuer
    conversation, headers = start_conversation(client, "cus_001")
    old = customer_token(issuer, "cus_002")
    new_kid = rotate_keys(identity_provider_process.keys_file)
    identity_provider_process.restart()
    assert client.get(f"{NEW}/{conversation}/consents", headers=headers).status_code == 200
    new = customer_token(issuer, "cus_002")
    assert jwt.get_unverified_header(new)["kid"] == new_kid
    assert client.post(NEW, json={}, headers=bearer(new)).status_code == 201, "the new key is fetched"
    assert client.post(NEW, json={}, headers=bearer(old)).status_code == 201, "the old key still counts"
    identity_provider_process.stop()
    try:
        assert client.get(f"{NEW}/{conversation}/consents", headers=headers).status_code == 200
    finally:
        identity_provider_process.start()


# -- what a conversation may reach ---------------------------------------------------------


def test_one_customers_token_reaches_nobody_elses_data(client: TestClient) -> None:
    mine, my_headers = start_conversation(client, "cus_001")
    theirs, _ = start_conversation(client, "cus_002")
    theirs_recommended = client.get("/v1/customers/cus_002/recommendations", headers=my_headers)
    assert error_code(theirs_recommended, 403) == "forbidden"
    assert error_code(client.get(f"{NEW}/{theirs}", headers=my_headers), 403) == "forbidden"
    assert client.get("/v1/customers/cus_001/recommendations", headers=my_headers).status_code != 403


def test_an_anonymous_conversation_reaches_no_account(client: TestClient) -> None:
    conversation, headers = start_conversation(client, None)
    assert client.get("/v1/customers/cus_001/recommendations", headers=headers).status_code in (401, 403)
    consents = client.get(f"{NEW}/{conversation}/consents", headers=headers)
    assert error_code(consents, 403) == "sign_in_required"
    changed = client.put(f"{NEW}/{conversation}/consents/marketing", json={"granted": True}, headers=headers)
    assert error_code(changed, 403) == "sign_in_required"


def test_changing_consent_needs_a_recent_login(service_database: str, identity_provider: str) -> None:
    with app_with(service_database, identity={"step_up_max_age_s": 0}) as app:
        conversation, headers = start_conversation(app, "cus_004")
        url = f"{NEW}/{conversation}/consents/marketing"
        time.sleep(1.1)
        stale = app.put(url, json={"granted": True}, headers=headers)
        assert error_code(stale, 403) == "step_up_required"
        assert stale.json()["error"]["details"]["acr_values"] == "urn:bank:loa:2"
        strong = sign_in(identity_provider, "margaret", max_age=0, acr_values="urn:bank:loa:2").access_token
        # The bot is down in these tests: the login is kept and the bot answers it later.
        resumed = app.post(f"{NEW}/{conversation}/sign-in", json={"access_token": strong}, headers=headers)
        assert resumed.status_code in (200, 503), resumed.text
        assert app.put(url, json={"granted": True}, headers=headers).status_code == 200


# -- signing in later, signing out, expiry -------------------------------------------------


def test_signing_in_keeps_the_conversation_and_only_for_one_customer(
    client: TestClient, identity_provider: str
) -> None:
    conversation, headers = start_conversation(client, None)
    url = f"{NEW}/{conversation}/sign-in"
    first = client.post(url, json={"access_token": customer_token(identity_provider, "cus_005")},
                        headers=headers)
    assert first.status_code in (200, 503), first.text
    assert client.get(f"{NEW}/{conversation}", headers=headers).json()["customer_id"] == "cus_005"
    other = client.post(url, json={"access_token": customer_token(identity_provider, "cus_006")},
                        headers=headers)
    assert error_code(other, 403) == "forbidden"
    assert client.get(f"{NEW}/{conversation}", headers=headers).json()["customer_id"] == "cus_005"
    forged = client.post(url, json={"access_token": "x.y.z"}, headers=headers)
    assert error_code(forged, 401) == "invalid_token"


def test_signing_out_ends_the_token_and_its_sockets(client: TestClient) -> None:
    conversation, headers = start_conversation(client, "cus_001")
    token = headers["Authorization"].split()[1]
    with client.websocket_connect(f"{NEW}/{conversation}/ws?token={token}") as socket:
        assert client.post(f"{NEW}/{conversation}/sign-out", headers=headers).status_code == 204
        with pytest.raises(WebSocketDisconnect) as closed:
            for _ in range(10):
                socket.receive_json()
        assert closed.value.code == 4401
    assert error_code(client.get(f"{NEW}/{conversation}", headers=headers), 401) == "unauthorized"
    recommended = client.get("/v1/customers/cus_001/recommendations", headers=headers)
    assert error_code(recommended, 401) == "unauthorized"


def test_conversation_tokens_expire(service_database: str, identity_provider: str) -> None:
    with app_with(service_database, identity={"conversation_ttl_s": 1}) as app:
        conversation, headers = start_conversation(app, "cus_001")
        assert app.get(f"{NEW}/{conversation}", headers=headers).status_code == 200
        time.sleep(1.5)
        assert error_code(app.get(f"{NEW}/{conversation}", headers=headers), 401) == "unauthorized"


# -- limits ---------------------------------------------------------------------------------


def test_conversation_starts_are_limited_per_address(service_database: str, identity_provider: str) -> None:
    with app_with(service_database, rate_limit_conversation_start_per_ip="3/minute") as app:
        statuses = [app.post(NEW, json={}).status_code for _ in range(4)]
        refused = app.post(NEW, json={})
    assert statuses == [201, 201, 201, 429]
    assert error_code(refused, 429) == "rate_limited" and int(refused.headers["Retry-After"]) >= 1


def test_the_socket_refuses_binary_and_huge_frames(client: TestClient) -> None:
    conversation, headers = start_conversation(client, None)
    token = headers["Authorization"].split()[1]
    with client.websocket_connect(f"{NEW}/{conversation}/ws?token={token}") as socket:
        socket.send_bytes(b"\x00\x01binary")
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json()
        assert closed.value.code == 1003
    with client.websocket_connect(f"{NEW}/{conversation}/ws?token={token}") as socket:
        socket.send_text(json.dumps({"type": "message", "text": "x" * 40_000}))
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json()
        assert closed.value.code == 1009
    assert client.get(f"{NEW}/{conversation}", headers=headers).json()["messages"] == [], "nothing stored"


def test_sockets_per_conversation_and_messages_are_limited(service_database: str,
                                                           identity_provider: str) -> None:
    with app_with(service_database, sockets_per_conversation=1,
                  rate_limit_socket_message_per_conversation="2/minute") as app:
        conversation, headers = start_conversation(app, None)
        url = f"{NEW}/{conversation}/ws?token={headers['Authorization'].split()[1]}"
        with app.websocket_connect(url) as first:
            with pytest.raises(WebSocketDisconnect) as closed, app.websocket_connect(url) as second:
                second.receive_json()
            assert closed.value.code == 1008
            for _ in range(3):
                first.send_json({"type": "message", "text": "hello"})
            errors: list[dict[str, Any]] = []
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not errors:
                event = first.receive_json()
                if event["type"] == "error" and event["error"]["code"] == "rate_limited":
                    errors.append(event)
            assert errors, "the third message in a minute is refused"


def test_socket_handshakes_are_limited_per_address(service_database: str, identity_provider: str) -> None:
    with app_with(service_database, rate_limit_socket_handshake_per_ip="2/minute") as app:
        conversation, headers = start_conversation(app, None)
        url = f"{NEW}/{conversation}/ws?token={headers['Authorization'].split()[1]}"
        for _ in range(2):
            with app.websocket_connect(url):
                pass
        with pytest.raises(WebSocketDisconnect) as closed, app.websocket_connect(url) as third:
            third.receive_json()
        assert closed.value.code == 1013
