"""Columns whose values are stored encrypted: a third party's name and account details.

``Sealed`` encrypts on write and decrypts on read, so the code above works with plain values
and the database holds only ciphertext (``sealed:`` then urlsafe base64). Each column names
its purpose, which is bound to the ciphertext as associated data: a value copied into another
column does not decrypt. A column compared in queries (an account number, for a duplicate
check) is sealed deterministically with AES-SIV, so equal values give equal ciphertexts and
nothing else is revealed; the others with AES-256-GCM and a random nonce.

The key is ``DATABASE_RECORD_KEY`` (urlsafe base64 of 32 bytes; ``python -m privacy new-key``
makes one). Without it, local and test runs use a published development key with a warning;
production refuses to start without one (``service.secrets_check``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import warnings
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESSIV
from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from database.settings import DatabaseSettings

logger = logging.getLogger(__name__)

PREFIX = "sealed:"
SEALED_LENGTH = 255  # characters of ciphertext: room for 70 characters of UTF-8 and more
_NONCE = 12
# Public on purpose: only for local and test runs, where the data is the demo bank's.
DEVELOPMENT_KEY = hashlib.sha256(b"banking-assistant development record key").digest()


class SealedValueError(ValueError):
    """A sealed value that does not decrypt: another key, another column, or tampered."""


class RecordCipher:
    """Seals and opens column values with one 32-byte key (sub-keys per mode)."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("a record key is 32 bytes")
        self._random = AESGCM(hashlib.sha256(b"gcm" + key).digest())
        self._deterministic = AESSIV(hashlib.sha512(b"siv" + key).digest())

    def seal(self, value: str, purpose: str, deterministic: bool = False) -> str:
        data, aad = value.encode(), purpose.encode()
        if deterministic:
            raw = self._deterministic.encrypt(data, [aad])
        else:
            nonce = os.urandom(_NONCE)
            raw = nonce + self._random.encrypt(nonce, data, aad)
        return PREFIX + base64.urlsafe_b64encode(raw).decode()

    def open(self, sealed: str, purpose: str, deterministic: bool = False) -> str:
        if not sealed.startswith(PREFIX):
            raise SealedValueError("the value is not sealed")
        try:
            raw = base64.urlsafe_b64decode(sealed[len(PREFIX):])
            if deterministic:
                data = self._deterministic.decrypt(raw, [purpose.encode()])
            else:
                data = self._random.decrypt(raw[:_NONCE], raw[_NONCE:], purpose.encode())
        except (InvalidTag, binascii.Error, ValueError) as error:
            raise SealedValueError("the value does not decrypt with this key") from error
        return data.decode()


def record_key(settings: DatabaseSettings | None = None) -> bytes:
    """``DATABASE_RECORD_KEY``, or the development key (with a warning) when it is unset.

    Raises:
        ValueError: the key is not urlsafe base64 of 32 bytes.
    """
    configured = (settings or DatabaseSettings()).record_key
    if configured is None:
        message = "DATABASE_RECORD_KEY is not set: records are sealed with the public development key"
        warnings.warn(message, stacklevel=2)
        logger.warning(message)
        return DEVELOPMENT_KEY
    try:
        key = base64.urlsafe_b64decode(configured.get_secret_value())
    except (binascii.Error, ValueError) as error:
        raise ValueError("DATABASE_RECORD_KEY is not urlsafe base64") from error
    if len(key) != 32:
        raise ValueError("DATABASE_RECORD_KEY must decode to 32 bytes")
    return key


@lru_cache(maxsize=1)
def record_cipher() -> RecordCipher:
    """The process's cipher, on the configured key (read once)."""
    return RecordCipher(record_key())


class Sealed(TypeDecorator[str]):
    """A string column stored sealed (see the module).

    Args:
        purpose: what the column holds ("payees.holder_name"), bound to each ciphertext.
        deterministic: equal values seal equally, so the column can be compared in queries.
    """

    impl = String(SEALED_LENGTH)
    cache_ok = True

    def __init__(self, purpose: str, deterministic: bool = False) -> None:
        super().__init__()
        self.purpose = purpose
        self.deterministic = deterministic

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return record_cipher().seal(str(value), self.purpose, self.deterministic)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return record_cipher().open(str(value), self.purpose, self.deterministic)
