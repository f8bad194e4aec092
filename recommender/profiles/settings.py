"""Configuration of the customer profile store."""

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


def default_database_url() -> str:
    """The demo bank's SQLite file, ``<repo>/var/bank.db`` (``get_engine`` creates ``var/``)."""
    return f"sqlite:///{REPO_ROOT / 'var' / 'bank.db'}"


class ProfileSettings(BaseSettings):
    """Settings of ``recommender.profiles``, read from the environment.

    Attributes:
        database_url: SQLAlchemy URL of the profile database, from ``DATABASE_URL``
            (``PROFILES_DATABASE_URL`` is accepted too), e.g.
            ``postgresql+psycopg2://postgres@127.0.0.1:5432/bank``.
    """

    model_config = SettingsConfigDict(env_prefix="PROFILES_", extra="ignore")

    database_url: str = Field(
        default_factory=default_database_url,
        validation_alias=AliasChoices("DATABASE_URL", "PROFILES_DATABASE_URL", "database_url"),
    )
