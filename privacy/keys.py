"""The vault key and the keys derived from it (encryption, placeholder hashing)."""

import base64
import binascii
import logging
import os
import warnings
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from privacy.errors import ConfigurationError
from privacy.settings import PrivacySettings

logger = logging.getLogger(__name__)
_DEV_ENVIRONMENTS = {"local", "test"}


def new_key() -> str:
    """Returns a fresh random key for ``PRIVACY_VAULT_KEY`` (urlsafe base64 of 32 bytes)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


@dataclass(frozen=True)
class KeyRing:
    """Sub-keys derived (HKDF-SHA256) from the one configured master key.

    Attributes:
        encryption_key: AES-256-GCM key of the vault.
        placeholder_key: HMAC key of the placeholder map.
        ephemeral: True when no key was configured and a random one was made.
        audit_key: HMAC key of the audit chain and its seal (:mod:`privacy.audit`).
    """

    encryption_key: bytes = field(repr=False)
    placeholder_key: bytes = field(repr=False)
    ephemeral: bool = False
    audit_key: bytes = field(repr=False, default=b"")

    @classmethod
    def from_master(cls, master: bytes, ephemeral: bool = False) -> "KeyRing":
        """Derives the sub-keys from 32 master bytes."""
        return cls(
            _derive(master, b"privacy-vault-aes-gcm"),
            _derive(master, b"privacy-placeholder-hmac"),
            ephemeral,
            _derive(master, b"privacy-audit-hmac"),
        )

    @classmethod
    def from_settings(cls, settings: PrivacySettings) -> "KeyRing":
        """Reads ``PRIVACY_VAULT_KEY``.

        Raises:
            ConfigurationError: no key (outside ``local``/``test``) or a malformed key.
        """
        if settings.vault_key is None:
            if settings.environment not in _DEV_ENVIRONMENTS:
                raise ConfigurationError(
                    "PRIVACY_VAULT_KEY is not set. Generate one with `python -m privacy new-key` "
                    "and provide it through the environment or a secret store."
                )
            message = (
                "PRIVACY_VAULT_KEY is not set: using an EPHEMERAL random key. Vaulted originals "
                "will be unreadable after a restart. Never run like this outside local/test."
            )
            warnings.warn(message, stacklevel=2)
            logger.warning(message)
            return cls.from_master(os.urandom(32), ephemeral=True)
        try:
            master = base64.urlsafe_b64decode(settings.vault_key.get_secret_value())
        except (binascii.Error, ValueError) as error:
            raise ConfigurationError("PRIVACY_VAULT_KEY is not urlsafe base64") from error
        if len(master) != 32:
            raise ConfigurationError("PRIVACY_VAULT_KEY must decode to 32 bytes")
        return cls.from_master(master)
