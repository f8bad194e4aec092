"""The lookalike index: FAISS over customer profile vectors, plus what each customer holds.

The signal for a product is the share of a customer's nearest neighbours who hold it or
accepted it, and the share who declined it. Feedback updates the interaction matrix at once;
a changed profile vector is appended as a new row and the old row retired.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import faiss
import numpy as np

from recommender.errors import IndexNotBuilt

HOLDS = 1
ACCEPTED = 2
DECLINED = -1
INDEX_KINDS = ("flat", "hnsw", "ivf", "ivfpq")


@dataclass(frozen=True)
class IndexParams:
    """How to build and search the FAISS index.

    Attributes:
        kind: flat (exact), hnsw, ivf or ivfpq.
        hnsw_m: HNSW graph degree.
        ef_construction: HNSW build beam.
        ef_search: HNSW search beam.
        nlist: IVF cells (0: about 4 * sqrt(n)).
        nprobe: IVF cells visited per query.
        pq_m: PQ sub-quantisers (ivfpq).
    """

    kind: str = "hnsw"
    hnsw_m: int = 32
    ef_construction: int = 64
    ef_search: int = 96
    nlist: int = 0
    nprobe: int = 24
    pq_m: int = 16

    def label(self) -> str:
        """Short human label, e.g. ``HNSW32,ef=96``."""
        if self.kind == "hnsw":
            return f"HNSW{self.hnsw_m},efC={self.ef_construction},ef={self.ef_search}"
        if self.kind == "ivf":
            return f"IVF{self.nlist},Flat,nprobe={self.nprobe}"
        if self.kind == "ivfpq":
            return f"IVF{self.nlist},PQ{self.pq_m},nprobe={self.nprobe}"
        return "Flat (exact)"


def build_faiss_index(vectors: np.ndarray, params: IndexParams, seed: int = 7) -> faiss.Index:
    """Build and fill a FAISS L2 index of the given kind.

    Args:
        vectors: float32 array (n, d).
        params: Index kind and parameters; IVF ``nlist`` 0 means about 4 * sqrt(n).
        seed: Seed for the IVF training sample.
    """
    n, d = vectors.shape
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if params.kind == "flat":
        index: faiss.Index = faiss.IndexFlatL2(d)
    elif params.kind == "hnsw":
        index = faiss.IndexHNSWFlat(d, params.hnsw_m)
        index.hnsw.efConstruction = params.ef_construction
        index.hnsw.efSearch = params.ef_search
    elif params.kind in ("ivf", "ivfpq"):
        nlist = params.nlist or max(1, min(int(4 * math.sqrt(max(n, 1))), max(n // 39, 1)))
        quantizer: faiss.Index = faiss.IndexFlatL2(d)
        if params.kind == "ivf":
            index = faiss.IndexIVFFlat(quantizer, d, nlist)
        else:
            index = faiss.IndexIVFPQ(quantizer, d, nlist, params.pq_m, 8)
        sample = vectors
        if n > 64 * nlist:
            rows = np.random.default_rng(seed).choice(n, size=64 * nlist, replace=False)
            sample = vectors[np.sort(rows)]
        index.train(sample)
        index.nprobe = min(params.nprobe, nlist)
    else:
        raise ValueError(f"Unknown index kind {params.kind!r}; use one of {INDEX_KINDS}.")
    if n:
        index.add(vectors)
    return index


@dataclass(frozen=True)
class LookalikeSignal:
    """What similar customers did with each product.

    Attributes:
        neighbours: How many similar customers were consulted.
        positive: Product id -> how many of them hold or accepted it.
        declined: Product id -> how many of them declined it.
    """

    neighbours: int
    positive: dict[str, int]
    declined: dict[str, int]

    def share(self, product_id: str) -> float:
        """Net share in [-1, 1]: holders minus half the decliners, over neighbours."""
        if self.neighbours == 0:
            return 0.0
        pos = self.positive.get(product_id, 0)
        neg = self.declined.get(product_id, 0)
        return (pos - 0.5 * neg) / self.neighbours


class LookalikeIndex:
    """Nearest customers by profile vector, and their product interactions.

    Args:
        index: A filled FAISS index whose row i is customer ``customer_ids[i]``.
        customer_ids: One id per row.
        interactions: int8 array (rows, products): HOLDS, ACCEPTED, DECLINED or 0.
        product_ids: Column order of ``interactions``.
        params: How the index was built (for reports).
    """

    def __init__(
        self,
        index: faiss.Index,
        customer_ids: Sequence[str],
        interactions: np.ndarray,
        product_ids: Sequence[str],
        params: IndexParams,
    ) -> None:
        if index.ntotal != len(customer_ids) or interactions.shape[0] != len(customer_ids):
            raise ValueError("index rows, customer ids and interaction rows must match")
        self.index = index
        self.params = params
        self.product_ids = tuple(product_ids)
        self._column = {p: j for j, p in enumerate(self.product_ids)}
        self._ids = list(customer_ids)
        self._row: dict[str, int] = {cid: i for i, cid in enumerate(self._ids)}
        self._interactions = np.ascontiguousarray(interactions, dtype=np.int8)
        self._alive = np.ones(len(self._ids), dtype=bool)
        self._rows = len(self._ids)  # rows in use; buffers grow ahead of it
        self._retired = 0

    @classmethod
    def build(
        cls,
        vectors: np.ndarray,
        customer_ids: Sequence[str],
        interactions: np.ndarray,
        product_ids: Sequence[str],
        params: IndexParams,
    ) -> LookalikeIndex:
        """Build the FAISS index over ``vectors`` and wrap it."""
        return cls(build_faiss_index(vectors, params), customer_ids, interactions, product_ids, params)

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, customer_id: object) -> bool:
        return customer_id in self._row

    def neighbours(
        self, vector: np.ndarray, k: int, exclude: str | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Rows and squared L2 distances of the ``k`` nearest live customers.

        Args:
            vector: A profile vector (dim,).
            k: How many neighbours.
            exclude: A customer id to leave out (the customer asking).
        """
        if self.index.ntotal == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        extra = 1 + min(self._retired, k)
        want = min(k + extra, self.index.ntotal)
        dist, rows = self.index.search(np.asarray(vector, dtype=np.float32).reshape(1, -1), want)
        rows, dist = rows[0], dist[0]
        keep = rows >= 0
        keep[keep] &= self._alive[rows[keep]]
        skip = self._row.get(exclude) if exclude is not None else None
        if skip is not None:
            keep &= rows != skip
        return rows[keep][:k], dist[keep][:k]

    def signal(self, vector: np.ndarray, k: int, exclude: str | None = None) -> LookalikeSignal:
        """What the ``k`` most similar customers hold, accepted or declined."""
        rows, _ = self.neighbours(vector, k, exclude)
        if len(rows) == 0:
            return LookalikeSignal(0, {}, {})
        block = self._interactions[rows]
        pos = (block > 0).sum(axis=0)
        neg = (block == DECLINED).sum(axis=0)
        return LookalikeSignal(
            neighbours=len(rows),
            positive={self.product_ids[j]: int(c) for j, c in enumerate(pos) if c},
            declined={self.product_ids[j]: int(c) for j, c in enumerate(neg) if c},
        )

    def record(self, customer_id: str, product_id: str, value: int) -> None:
        """Record an interaction (HOLDS, ACCEPTED, DECLINED) for an indexed customer.

        Customers not in the index (no profiling consent, or added since the build) are
        ignored until they are upserted.
        """
        row = self._row.get(customer_id)
        column = self._column.get(product_id)
        if row is None or column is None:
            return
        current = self._interactions[row, column]
        if value == DECLINED and current == HOLDS:
            return  # declining an offer does not close a product already held
        self._interactions[row, column] = value

    def interactions_of(self, customer_id: str) -> dict[str, int]:
        """The non-zero interactions of one indexed customer."""
        row = self._row.get(customer_id)
        if row is None:
            return {}
        values = self._interactions[row]
        return {self.product_ids[j]: int(v) for j, v in enumerate(values) if v}

    def upsert(self, customer_id: str, vector: np.ndarray, interactions: dict[str, int]) -> None:
        """Add a customer, or move one whose profile changed (old row retired)."""
        if self.index.ntotal == 0 and not self.index.is_trained:
            raise IndexNotBuilt("The lookalike index must be built before customers are added.")
        old = self._row.get(customer_id)
        row = np.zeros((1, len(self.product_ids)), dtype=np.int8)
        for product_id, value in interactions.items():
            if product_id in self._column:
                row[0, self._column[product_id]] = value
        if self._rows == len(self._alive):  # grow buffers by a quarter, amortised O(1) appends
            extra = max(1024, self._rows // 4)
            self._interactions = np.vstack(
                [self._interactions, np.zeros((extra, len(self.product_ids)), dtype=np.int8)]
            )
            self._alive = np.concatenate([self._alive, np.zeros(extra, dtype=bool)])
        self.index.add(np.asarray(vector, dtype=np.float32).reshape(1, -1))
        self._interactions[self._rows] = row[0]
        self._alive[self._rows] = True
        self._ids.append(customer_id)
        self._row[customer_id] = self._rows
        self._rows += 1
        if old is not None:
            self._alive[old] = False
            self._retired += 1

    def remove(self, customer_id: str) -> None:
        """Retire a customer (consent withdrawn)."""
        old = self._row.pop(customer_id, None)
        if old is not None:
            self._alive[old] = False
            self._retired += 1

    def popularity(self) -> dict[str, float]:
        """Share of indexed customers who hold or accepted each product."""
        live = self._interactions[: self._rows][self._alive[: self._rows]]
        if len(live) == 0:
            return dict.fromkeys(self.product_ids, 0.0)
        shares = (live > 0).mean(axis=0)
        return {p: float(s) for p, s in zip(self.product_ids, shares, strict=True)}

    def memory_bytes(self) -> int:
        """Bytes held by the FAISS index and the interaction matrix."""
        return int(faiss.serialize_index(self.index).nbytes + self._interactions[: self._rows].nbytes)
