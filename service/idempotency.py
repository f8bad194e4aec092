"""Safe retries of a customer message: the same ``client_message_id`` (or ``Idempotency-Key``)
with the same body returns the first answer; with a different body it is refused (409).

The first body is remembered only as a keyed hash (HMAC-SHA256 under a key derived from the
vault key), so the comparison keeps no personal data.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os

from privacy.keys import KeyRing
from service.errors import InvalidMessage, ServiceError
from service.schemas import MessageIn

IDEMPOTENCY_HEADER = "Idempotency-Key"


class IdempotencyConflict(ServiceError):
    """A retry's id was first used with another message."""

    status_code = 409
    code = "idempotency_conflict"


def fingerprint_key(keys: KeyRing | None = None) -> bytes:
    """The HMAC key of the fingerprints: derived from the vault key (one for all workers),
    or random for this process when there is no key ring."""
    if keys is None:
        return os.urandom(32)
    return hmac.new(keys.placeholder_key, b"idempotency-fingerprint", hashlib.sha256).digest()


def fingerprint(key: bytes, text: str, payload: str | None) -> str:
    """The keyed hash of a message's text and button payload (64 hex characters)."""
    body = json.dumps([text, payload], ensure_ascii=False).encode()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def same_body(stored: str | None, given: str | None) -> bool:
    """Whether a retry matches the first message (messages stored before fingerprints match)."""
    return stored is None or given is None or hmac.compare_digest(stored, given)


def conflict(client_message_id: str) -> IdempotencyConflict:
    return IdempotencyConflict(
        "This client_message_id (Idempotency-Key) was already used for a different message. "
        "Use a new id for a new message.",
        client_message_id=client_message_id,
    )


def with_header_key(message: MessageIn, header_key: str | None) -> MessageIn:
    """``message`` with the ``Idempotency-Key`` header as its ``client_message_id``."""
    if header_key is None or header_key == message.client_message_id:
        return message
    if message.client_message_id is not None:
        raise InvalidMessage(
            "The Idempotency-Key header and client_message_id differ; send one of them.",
        )
    return message.model_copy(update={"client_message_id": header_key})
