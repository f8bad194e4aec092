"""Settings of proactive nudges, read from ``INSIGHTS_NUDGE_*`` environment variables."""

from datetime import time
from decimal import Decimal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class NudgeSettings(BaseSettings):
    """When a nudge may be sent, how often, and what each trigger looks for.

    Attributes:
        max_per_day: nudges a customer gets in any 24 hours, every kind together.
        max_per_week: nudges a customer gets in any 7 days, every kind together.
        max_per_kind_per_week: nudges of one kind a customer gets in any 7 days.
        duplicate_days: the same kind about the same subject is not sent again within this.
        quiet_start: local time from which nudges are held.
        quiet_end: local time until which nudges are held (the next morning).
        timezone: where the quiet hours are read.
        insight_purpose: the consent purpose that allows nudges about the customer's own money.
        product_purposes: the consent purposes that together allow a product nudge.
        lookback_days: days of transactions the triggers read.
        shortfall_horizon_days: how far ahead a bill is looked for.
        idle_days: days the cash must have sat in the current account.
        idle_min_amount: the least idle cash worth a nudge (after the buffer).
        idle_min_interest: the least yearly interest worth a nudge.
        experiment: the experiment whose arm picks the wording (or holds nudges off).
    """

    model_config = SettingsConfigDict(env_prefix="INSIGHTS_NUDGE_", env_file=".env", extra="ignore")

    max_per_day: int = Field(default=1, ge=0, le=20)
    max_per_week: int = Field(default=3, ge=0, le=50)
    max_per_kind_per_week: int = Field(default=1, ge=0, le=20)
    duplicate_days: int = Field(default=30, ge=1, le=365)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    timezone: str = "Europe/London"
    insight_purpose: str = "marketing"
    product_purposes: tuple[str, ...] = ("marketing", "profiling")
    lookback_days: int = Field(default=92, ge=31, le=400)
    shortfall_horizon_days: int = Field(default=14, ge=1, le=45)
    idle_days: int = Field(default=30, ge=7, le=365)
    idle_min_amount: Decimal = Field(default=Decimal(1000), gt=0)
    idle_min_interest: Decimal = Field(default=Decimal(10), ge=0)
    experiment: str = "nudge_wording"

    @model_validator(mode="after")
    def _lookback_covers_idle_days(self) -> "NudgeSettings":
        if self.lookback_days < self.idle_days:
            raise ValueError("INSIGHTS_NUDGE_LOOKBACK_DAYS must be at least INSIGHTS_NUDGE_IDLE_DAYS.")
        return self
