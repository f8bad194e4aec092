"""Configuration of the front service, read from environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class ServiceSettings(BaseSettings):
    """Settings of the FastAPI service (env prefix ``SERVICE_``; ``DATABASE_URL`` is shared)."""

    model_config = SettingsConfigDict(env_prefix="SERVICE_", env_file=".env", extra="ignore")

    environment: str = "local"
    database_url: str = Field(
        default=f"sqlite:///{REPO_ROOT / 'var' / 'bank.db'}",
        validation_alias=AliasChoices("DATABASE_URL", "SERVICE_DATABASE_URL"),
    )
    rasa_url: str = "http://127.0.0.1:5005"
    action_server_url: str = "http://127.0.0.1:5055"
    rasa_timeout_s: float = 30.0
    max_message_chars: int = 5000
    retry_after_s: int = 5
    redelivery_interval_s: float = 2.0
    default_demo_customer: str = "cus_001"


@lru_cache
def get_settings() -> ServiceSettings:
    """The process-wide settings (tests build their own and pass them to ``create_app``)."""
    return ServiceSettings()
