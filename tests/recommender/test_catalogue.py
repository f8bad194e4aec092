"""The catalogue: at least 30 well-formed products covering every category and goal type."""

from pathlib import Path

import pytest

from recommender.catalogue import CATEGORIES, GOAL_TYPES, Catalogue, load_catalogue
from recommender.errors import CatalogueError


def test_catalogue_has_thirty_products_covering_every_category_and_goal(catalogue: Catalogue):
    assert len(catalogue) >= 30
    assert {p.category for p in catalogue} == set(CATEGORIES)
    assert {g for p in catalogue for g in p.goal_types} == set(GOAL_TYPES)
    funds = [p for p in catalogue if p.category == "investment_fund"]
    assert len({p.risk_level for p in funds}) >= 5  # funds span the risk scale


def test_every_product_has_structured_attributes_and_a_description(catalogue: Catalogue):
    for p in catalogue:
        assert len(p.description) > 60, p.id
        assert 1 <= p.risk_level <= 7
        assert 0 <= p.min_amount <= p.max_amount
        assert p.eligibility.min_age >= 16
        assert p.eligibility.residency
        if p.is_credit:
            assert p.rate_pct and p.term_months_min and p.term_months_max, p.id


BAD_PRODUCTS = [
    ("category: spaceship", "unknown category"),
    ("risk_level: 9", "risk_level"),
    ("goal_types: [gamble]", "goal_types"),
    ("min_amount: 500\n    max_amount: 100", "min_amount"),
]


@pytest.mark.parametrize(("override", "message"), BAD_PRODUCTS)
def test_malformed_products_are_refused_with_the_reason(tmp_path: Path, override: str, message: str):
    base = {
        "id": "x", "name": "X", "category": "savings", "goal_types": "[save]",
        "description": "d", "risk_level": "1", "access": "instant", "min_amount": "1",
        "max_amount": "10",
    }
    key = override.split(":")[0]
    lines = [f"    {k}: {v}" for k, v in base.items() if k != key]
    text = "products:\n  - " + "\n".join(lines).lstrip() + f"\n    {override}\n"
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(path)


def test_missing_file_and_duplicate_ids_are_clear_errors(tmp_path: Path, catalogue: Catalogue):
    with pytest.raises(CatalogueError, match="Cannot read"):
        load_catalogue(tmp_path / "nope.yaml")
    with pytest.raises(CatalogueError, match="duplicate"):
        Catalogue([catalogue.products[0], catalogue.products[0]])
    with pytest.raises(CatalogueError, match="No product"):
        catalogue.get("not_a_product")


def test_content_hash_changes_with_the_catalogue(catalogue: Catalogue):
    assert catalogue.content_hash() == load_catalogue().content_hash()
    assert Catalogue(catalogue.products[1:]).content_hash() != catalogue.content_hash()
