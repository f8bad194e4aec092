"""The FAISS lookalike index: approximate indexes against exact search, updates, signals."""

import numpy as np
import pytest

from recommender.lookalike import (
    ACCEPTED,
    DECLINED,
    HOLDS,
    IndexParams,
    LookalikeIndex,
    build_faiss_index,
)
from recommender.vectors import FeatureBuilder
from simulation.population import SyntheticPopulation

PRODUCTS = ("p1", "p2", "p3")


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    population = SyntheticPopulation.generate(6000, seed=3)
    return FeatureBuilder().matrix(population.columns)


@pytest.mark.parametrize(
    "params",
    [IndexParams("hnsw", ef_search=64), IndexParams("ivf", nlist=64, nprobe=16)],
    ids=["hnsw", "ivf"],
)
def test_approximate_indexes_find_the_exact_neighbours(vectors: np.ndarray, params: IndexParams):
    queries, base = vectors[:200], vectors[200:]
    _, truth = build_faiss_index(base, IndexParams("flat")).search(queries, 50)
    _, found = build_faiss_index(base, params).search(queries, 50)
    recall = np.mean([len(set(f) & set(t)) / 50 for f, t in zip(found, truth, strict=True)])
    assert recall >= 0.9


def _small_index() -> LookalikeIndex:
    vectors = np.array([[0, 0], [0, 1], [1, 0], [10, 10], [10, 11]], dtype=np.float32)
    interactions = np.array(
        [[HOLDS, 0, 0], [HOLDS, 0, 0], [0, HOLDS, 0], [0, 0, HOLDS], [0, 0, HOLDS]], dtype=np.int8
    )
    ids = ["a", "b", "c", "d", "e"]
    return LookalikeIndex.build(vectors, ids, interactions, PRODUCTS, IndexParams("flat"))


def test_signal_counts_what_the_nearest_customers_hold_excluding_the_asker():
    index = _small_index()
    signal = index.signal(np.array([0, 0], dtype=np.float32), k=2, exclude="a")
    assert signal.neighbours == 2
    assert signal.positive == {"p1": 1, "p2": 1}  # b and c, not a itself
    assert index.popularity() == pytest.approx({"p1": 0.4, "p2": 0.2, "p3": 0.4})


def test_feedback_and_profile_moves_update_the_signal():
    index = _small_index()
    near_origin = np.array([0, 0], dtype=np.float32)
    index.record("b", "p3", ACCEPTED)
    index.record("c", "p2", DECLINED)  # declining does not close a held product
    assert index.signal(near_origin, k=2, exclude="a").positive == {"p1": 1, "p2": 1, "p3": 1}
    index.record("b", "p1", DECLINED)
    assert index.interactions_of("b") == {"p1": HOLDS, "p3": ACCEPTED}

    index.upsert("d", near_origin, {"p3": HOLDS})  # d's profile moved next to a
    rows, _ = index.neighbours(near_origin, k=3, exclude="a")
    assert len(rows) == 3 and 3 not in rows  # d's old row is retired
    assert index.signal(np.array([10, 10], dtype=np.float32), k=1).positive == {"p3": 1}
    index.remove("e")
    assert "e" not in index and len(index) == 4


def test_an_empty_index_answers_with_no_neighbours():
    index = LookalikeIndex.build(
        np.zeros((0, 4), dtype=np.float32), [], np.zeros((0, 3), dtype=np.int8), PRODUCTS,
        IndexParams("flat"),
    )
    assert index.signal(np.zeros(4, dtype=np.float32), k=5).neighbours == 0
