"""Configuration of the journey store and its consumers (env prefix ``JOURNEYS_``)."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from database.settings import default_database_url


class JourneySettings(BaseSettings):
    """Where events come from and how analytics are shown."""

    model_config = SettingsConfigDict(env_prefix="JOURNEYS_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default_factory=default_database_url,
        validation_alias=AliasChoices("JOURNEYS_DATABASE_URL", "DATABASE_URL"),
    )
    # Rasa's SQL tracker store (embedded profile); empty: no polling.
    tracker_db: str = Field(
        default="", validation_alias=AliasChoices("JOURNEYS_TRACKER_DB", "RASA_TRACKER_DB")
    )
    poll_interval_s: float = 1.0
    # Live segments: re-profile customers whose data changed, every this many seconds.
    live_segments: bool = True
    segment_poll_interval_s: float = 2.0
    batch_size: int = 5000
    # Rasa's pika event broker (production profile).
    rabbitmq_url: str = "amqp://guest:guest@127.0.0.1:5672/%2F"
    queue: str = "rasa_events"
    # Smallest group an analyst may see.
    k_min: int = Field(default=10, ge=1)
    # Below this NLU confidence a customer turn counts as a fallback.
    fallback_confidence: float = 0.4
    repeat_contact_days: int = 7
