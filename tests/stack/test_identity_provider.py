"""The local identity provider (stack/idp, a real Node process): discovery and keys, the
authorization code flow with PKCE for the two public clients, JWT access tokens that the
service's verifier accepts, wrong passwords, throttling, max_age, step-up acr, key rotation,
sign-out; and how the stack starts it."""

from __future__ import annotations

import json
import re
import stat
import time
from pathlib import Path

import httpx
import jwt
import pytest

from bank.demo_customers import DEMO_LOGINS
from identity.settings import IdentitySettings
from identity.tokens import AccessTokenVerifier, TokenRejected
from stack.identity_provider import (
    LOA1,
    LOA2,
    SignInError,
    SignInRefused,
    SignInThrottled,
    add_user,
    authorization_code,
    customer_token,
    demo_password,
    ensure_keys,
    local_identity_provider,
    pkce_challenge,
    read_keys,
    rotate_keys,
    sign_in,
    signing_kid,
)
from stack.processes import Stack, StackConfig, free_port

ALEX = next(d for d in DEMO_LOGINS if d.login == "alex")


def verifier_for(issuer: str) -> AccessTokenVerifier:
    return AccessTokenVerifier(IdentitySettings(issuer=issuer))


def sign_in_page(issuer: str, http: httpx.Client) -> httpx.Response:
    """The provider's sign-in form for a new authorization request of banking-web."""
    query = {"client_id": "banking-web", "response_type": "code", "scope": "openid profile",
             "redirect_uri": "http://127.0.0.1:8000/", "code_challenge": pkce_challenge("v" * 43),
             "code_challenge_method": "S256"}
    return http.get(f"{issuer}/auth", params=query, follow_redirects=True)


def post_login(issuer: str, login: str, password: str) -> httpx.Response:
    """Post ``login`` and ``password`` to a fresh sign-in form; the provider's answer."""
    with httpx.Client(timeout=10) as http:
        form = sign_in_page(issuer, http)
        assert form.status_code == 200, form.text[:300]
        action = found(r'action="([^"]*/login)"', form.text)
        return http.post(f"{issuer}{action}", data={"login": login, "password": password})


def found(pattern: str, text: str) -> str:
    """The first group of ``pattern`` in ``text`` (which must hold it)."""
    match = re.search(pattern, text)
    assert match, pattern
    return match.group(1)


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


# -- the running provider -----------------------------------------------------------------


@pytest.mark.idp
def test_discovery_and_jwks_publish_public_keys_only(identity_provider: str) -> None:
    discovery = httpx.get(f"{identity_provider}/.well-known/openid-configuration").json()
    assert discovery["issuer"] == identity_provider
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    assert discovery["response_types_supported"] == ["code"]
    assert set(discovery["acr_values_supported"]) == {LOA1, LOA2}
    assert discovery["end_session_endpoint"].startswith(identity_provider)
    keys = httpx.get(discovery["jwks_uri"]).json()["keys"]
    assert keys and all(k["kid"] and k["alg"] == "RS256" and k["use"] == "sig" for k in keys)
    assert not any({"d", "p", "q", "dp", "dq", "qi"} & set(k) for k in keys)
    assert httpx.get(f"{identity_provider}/healthz").status_code == 200


@pytest.mark.idp
def test_sign_in_gives_a_jwt_access_token_the_service_accepts(identity_provider: str) -> None:
    before = int(time.time())
    tokens = sign_in(identity_provider, "alex")
    login = verifier_for(identity_provider).verify(tokens.access_token)
    assert login.subject == ALEX.subject
    assert login.auth_time is not None and before - 1 <= login.auth_time <= time.time() + 1
    assert login.acr == LOA1
    assert login.claims["aud"] == "banking-assistant" and login.claims["client_id"] == "banking-web"
    assert jwt.get_unverified_header(tokens.access_token)["typ"] == "at+jwt"
    assert 800 <= tokens.expires_in <= 900 and login.claims["exp"] - login.claims["iat"] == tokens.expires_in
    id_token = claims_of(tokens.id_token)
    assert id_token["aud"] == "banking-web" and id_token["sub"] == ALEX.subject
    # the access token is for the assistant only, not for the clients
    with pytest.raises(TokenRejected, match="Audience"):
        AccessTokenVerifier(IdentitySettings(issuer=identity_provider), audience="banking-web").verify(
            tokens.access_token)


@pytest.mark.idp
def test_every_demo_customer_signs_in_with_their_demo_password(identity_provider: str) -> None:
    verifier = verifier_for(identity_provider)
    tokens = [customer_token(identity_provider, d.customer_id, client_id="banking-app") for d in DEMO_LOGINS]
    subjects = {verifier.verify(token).subject for token in tokens}
    assert subjects == {d.subject for d in DEMO_LOGINS}
    assert len({demo_password(d.login) for d in DEMO_LOGINS}) == len(DEMO_LOGINS)


@pytest.mark.idp
def test_wrong_password_and_unknown_login_get_the_same_refusal(identity_provider: str) -> None:
    wrong = post_login(identity_provider, "margaret", "not-her-password")
    unknown = post_login(identity_provider, "nobody-at-all", "whatever")
    assert wrong.status_code == unknown.status_code == 401
    message = r'<p class="error"[^>]*>(.*?)</p>'
    assert found(message, wrong.text) == found(message, unknown.text)
    assert "location" not in wrong.headers
    with pytest.raises(SignInRefused):
        sign_in(identity_provider, "margaret", "not-her-password")


@pytest.mark.idp
def test_redirect_uris_are_loopback_on_any_port_and_pkce_is_required(identity_provider: str) -> None:
    for client_id, redirect_uri in (("banking-web", f"http://127.0.0.1:{free_port()}/"),
                                    ("banking-app", f"http://localhost:{free_port()}/callback")):
        tokens = sign_in(identity_provider, "tom", client_id=client_id, redirect_uri=redirect_uri)
        assert claims_of(tokens.access_token)["client_id"] == client_id
    for redirect_uri in ("http://evil.example/", "http://127.0.0.1:8000/elsewhere"):
        with pytest.raises(SignInError, match="HTTP 400"):
            sign_in(identity_provider, "tom", redirect_uri=redirect_uri)
    # without a code challenge the provider refuses the request
    query = {"client_id": "banking-web", "response_type": "code", "scope": "openid",
             "redirect_uri": "http://127.0.0.1:8000/"}
    answer = httpx.get(f"{identity_provider}/auth", params=query)
    assert "error=invalid_request" in answer.headers["location"] and "PKCE" in answer.headers["location"]
    # a code is only redeemed with the verifier of its challenge
    code = authorization_code(identity_provider, "tom", code_challenge=pkce_challenge("a" * 43))
    redeemed = httpx.post(f"{identity_provider}/token", data={
        "grant_type": "authorization_code", "code": code, "client_id": "banking-web",
        "redirect_uri": "http://127.0.0.1/", "code_verifier": "b" * 43})
    assert redeemed.status_code == 400 and redeemed.json()["error"] == "invalid_grant"


@pytest.mark.idp
def test_max_age_asks_for_the_password_again_and_renews_auth_time(identity_provider: str) -> None:
    with httpx.Client(timeout=10) as http:
        first = claims_of(sign_in(identity_provider, "priya", http=http).access_token)
        time.sleep(1.1)
        # the session is reused: no form is shown, so the (wrong) password is never posted
        reused = claims_of(sign_in(identity_provider, "priya", "wrong", http=http).access_token)
        assert reused["auth_time"] == first["auth_time"] and reused["acr"] == LOA1
        with pytest.raises(SignInRefused):
            sign_in(identity_provider, "priya", "wrong", http=http, max_age=0)
        fresh = claims_of(sign_in(identity_provider, "priya", http=http, max_age=0).access_token)
        assert fresh["auth_time"] > first["auth_time"] and fresh["acr"] == LOA1


@pytest.mark.idp
def test_acr_values_loa2_needs_a_fresh_password_and_is_not_kept(identity_provider: str) -> None:
    verifier = verifier_for(identity_provider)
    with httpx.Client(timeout=10) as http:
        assert verifier.verify(sign_in(identity_provider, "kwame", http=http).access_token).acr == LOA1
        with pytest.raises(SignInRefused):  # a live session is not enough for loa:2
            sign_in(identity_provider, "kwame", "wrong", http=http, acr_values=LOA2)
        stepped = verifier.verify(
            sign_in(identity_provider, "kwame", http=http, acr_values=LOA2).access_token)
        assert stepped.acr == LOA2 and stepped.subject == "395aa52c7aea4bdd955c495c"
        again = verifier.verify(sign_in(identity_provider, "kwame", "wrong", http=http).access_token)
        assert again.acr == LOA1 and again.auth_time == stepped.auth_time


@pytest.mark.idp
def test_users_added_to_the_file_sign_in_at_once(identity_provider_process) -> None:
    add_user(identity_provider_process.users_file, "test-carol", "sub-test-carol", "carol-secret-pw")
    token = sign_in(identity_provider_process.issuer, "test-carol", "carol-secret-pw").access_token
    assert verifier_for(identity_provider_process.issuer).verify(token).subject == "sub-test-carol"
    stored = json.loads(identity_provider_process.users_file.read_text())
    assert "carol-secret-pw" not in json.dumps(stored)  # only its scrypt hash is stored


@pytest.mark.idp
def test_sign_out_ends_the_provider_session(identity_provider: str) -> None:
    with httpx.Client(timeout=10) as http:
        tokens = sign_in(identity_provider, "sofia", http=http)
        confirm = http.get(f"{identity_provider}/session/end", params={
            "id_token_hint": tokens.id_token, "post_logout_redirect_uri": "http://127.0.0.1:8000/"})
        assert confirm.status_code == 200
        xsrf = found(r'name="xsrf" value="([^"]+)"', confirm.text)
        action = found(r'<form id="op.logoutForm" method="post" action="([^"]+)"', confirm.text)
        done = http.post(action, data={"xsrf": xsrf, "logout": "yes"})
        assert done.status_code == 303 and done.headers["location"] == "http://127.0.0.1:8000/"
        with pytest.raises(SignInRefused):  # the session is gone: the form is back
            sign_in(identity_provider, "sofia", "wrong", http=http)


@pytest.mark.idp
def test_sign_in_form_is_not_framable_and_runs_no_script(identity_provider: str) -> None:
    with httpx.Client(timeout=10) as http:
        form = sign_in_page(identity_provider, http)
    policy = form.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy
    assert form.headers["x-frame-options"] == "DENY" and "<script" not in form.text


# -- providers of their own (throttling and key rotation change them) ----------------------


@pytest.mark.idp
def test_failed_sign_ins_are_throttled_per_login_and_per_address(tmp_path: Path) -> None:
    with local_identity_provider(free_port(), tmp_path, extra_env={"IDP_ADDRESS_MAX_FAILURES": "8"}) as idp:
        for _ in range(5):
            assert post_login(idp.issuer, "alex", "guess").status_code == 401
        throttled = post_login(idp.issuer, "alex", "guess")
        assert throttled.status_code == 429 and 0 < int(throttled.headers["retry-after"]) <= 300
        with pytest.raises(SignInThrottled):  # the right password is refused too, for now
            sign_in(idp.issuer, "alex")
        sign_in(idp.issuer, "priya")  # another login from the same address still may
        for _ in range(3):  # 8 failures from this address in all
            assert post_login(idp.issuer, "tom", "guess").status_code == 401
        assert post_login(idp.issuer, "priya", demo_password("priya")).status_code == 429


@pytest.mark.idp
def test_rotated_keys_sign_new_tokens_and_old_tokens_stay_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    with local_identity_provider(free_port(), tmp_path) as idp:
        old_kid = signing_kid(idp.keys_file)
        old = sign_in(idp.issuer, "daniel").access_token
        verifier = verifier_for(idp.issuer)
        assert verifier.verify(old).subject == "f74a48b83eef723d4cac3fe2"  # caches the JWKS
        new_kid = rotate_keys(idp.keys_file)
        idp.restart()
        new = sign_in(idp.issuer, "daniel").access_token
        assert jwt.get_unverified_header(old)["kid"] == old_kid
        assert jwt.get_unverified_header(new)["kid"] == new_kid != old_kid
        published = {k["kid"] for k in httpx.get(f"{idp.issuer}/jwks").json()["keys"]}
        assert published == {new_kid, old_kid}
        # as if the rotation came later than the verifier's limit on refetches for unknown kids
        monkeypatch.setattr("identity.tokens.UNKNOWN_KID_REFETCH_S", 0.0)
        assert verifier.verify(new).subject == verifier.verify(old).subject == "f74a48b83eef723d4cac3fe2"


# -- files and the stack's wiring (no process) --------------------------------------------


def test_keys_file_is_private_and_rotation_puts_the_new_key_first(tmp_path: Path) -> None:
    path = ensure_keys(tmp_path / "keys.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    first = signing_kid(path)
    assert ensure_keys(path) == path and signing_kid(path) == first  # kept, not remade
    kids = [rotate_keys(path) for _ in range(3)]
    assert [k["kid"] for k in read_keys(path)] == [kids[2], kids[1], kids[0]]  # keep=3
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_stack_starts_the_provider_first_and_every_process_trusts_it(tmp_path: Path) -> None:
    for profile in ("embedded", "prod"):
        config = StackConfig(database_url="sqlite:///x", model=Path("m"), profile=profile,
                             idp_port=8123, idp_dir=tmp_path)
        stack = Stack(config)
        assert stack.names[0] == "idp"
        spec = stack.commands()["idp"]
        assert spec.health_url == "http://127.0.0.1:8123/healthz"
        assert spec.command[-1].endswith("stack/idp/server.js")
        assert spec.env["IDP_USERS_FILE"] == str(tmp_path / "users.json")
        env = stack.env()
        assert config.issuer == env["IDENTITY_ISSUER"] == "http://127.0.0.1:8123"
        assert len(env["IDENTITY_ASSERTION_KEY"]) >= 32 and env["RASA_AUTH_TOKEN"]


@pytest.mark.idp
def test_the_stack_runs_the_provider_with_the_demo_customers(tmp_path: Path) -> None:
    stack = Stack(StackConfig(database_url="sqlite:///x", model=Path("m"), idp_dir=tmp_path / "idp",
                              log_dir=tmp_path))
    try:
        stack.start(("idp",), timeout_s=30)
        token = sign_in(stack.config.issuer, "alex").access_token
        assert verifier_for(stack.config.issuer).verify(token).subject == ALEX.subject
    finally:
        stack.stop()
    assert stat.S_IMODE((tmp_path / "idp" / "users.json").stat().st_mode) == 0o600
