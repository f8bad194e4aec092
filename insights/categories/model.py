"""The trained linear head: weights over a featuriser's columns, one column per category.

The model file is gzip: one JSON line (kind, categories, vocabulary, threshold, training
figures) followed by the weights and then the biases as little-endian float16. No pickle:
loading a model file runs no code.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from bank.enums import Category
from insights.categories.encoder import DIM
from insights.categories.features import CharFeaturiser, EmbeddingFeaturiser, TextEncoder
from insights.categories.normalise import Description
from insights.errors import ModelFileError

MODEL_PATH = Path(__file__).resolve().parent / "model.gz"
KINDS = ("char", "minilm", "hybrid")


@dataclass
class CategoryModel:
    """Multinomial logistic regression over character n-gram or MiniLM features.

    Attributes:
        kind: ``char`` (words and character n-grams), ``minilm`` (sentence vectors) or
            ``hybrid`` (both).
        categories: The category of each weight column.
        vocabulary: The featuriser's feature names (``minilm``: the marker and amount ones).
        weights: (features, categories); ``minilm`` and ``hybrid`` put the 384 vector columns first.
        bias: (categories,).
        threshold: Below this probability the categoriser asks the keyword rules.
        info: Training figures (rows, cross-validated scores), kept in the file.
    """

    kind: str
    categories: tuple[Category, ...]
    vocabulary: list[str]
    weights: np.ndarray
    bias: np.ndarray
    threshold: float = 0.5
    info: dict[str, Any] = field(default_factory=dict)

    def featuriser(self, encoder: TextEncoder | None = None) -> CharFeaturiser | EmbeddingFeaturiser:
        """The featuriser the weights were trained on; ``minilm`` and ``hybrid`` need the encoder."""
        if self.kind == "char":
            return CharFeaturiser(self.vocabulary)
        if encoder is None:
            raise ModelFileError(
                f"this {self.kind} category model uses MiniLM vectors: pass an encoder (MiniLMEncoder())"
            )
        return EmbeddingFeaturiser(encoder, self.vocabulary, DIM)

    def probabilities(self, features: np.ndarray | sparse.csr_matrix) -> np.ndarray:
        """(rows, categories) softmax probabilities."""
        scores = np.asarray(features @ self.weights, dtype=np.float64) + self.bias
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))

    def predict(
        self, items: Sequence[tuple[Description, float]], encoder: TextEncoder | None = None
    ) -> np.ndarray:
        return self.probabilities(self.featuriser(encoder).transform(items))

    def save(self, path: Path) -> Path:
        header = {
            "kind": self.kind,
            "categories": [c.value for c in self.categories],
            "vocabulary": self.vocabulary,
            "shape": list(self.weights.shape),
            "threshold": self.threshold,
            "info": self.info,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as out:
            out.write(json.dumps(header, separators=(",", ":")).encode() + b"\n")
            out.write(self.weights.astype("<f2").tobytes())
            out.write(self.bias.astype("<f2").tobytes())
        return path

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> CategoryModel:
        """Read a model file written by ``save``."""
        try:
            with gzip.open(path, "rb") as file:
                header = json.loads(file.readline())
                body = file.read()
        except (OSError, ValueError) as error:
            raise ModelFileError(
                f"cannot read the category model {path}: {error}; run python -m insights.categories.train"
            ) from error
        rows, columns = header["shape"]
        values = np.frombuffer(body, dtype="<f2").astype(np.float32)
        if header["kind"] not in KINDS or values.size != rows * columns + columns:
            raise ModelFileError(f"{path} is not a category model; run python -m insights.categories.train")
        return cls(
            kind=header["kind"],
            categories=tuple(Category(c) for c in header["categories"]),
            vocabulary=header["vocabulary"],
            weights=values[: rows * columns].reshape(rows, columns),
            bias=values[rows * columns :],
            threshold=float(header["threshold"]),
            info=header.get("info", {}),
        )
