"""Customer assertions: the service's short-lived signed statement of who a conversation's
customer is, sent to Rasa in the message metadata and verified by the action server.

An assertion is an HS256 JWT over the conversation id, the customer id, the login's
``auth_time`` and ``acr``, and an expiry, keyed with ``IDENTITY_ASSERTION_KEY``. Actions
trust no slot or metadata field but this.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt
from jwt.types import Options

METADATA_KEY = "customer_assertion"
ISSUER = "banking-service"
AUDIENCE = "banking-actions"
ALGORITHM = "HS256"
MIN_KEY_BYTES = 32


class InvalidAssertion(Exception):
    """The assertion is missing, forged, stale or for another conversation.

    The message names the reason only, never the customer.
    """


@dataclass(frozen=True)
class CustomerAssertion:
    conversation_id: str
    customer_id: str
    auth_time: int | None
    acr: str | None
    expires_at: int


def _checked_key(key: bytes) -> bytes:
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"The assertion key must be at least {MIN_KEY_BYTES} bytes.")
    return key


def sign_assertion(
    key: bytes,
    conversation_id: str,
    customer_id: str,
    auth_time: int | None,
    acr: str | None,
    ttl_s: int,
    now: float | None = None,
) -> str:
    """A signed assertion that ``customer_id`` is the customer of ``conversation_id``."""
    issued = int(now if now is not None else time.time())
    claims = {
        "iss": ISSUER, "aud": AUDIENCE, "sub": customer_id, "conv": conversation_id,
        "iat": issued, "exp": issued + ttl_s, "auth_time": auth_time, "acr": acr,
    }
    return jwt.encode(claims, _checked_key(key), algorithm=ALGORITHM)


def verify_assertion(
    key: bytes, token: object, conversation_id: str, now: float | None = None
) -> CustomerAssertion:
    """The assertion's content if it is ours, unexpired and for ``conversation_id``."""
    if not isinstance(token, str) or not token:
        raise InvalidAssertion("no customer assertion")
    options: Options = {"require": ["exp", "iat", "sub", "conv"], "verify_iat": False,
                        "verify_exp": now is None}
    try:
        claims = jwt.decode(token, _checked_key(key), algorithms=[ALGORITHM], audience=AUDIENCE,
                            issuer=ISSUER, options=options)
    except jwt.InvalidTokenError as exc:
        raise InvalidAssertion(f"customer assertion refused: {type(exc).__name__}") from exc
    if now is not None and claims["exp"] <= now:
        raise InvalidAssertion("customer assertion refused: ExpiredSignatureError")
    if claims["conv"] != conversation_id:
        raise InvalidAssertion("customer assertion refused: another conversation")
    auth_time = claims.get("auth_time")
    return CustomerAssertion(
        conversation_id=conversation_id,
        customer_id=str(claims["sub"]),
        auth_time=int(auth_time) if isinstance(auth_time, int) else None,
        acr=claims.get("acr") if isinstance(claims.get("acr"), str) else None,
        expires_at=int(claims["exp"]),
    )
