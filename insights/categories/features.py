"""Features of a (description, amount) pair: merchant words and character n-grams, payment
markers, and the amount's sign and size.

Two featurisers share the marker and amount features: ``CharFeaturiser`` (sparse words and
character 2- to 4-grams; words of credits also as their own features, so "amazon payroll"
paid in is not "amazon" spent) and ``EmbeddingFeaturiser`` (the merchant text's MiniLM
sentence vector).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import numpy as np
from scipy import sparse

from insights.categories.normalise import Description

# upper bounds of the size bands of |amount| in pounds
SIZE_BANDS = (5.0, 20.0, 100.0, 500.0, 2000.0)
NGRAMS = (2, 3, 4)


class TextEncoder(Protocol):
    """Anything that turns texts into unit-length float32 vectors."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of shape (len(texts), dim)."""
        ...


def side_features(description: Description, amount: float) -> list[str]:
    """Marker, sign and size features ("m=direct_debit", "a=debit", "a=debit:<100")."""
    sign = "credit" if amount > 0 else "debit" if amount < 0 else "zero"
    size = abs(amount)
    band = next((f"<{bound:g}" for bound in SIZE_BANDS if size < bound), f">={SIZE_BANDS[-1]:g}")
    names = [f"a={sign}", f"a={sign}:{band}"]
    if size >= 10 and size % 10 == 0:
        names.append(f"a={sign}:round")
    names.extend(f"m={marker}" for marker in sorted(description.markers))
    return names


def text_features(description: Description, amount: float) -> list[str]:
    """Words, the first word and character n-grams of the merchant text."""
    words = description.merchant.split()
    names = [f"w={word}" for word in words]
    if words:
        names.append(f"first={words[0]}")
    if amount > 0:
        names.extend(f"cw={word}" for word in words)
    for word in words:
        padded = f" {word} "
        for n in NGRAMS:
            names.extend(f"c={padded[i:i + n]}" for i in range(max(len(padded) - n + 1, 0)))
    return names


class CharFeaturiser:
    """Sparse rows over a fixed vocabulary of feature names (unknown names are ignored)."""

    def __init__(self, vocabulary: Sequence[str]) -> None:
        self.vocabulary = list(vocabulary)
        self._index = {name: column for column, name in enumerate(self.vocabulary)}

    @classmethod
    def fit(cls, items: Iterable[tuple[Description, float]]) -> CharFeaturiser:
        """A vocabulary of every feature name the training items have."""
        names: set[str] = set()
        for description, amount in items:
            names.update(text_features(description, amount))
            names.update(side_features(description, amount))
        return cls(sorted(names))

    @property
    def dim(self) -> int:
        return len(self.vocabulary)

    def transform(self, items: Sequence[tuple[Description, float]]) -> sparse.csr_matrix:
        """Text features L2-normalised together, marker and amount features at 1."""
        rows: list[int] = []
        columns: list[int] = []
        values: list[float] = []
        for row, (description, amount) in enumerate(items):
            text = {self._index[n] for n in text_features(description, amount) if n in self._index}
            weight = 1 / np.sqrt(len(text)) if text else 0.0
            side = {self._index[n] for n in side_features(description, amount) if n in self._index}
            for column in text:
                rows.append(row)
                columns.append(column)
                values.append(weight)
            for column in side - text:
                rows.append(row)
                columns.append(column)
                values.append(1.0)
        return sparse.csr_matrix(
            (np.asarray(values, np.float32), (rows, columns)), shape=(len(items), self.dim), dtype=np.float32
        )


class EmbeddingFeaturiser:
    """The merchant text's sentence vector followed by the marker and amount features (and, when
    the vocabulary has them, the words and n-grams of ``CharFeaturiser``)."""

    def __init__(self, encoder: TextEncoder, side_vocabulary: Sequence[str], dim: int) -> None:
        self.encoder = encoder
        self.side = CharFeaturiser(side_vocabulary)
        self.text_dim = dim

    @property
    def dim(self) -> int:
        return self.text_dim + self.side.dim

    @property
    def vocabulary(self) -> list[str]:
        return self.side.vocabulary

    @classmethod
    def fit(
        cls,
        encoder: TextEncoder,
        items: Sequence[tuple[Description, float]],
        dim: int,
        with_text: bool = False,
    ) -> EmbeddingFeaturiser:
        """Marker and amount features beside the vector; ``with_text``: the n-grams as well."""
        if with_text:
            return cls(encoder, CharFeaturiser.fit(items).vocabulary, dim)
        names = {name for description, amount in items for name in side_features(description, amount)}
        return cls(encoder, sorted(names), dim)

    def transform(self, items: Sequence[tuple[Description, float]]) -> np.ndarray:
        texts = [description.merchant or "unknown" for description, _ in items]
        vectors = self.encoder.encode(texts) if items else np.zeros((0, self.text_dim), np.float32)
        side = self.side.transform(items).toarray()
        return np.hstack([vectors.astype(np.float32), side.astype(np.float32)])
