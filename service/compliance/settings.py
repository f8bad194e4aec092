"""Configuration of compliance review (env prefix ``COMPLIANCE_``)."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ComplianceSettings(BaseSettings):
    """Where Rasa's tracker store is and the limits of a review.

    Attributes:
        tracker_db: Rasa's SQL tracker store: a SQLite file path (what ``RASA_TRACKER_DB``
            gives ``assistant/endpoints.yml``) or a SQLAlchemy URL. ``None``: the bot keeps
            its trackers elsewhere, so intent search is unavailable and erasure cannot reach
            them (the erasure report says so).
        export_max_conversations: the most conversations one export may hold.
        search_max_results: the most summaries one search returns.
    """

    model_config = SettingsConfigDict(env_prefix="COMPLIANCE_", env_file=".env", extra="ignore")

    tracker_db: str | None = Field(
        default=None, validation_alias=AliasChoices("RASA_TRACKER_DB", "COMPLIANCE_TRACKER_DB")
    )
    export_max_conversations: int = Field(default=500, gt=0)
    search_max_results: int = Field(default=200, gt=0)
