"""Goal search over product descriptions with MiniLM and FAISS, embeddings cached on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from recommender.catalogue import Catalogue
from recommender.text_index import ProductTextIndex

SEARCHES = [
    ("saving for a deposit on my first home", {"isa_lifetime", "mtg_ftb_95", "sav_goal_pots"}),
    ("insurance for my phone and laptop", {"ins_gadget"}),
    ("clear my credit card debts", {"loan_consolidation", "cc_balance_transfer"}),
    ("a pension for when I retire", {"pension_sipp"}),
    ("somewhere ethical and green for my savings", {"sav_green", "fund_ethical"}),
]


@pytest.mark.parametrize(("text", "expected"), SEARCHES)
def test_goal_text_finds_the_products_it_describes(
    catalogue: Catalogue, encoder, tmp_path: Path, text: str, expected: set[str]
):
    index = ProductTextIndex.build(catalogue, encoder, tmp_path)
    top = [pid for pid, _ in index.search(text, 3)]
    assert expected & set(top)


def test_search_within_a_goal_type_and_embedding_cache(catalogue: Catalogue, encoder, tmp_path):
    index = ProductTextIndex.build(catalogue, encoder, tmp_path)
    protect = [p.id for p in catalogue if "protect" in p.goal_types]
    hits = index.search("saving for a house", 5, among=protect)
    assert hits and {pid for pid, _ in hits} <= set(protect)
    cached = list(tmp_path.glob(f"product-embeddings-*-{catalogue.content_hash()}.npy"))
    assert len(cached) == 1
    mtime = cached[0].stat().st_mtime_ns
    ProductTextIndex.build(catalogue, encoder, tmp_path)
    assert cached[0].stat().st_mtime_ns == mtime  # loaded, not recomputed
    assert ProductTextIndex.build(Catalogue([]), encoder, tmp_path).search("x", 3) == []
