"""FAISS index of product descriptions, searched with the goal's text."""

from __future__ import annotations

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
        if len(catalogue):
            self._index = faiss.IndexFlatIP(embeddings.shape[1])
            self._index.add(np.ascontiguousarray(embeddings, dtype=np.float32))

    @classmethod
    def build(cls, catalogue: Catalogue, encoder: TextEncoder, cache_dir: Path) -> ProductTextIndex:
        """Embed (or load cached embeddings of) the catalogue and index it."""
        return cls(catalogue, product_embeddings(catalogue, encoder, cache_dir), encoder)

    def search(self, text: str, k: int) -> list[tuple[str, float]]:
        """The ``k`` products whose descriptions are closest to ``text``, with cosine scores."""
        if self._index is None or k <= 0:
            return []
        query = self.encoder.encode([text])
        scores, rows = self._index.search(query, min(k, len(self._ids)))
        return [(self._ids[r], float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]
