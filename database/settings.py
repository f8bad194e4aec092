"""Where the database is (``DATABASE_URL``, by default the demo bank's SQLite file) and the key
its sealed columns are encrypted with (``DATABASE_RECORD_KEY``, see :mod:`database.sealed`)."""

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]


def default_database_url() -> str:
    """The demo bank's SQLite file, ``<repo>/var/bank.db`` (``get_engine`` creates ``var/``)."""
    return f"sqlite:///{REPO_ROOT / 'var' / 'bank.db'}"


class DatabaseSettings(BaseSettings):
    """The one database of the bank's records, transcripts, handoffs and journeys.

    Attributes:
        database_url: SQLAlchemy URL from ``DATABASE_URL``, e.g.
            ``postgresql+psycopg2://postgres@127.0.0.1:5432/bank``.
        record_key: ``DATABASE_RECORD_KEY``, the key of the sealed columns (urlsafe base64
            of 32 bytes); None: the development key, for local and test runs only.
    """

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str = Field(
        default_factory=default_database_url,
        validation_alias=AliasChoices("DATABASE_URL", "database_url"),
    )
    record_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_RECORD_KEY", "record_key")
    )
