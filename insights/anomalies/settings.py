"""Settings of unusual-activity scoring, read from ``INSIGHTS_ANOMALY_*`` environment variables."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Chosen on a tuning set no benchmark reports (``python -m insights.anomalies.synthetic
# --seed 101 --customers 300``): best F1 there at 0.46 (0.85), rounded down.
DEFAULT_THRESHOLD = 0.45


class AnomalySettings(BaseSettings):
    """When a transaction is unusual enough to alert the customer.

    Attributes:
        threshold: a score at or above this raises an alert.
        burst_minutes: payments this close together count as one burst.
        window: how many of a category's latest amounts its baseline keeps.
    """

    model_config = SettingsConfigDict(env_prefix="INSIGHTS_ANOMALY_", env_file=".env", extra="ignore")

    threshold: float = Field(default=DEFAULT_THRESHOLD, ge=0.0, le=1.0)
    burst_minutes: int = Field(default=10, ge=1, le=24 * 60)
    window: int = Field(default=200, ge=8, le=10_000)
