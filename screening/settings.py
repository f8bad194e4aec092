"""Settings of the screening package, read from ``SCREENING_*`` environment variables."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_LIST_PATH = Path(__file__).resolve().parent / "data" / "consolidated_list.csv"
# Best F1 on bench/data/screening_dev.jsonl (0.998 there); see screening.screener.
DEFAULT_REVIEW_THRESHOLD = 0.84


class ScreeningSettings(BaseSettings):
    """Where the list is and when a payee goes to review.

    Attributes:
        list_path: the consolidated list in OFSI's ``ConList.csv`` layout.
        review_threshold: a best score at or above this sends the payee to review.
    """

    model_config = SettingsConfigDict(env_prefix="SCREENING_", env_file=".env", extra="ignore")

    list_path: Path = DEFAULT_LIST_PATH
    review_threshold: float = Field(default=DEFAULT_REVIEW_THRESHOLD, ge=0.0, le=1.0)
