"""The recommender as the service uses it: built once, lazily, off the event loop."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from recommender.recommender import Recommender


class RecommenderProvider:
    """Builds the recommender (MiniLM, FAISS indexes over the store) on first use."""

    def __init__(self) -> None:
        self._recommender: Recommender | None = None
        self._lock = threading.Lock()

    def get(self) -> Recommender:
        with self._lock:
            if self._recommender is None:
                from recommender.recommender import Recommender
                from simulation.population import reference_columns

                self._recommender = Recommender.from_settings(reference=reference_columns)
            return self._recommender
