"""The privacy package's exceptions. Messages never contain the personal data involved."""


class PrivacyError(Exception):
    """Base class of every error raised by the privacy package."""


class ConfigurationError(PrivacyError):
    """Settings are missing or unsafe (for example no vault key outside local/test)."""


class TextTooLongError(PrivacyError):
    """A message is longer than ``PRIVACY_MAX_CHARS``; the caller should reject it."""


class RevealError(PrivacyError):
    """A reveal was refused: no reason given, or nothing stored under that placeholder."""


class VaultCorruptedError(PrivacyError):
    """A vault entry could not be decrypted with the configured key."""
