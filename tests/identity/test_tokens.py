"""The access-token verifier: every forged, stale or misdirected token is refused."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from identity.settings import IdentitySettings
from identity.tokens import AccessTokenVerifier, ProviderUnavailable, TokenRejected
from tests.identity.jwks_server import AUDIENCE, LocalIssuer, local_issuer


@pytest.fixture
def issuer() -> Iterator[LocalIssuer]:
    with local_issuer() as running:
        yield running


def verifier_for(issuer: LocalIssuer, **overrides: Any) -> AccessTokenVerifier:
    return AccessTokenVerifier(IdentitySettings(issuer=issuer.url, audience=AUDIENCE, **overrides))


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_valid_token_gives_its_login(issuer: LocalIssuer) -> None:
    login = verifier_for(issuer).verify(issuer.sign(sub="abc", acr="urn:bank:loa:2"))
    assert login.subject == "abc"
    assert login.acr == "urn:bank:loa:2"
    assert login.auth_time is not None and abs(login.auth_time - time.time()) < 5


def test_a_token_signed_by_another_key_with_the_providers_kid_is_refused(issuer: LocalIssuer) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(TokenRejected, match="InvalidSignatureError"):
        verifier_for(issuer).verify(issuer.sign(kid="key-1", key=stranger))


def test_alg_none_is_refused(issuer: LocalIssuer) -> None:
    unsigned = f"{_b64({'alg': 'none', 'kid': 'key-1'})}.{_b64(issuer.claims())}."
    with pytest.raises(TokenRejected, match="algorithm"):
        verifier_for(issuer).verify(unsigned)


def test_hs256_signed_with_the_public_key_is_refused(issuer: LocalIssuer) -> None:
    public_pem = issuer.keys[0][1].public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    # PyJWT itself refuses a PEM as an HMAC secret; sign the confusion by hand.
    import hashlib
    import hmac
    signing_input = f"{_b64({'alg': 'HS256', 'kid': 'key-1', 'typ': 'JWT'})}.{_b64(issuer.claims())}"
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    forged = f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"
    with pytest.raises(TokenRejected, match="algorithm"):
        verifier_for(issuer).verify(forged)
    # Even with HS256 in the settings' list, HMAC stays refused.
    with pytest.raises(TokenRejected, match="algorithm"):
        verifier_for(issuer, algorithms=["RS256", "HS256"]).verify(forged)


@pytest.mark.parametrize(("claims", "reason"), [
    ({"exp": -120}, "ExpiredSignatureError"),  # times: seconds from now, when the test runs
    ({"nbf": 600}, "ImmatureSignatureError"),
    ({"aud": "someone-else"}, "InvalidAudienceError"),
    ({"iss": "https://evil.example"}, "InvalidIssuerError"),
])
def test_stale_or_misdirected_tokens_are_refused(issuer: LocalIssuer, claims: dict[str, Any],
                                                 reason: str) -> None:
    now = int(time.time())
    timed = {k: now + v if k in ("exp", "nbf") else v for k, v in claims.items()}
    with pytest.raises(TokenRejected, match=reason):
        verifier_for(issuer).verify(issuer.sign(**timed))


def test_clock_skew_within_the_leeway_passes_and_beyond_it_fails(issuer: LocalIssuer) -> None:
    verifier = verifier_for(issuer, leeway_s=30)
    token = issuer.sign(exp=int(time.time()) + 60)
    assert verifier.verify(token, now=time.time() + 80).subject  # 20 s past exp: within leeway
    with pytest.raises(TokenRejected, match="Expired"):
        verifier.verify(token, now=time.time() + 100)  # 40 s past exp


@pytest.mark.parametrize("token", ["", "abc", "a.b", "a.b.c", "x" * 9000, "é.é.é"])
def test_malformed_tokens_are_refused(issuer: LocalIssuer, token: str) -> None:
    with pytest.raises(TokenRejected):
        verifier_for(issuer).verify(token)


def test_a_key_rotation_refetches_the_keys_once(issuer: LocalIssuer) -> None:
    verifier = verifier_for(issuer)
    old = issuer.sign()
    verifier.verify(old)
    assert issuer.jwks_requests == 1
    issuer.add_key("key-2")
    new = issuer.sign()
    assert verifier.verify(new).subject == "subject-1"
    assert verifier.verify(old).subject == "subject-1"  # the old key is still published
    assert issuer.jwks_requests == 2
    # Made-up kids do not make the verifier hammer the provider.
    for i in range(5):
        with pytest.raises(TokenRejected, match="unknown key id"):
            verifier.verify(issuer.sign(kid=f"made-up-{i}", key=issuer.keys[0][1]))
    assert issuer.jwks_requests == 2


def test_an_unreachable_provider_stops_new_sign_ins_only(issuer: LocalIssuer) -> None:
    warm = verifier_for(issuer)
    token = issuer.sign()
    warm.verify(token)
    issuer.up = False
    with pytest.raises(ProviderUnavailable):
        verifier_for(issuer).verify(token)  # nothing cached: a clear "unavailable"
    assert warm.verify(token).subject == "subject-1"  # keys in hand keep working


def test_a_discovery_document_naming_another_issuer_is_refused(issuer: LocalIssuer) -> None:
    verifier = AccessTokenVerifier(IdentitySettings(issuer=issuer.url + "/", audience=AUDIENCE))
    with pytest.raises(ProviderUnavailable):
        verifier.verify(issuer.sign())


def test_the_token_must_name_a_key(issuer: LocalIssuer) -> None:
    token = jwt.encode(issuer.claims(), issuer.keys[0][1], algorithm="RS256")
    with pytest.raises(TokenRejected, match="no key id"):
        verifier_for(issuer).verify(token)
