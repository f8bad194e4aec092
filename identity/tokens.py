"""Verifies OpenID Connect access tokens (JWT) against the provider's published keys.

The provider is found through its discovery document; its JWKS is cached and fetched again
once when a token names an unknown key (a key rotation). Signature, ``iss``, ``aud``,
``exp`` and ``nbf`` (with a small leeway) are checked, and only asymmetric algorithms from
the allow-list are accepted.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
from jwt.types import Options

from identity.settings import IdentitySettings

MAX_TOKEN_CHARS = 8192
REFUSED_ALGORITHMS = frozenset({"none", "HS256", "HS384", "HS512"})
UNKNOWN_KID_REFETCH_S = 10.0  # an unknown kid refetches the keys at most this often
RETRY_AFTER_FAILURE_S = 30.0  # with keys in hand, a failed refetch is retried this much later


class TokenRejected(Exception):
    """The token is not a valid access token of our provider for us (reason only, no claims)."""


class ProviderUnavailable(Exception):
    """The provider's discovery document or keys cannot be fetched: new sign-ins wait."""


@dataclass(frozen=True)
class VerifiedLogin:
    """What a valid access token says about the login behind it."""

    subject: str
    expires_at: int
    auth_time: int | None = None
    acr: str | None = None
    claims: dict[str, Any] = field(default_factory=dict)


class AccessTokenVerifier:
    """Checks access tokens of one issuer for one audience (thread-safe)."""

    def __init__(
        self, settings: IdentitySettings, audience: str | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        self._settings = settings
        self._audience = audience or settings.audience
        self._algorithms = [a for a in settings.algorithms if a not in REFUSED_ALGORITHMS]
        self._http = http or httpx.Client(timeout=settings.provider_timeout_s)
        self._lock = threading.Lock()
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._forced_at = 0.0
        self._jwks_uri: str | None = None

    @property
    def issuer(self) -> str:
        return self._settings.issuer

    def verify(self, token: str, now: float | None = None) -> VerifiedLogin:
        """The login behind ``token``; ``TokenRejected`` or ``ProviderUnavailable`` if none."""
        if not token or len(token) > MAX_TOKEN_CHARS or token.count(".") != 2:
            raise TokenRejected("not a signed JWT")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise TokenRejected("malformed header") from exc
        algorithm = header.get("alg")
        if algorithm not in self._algorithms:
            raise TokenRejected("algorithm not allowed")
        key = self._key(header.get("kid"))
        if key.algorithm_name != algorithm and key.algorithm_name in REFUSED_ALGORITHMS:
            raise TokenRejected("key and algorithm disagree")
        # With an explicit ``now`` (tests of clock skew) the times are checked below instead.
        clock = now is None
        options: Options = {"require": ["exp", "iat", "sub", "iss", "aud"], "verify_exp": clock,
                            "verify_nbf": clock, "verify_iat": clock}
        try:
            claims = jwt.decode(
                token, key.key, algorithms=[algorithm], audience=self._audience,
                issuer=self._settings.issuer, leeway=self._settings.leeway_s, options=options,
            )
        except jwt.InvalidTokenError as exc:
            raise TokenRejected(type(exc).__name__) from exc
        if now is not None:
            self._check_times(claims, now)
        auth_time = claims.get("auth_time")
        acr = claims.get("acr")
        return VerifiedLogin(
            subject=str(claims["sub"]),
            expires_at=int(claims["exp"]),
            auth_time=int(auth_time) if isinstance(auth_time, int | float) else None,
            acr=acr if isinstance(acr, str) else None,
            claims=claims,
        )

    def _check_times(self, claims: dict[str, Any], now: float) -> None:
        leeway = self._settings.leeway_s
        if float(claims["exp"]) <= now - leeway:
            raise TokenRejected("ExpiredSignatureError")
        if "nbf" in claims and float(claims["nbf"]) > now + leeway:
            raise TokenRejected("ImmatureSignatureError")

    def _key(self, kid: object) -> jwt.PyJWK:
        if not isinstance(kid, str) or not kid:
            raise TokenRejected("no key id")
        with self._lock:
            now = time.monotonic()
            if now - self._fetched_at > self._settings.jwks_cache_s:
                self._refresh()
            elif kid not in self._keys and now - self._forced_at > UNKNOWN_KID_REFETCH_S:
                # An unknown kid refetches the keys (a rotation), at most every few seconds so
                # that made-up kids cannot flood the provider.
                self._forced_at = now
                self._refresh()
            if kid not in self._keys:
                raise TokenRejected("unknown key id")
            return self._keys[kid]

    def _refresh(self) -> None:
        try:
            if self._jwks_uri is None:
                discovery = self._get_json(
                    f"{self._settings.issuer.rstrip('/')}/.well-known/openid-configuration"
                )
                if discovery.get("issuer") != self._settings.issuer:
                    raise ProviderUnavailable("the discovery document names another issuer")
                self._jwks_uri = str(discovery["jwks_uri"])
            jwks = self._get_json(self._jwks_uri)
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            if self._keys:  # keep serving the keys we have; try again a little later
                self._fetched_at = (time.monotonic() - self._settings.jwks_cache_s
                                    + RETRY_AFTER_FAILURE_S)
                return
            raise ProviderUnavailable(f"identity provider unreachable: {type(exc).__name__}") from exc
        keys: dict[str, jwt.PyJWK] = {}
        for raw in jwks.get("keys", []):
            if raw.get("use", "sig") != "sig" or not raw.get("kid"):
                continue
            try:
                keys[raw["kid"]] = jwt.PyJWK(raw)
            except (jwt.PyJWKError, jwt.InvalidKeyError):
                continue
        self._keys = keys
        self._fetched_at = time.monotonic()

    def _get_json(self, url: str) -> dict[str, Any]:
        response = self._http.get(url)
        response.raise_for_status()
        body = response.json()
        if not isinstance(body, dict):
            raise ValueError("not a JSON object")
        return body
