"""FAISS index of product descriptions, searched with the goal's text."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import faiss
import numpy as np

from recommender.catalogue import Catalogue
from recommender.embeddings import TextEncoder, product_embeddings


class ProductTextIndex:
    """Inner-product (cosine) FAISS index over product description embeddings.

    Args:
        catalogue: The products, in the order of ``embeddings``.
        embeddings: Unit-length float32 vectors, one row per product.
        encoder: Embeds goal texts at query time.
    """

    def __init__(self, catalogue: Catalogue, embeddings: np.ndarray, encoder: TextEncoder) -> None:
        self.catalogue = catalogue
        self.encoder = encoder
        self._ids = catalogue.ids
        self._index: faiss.IndexFlatIP | None = None
        self._embeddings = np.ascontiguousarray(embeddings, dtype=np.float32)
        self._row = {pid: i for i, pid in enumerate(self._ids)}
        if len(catalogue):
            self._index = faiss.IndexFlatIP(embeddings.shape[1])
            self._index.add(np.ascontiguousarray(embeddings, dtype=np.float32))

    @classmethod
    def build(cls, catalogue: Catalogue, encoder: TextEncoder, cache_dir: Path) -> ProductTextIndex:
        """Embed (or load cached embeddings of) the catalogue and index it."""
        return cls(catalogue, product_embeddings(catalogue, encoder, cache_dir), encoder)

    def search(
        self, text: str, k: int, among: Iterable[str] | None = None
    ) -> list[tuple[str, float]]:
        """The ``k`` products whose descriptions are closest to ``text``, with cosine scores.

        Args:
            text: The goal in words.
            k: How many products.
            among: Restrict the search to these product ids (a FAISS ID selector).
        """
        if self._index is None or k <= 0:
            return []
        query = self.encoder.encode([text])
        params = None
        if among is not None:
            rows = np.array([self._row[p] for p in among if p in self._row], dtype=np.int64)
            if len(rows) == 0:
                return []
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(rows))  # type: ignore[call-arg]
            k = min(k, len(rows))
        scores, found = self._index.search(query, min(k, len(self._ids)), params=params)
        return [
            (self._ids[r], float(s)) for r, s in zip(found[0], scores[0], strict=True) if r >= 0
        ]

    def cosines(self, text: str, product_ids: list[str]) -> dict[str, float]:
        """Cosine similarity of ``text`` to the given products (for candidates found elsewhere)."""
        rows = [self._row[p] for p in product_ids if p in self._row]
        if self._index is None or not rows:
            return {}
        sims = self._embeddings[rows] @ self.encoder.encode([text])[0]
        return {self._ids[r]: float(s) for r, s in zip(rows, sims, strict=True)}
