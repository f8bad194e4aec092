"""Customer segments: k-means over profile vectors, with names a customer can read."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np


@dataclass(frozen=True)
class Segment:
    """A customer segment.

    Attributes:
        id: Cluster number in the model that assigned it.
        name: Short name ("Starting out").
        description: One sentence about the customers in it.
        model_version: Identifies the segment model (centroids hash).
    """

    id: int
    name: str
    description: str
    model_version: str


_RULES: tuple[tuple[str, str, str, float], ...] = (
    # (name, description, feature, threshold on the centroid value)
    ("Students", "Customers in education, managing on a small income.",
     "employment_status_is_student", 0.5),
    ("Retired", "Customers in retirement, living on pensions and savings.",
     "employment_status_is_retired", 0.5),
    ("Self-employed", "Customers running their own business, with a variable income.",
     "employment_status_is_self_employed", 0.5),
    ("Between jobs", "Customers looking for work, keeping a close eye on spending.",
     "employment_status_is_unemployed", 0.5),
    ("Homeowners", "Customers with a mortgage, balancing home costs and saving.",
     "holds_mortgage", 0.35),
    ("Investors", "Customers who already invest for the long term.",
     "holds_investment_fund", 0.35),
    ("Borrowers", "Customers paying down cards or loans.", "log_credit_debt", 0.6),
    ("Savers", "Customers who put money aside and hold healthy savings.", "log_balance_savings", 0.4),
)


def _names_for(centroid: dict[str, float]) -> list[tuple[str, str]]:
    """Candidate (name, description) pairs for a centroid, best first."""
    matches = [
        (name, description)
        for name, description, feature, threshold in _RULES
        if centroid.get(feature, 0.0) > threshold
    ]
    matches.append(("Everyday bankers", "Customers who mostly use their current account."))
    income = centroid.get("log_annual_income", 0.0)
    young = centroid.get("age", 0.0) < -0.9
    out = []
    for name, description in matches:
        if young and name != "Students":
            name, description = f"Starting out: {name.lower()}", f"Younger customers. {description}"
        if income > 0.6:
            name += ", higher income"
        elif income < -0.6:
            name += ", modest income"
        out.append((name, description))
    return out


class SegmentModel:
    """K-means centroids over profile vectors, each named from what its centroid looks like.

    Args:
        centroids: float32 array (k, dim).
        feature_names: Names of the vector's dimensions (to name the segments).
    """

    def __init__(self, centroids: np.ndarray, feature_names: tuple[str, ...]) -> None:
        self.centroids = np.ascontiguousarray(centroids, dtype=np.float32)
        self.feature_names = tuple(feature_names)
        digest = hashlib.sha256(self.centroids.tobytes()).hexdigest()[:10]
        self.version = f"km{len(self.centroids)}-{digest}"
        self._index = faiss.IndexFlatL2(self.centroids.shape[1])
        self._index.add(self.centroids)
        names: list[tuple[str, str]] = []
        for row in self.centroids:
            options = _names_for(dict(zip(self.feature_names, map(float, row), strict=True)))
            taken = {n for n, _ in names}
            name, description = next((o for o in options if o[0] not in taken), options[0])
            if name in taken:
                count = sum(1 for n in taken if n == name or n.startswith(name + " ("))
                name = f"{name} ({count + 1})"
            names.append((name, description))
        self.segments = tuple(
            Segment(i, n, d, self.version) for i, (n, d) in enumerate(names)
        )

    @classmethod
    def fit(
        cls, vectors: np.ndarray, k: int, feature_names: tuple[str, ...], seed: int = 7
    ) -> SegmentModel:
        """Cluster vectors with k-means (k capped at a tenth of the number of vectors)."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        k = max(1, min(k, len(vectors) // 10 or 1))
        kmeans = faiss.Kmeans(vectors.shape[1], k, niter=25, seed=seed, verbose=False)
        kmeans.train(vectors)
        centroids = np.asarray(kmeans.centroids)
        order = np.lexsort(centroids.T[::-1])  # stable numbering across runs
        return cls(centroids[order], feature_names)

    def assign(self, vector: np.ndarray) -> Segment:
        """The segment of one profile vector."""
        return self.segments[int(self.assign_many(np.asarray(vector).reshape(1, -1))[0])]

    def assign_many(self, vectors: np.ndarray) -> np.ndarray:
        """Segment ids for many vectors."""
        _, idx = self._index.search(np.ascontiguousarray(vectors, dtype=np.float32), 1)
        return idx[:, 0]

    def save(self, path: Path) -> None:
        """Write the centroids and feature names to an ``.npz`` file."""
        np.savez(path, centroids=self.centroids, feature_names=np.array(self.feature_names))

    @classmethod
    def load(cls, path: Path) -> SegmentModel:
        """Read a model written by :meth:`save`."""
        data = np.load(path)
        return cls(data["centroids"], tuple(str(n) for n in data["feature_names"]))
