"""Configuration of the recommender (environment variables prefixed ``RECOMMENDER_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class RecommenderSettings(BaseSettings):
    """Settings of the recommender library.

    The profile store's own ``DATABASE_URL`` selects the database; everything else is here.
    """

    model_config = SettingsConfigDict(env_prefix="RECOMMENDER_", extra="ignore")

    catalogue_path: Path | None = Field(
        default=None, description="Catalogue YAML; the bundled catalogue when unset."
    )
    cache_dir: Path = Field(
        default=REPO_ROOT / "var" / "recommender",
        description="Where product embeddings are cached, keyed by the catalogue hash.",
    )
    encoder_path: Path | None = Field(
        default=None, description="A sentence-transformers model dir; offline MiniLM when unset."
    )
    torch_threads: int = Field(default=1, ge=1, description="Torch threads for the encoder.")
    text_candidates: int = Field(default=20, ge=1, description="Products taken from goal search.")
    lookalike_k: int = Field(default=50, ge=1, description="Similar customers consulted.")
    lookalike_index: str = Field(
        default="auto",
        description="FAISS index: auto, flat, hnsw, ivf, ivfpq (auto: flat when small, else ivf).",
    )
    hnsw_m: int = Field(default=32, ge=4)
    hnsw_ef_search: int = Field(default=96, ge=1)
    hnsw_ef_construction: int = Field(default=64, ge=8)
    ivf_nprobe: int = Field(default=16, ge=1)
    exact_below: int = Field(
        default=20_000, description="Below this many profiles, auto uses exact search."
    )
    min_similar_support: int = Field(
        default=3, ge=1, description="Similar customers needed before a reason cites them."
    )
    segments_k: int = Field(default=8, ge=2, description="Number of customer segments.")
    reference_population: int = Field(
        default=20_000,
        ge=0,
        description="Seeded synthetic customers that fit the segment model when the store has "
        "too few customers to cluster on their own.",
    )
    seed: int = 7
    weight_text: float = 0.35
    weight_fit: float = 0.30
    weight_lookalike: float = 0.25
    weight_popularity: float = 0.10
    declined_penalty: float = 0.60
    declined_category_penalty: float = 0.10
    accepted_category_penalty: float = 0.15
