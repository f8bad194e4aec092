"""The product catalogue: typed products loaded from ``data/catalogue.yaml``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from recommender.errors import CatalogueError

DEFAULT_CATALOGUE_PATH = Path(__file__).parent / "data" / "catalogue.yaml"

CATEGORIES = (
    "current_account",
    "savings",
    "isa",
    "fixed_term",
    "credit_card",
    "personal_loan",
    "mortgage",
    "investment_fund",
    "insurance",
)
GOAL_TYPES = ("save", "borrow", "invest", "protect")
CREDIT_BANDS = ("A", "B", "C", "D", "E")
ACCESS_KINDS = ("instant", "notice", "fixed", "none")

CATEGORY_LABELS = {
    "current_account": "current account",
    "savings": "savings account",
    "isa": "ISA",
    "fixed_term": "fixed-term deposit",
    "credit_card": "credit card",
    "personal_loan": "personal loan",
    "mortgage": "mortgage",
    "investment_fund": "investment fund",
    "insurance": "insurance",
}


@dataclass(frozen=True)
class Eligibility:
    """Who may hold a product.

    Attributes:
        min_age: Youngest age allowed.
        max_age: Oldest age allowed at application, or None.
        min_income: Lowest gross annual income in GBP.
        residency: ISO country codes of residence accepted.
        credit_bands: Credit bands accepted (A best .. E weakest).
        requires_holdings: Categories or product ids the customer must already hold.
        excludes_holdings: Categories or product ids that rule the product out.
    """

    min_age: int = 18
    max_age: int | None = None
    min_income: float = 0.0
    residency: tuple[str, ...] = ("GB",)
    credit_bands: tuple[str, ...] = CREDIT_BANDS
    requires_holdings: tuple[str, ...] = ()
    excludes_holdings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Product:
    """One product of the catalogue; see ``data/catalogue.yaml`` for the meaning of fields."""

    id: str
    name: str
    category: str
    goal_types: tuple[str, ...]
    description: str
    risk_level: int
    access: str
    min_amount: float
    max_amount: float
    rate_pct: float | None = None
    promo_rate_pct: float | None = None
    promo_months: int | None = None
    monthly_fee: float = 0.0
    annual_fee: float = 0.0
    ongoing_charge_pct: float = 0.0
    premium_per_1000: float = 0.0
    max_monthly: float | None = None
    term_months_min: int | None = None
    term_months_max: int | None = None
    min_horizon_months: int = 0
    tags: tuple[str, ...] = ()
    eligibility: Eligibility = field(default_factory=Eligibility)

    @property
    def category_label(self) -> str:
        """The category in words a customer reads ("fixed-term deposit")."""
        return CATEGORY_LABELS[self.category]

    @property
    def is_credit(self) -> bool:
        """True for products the customer borrows with."""
        return self.category in ("credit_card", "personal_loan", "mortgage")

    def embedding_text(self) -> str:
        """The text embedded for goal search: name, kind and description."""
        return f"{self.name}. A {self.category_label}. {self.description}"


class Catalogue:
    """An ordered, immutable set of products with lookup by id.

    Args:
        products: The products; ids must be unique.

    Raises:
        CatalogueError: On duplicate ids.
    """

    def __init__(self, products: Iterable[Product]) -> None:
        self._products = tuple(products)
        self._by_id = {p.id: p for p in self._products}
        if len(self._by_id) != len(self._products):
            raise CatalogueError("The catalogue has duplicate product ids.")
        self._position = {p.id: i for i, p in enumerate(self._products)}

    def __len__(self) -> int:
        return len(self._products)

    def __iter__(self) -> Iterator[Product]:
        return iter(self._products)

    def __contains__(self, product_id: object) -> bool:
        return product_id in self._by_id

    @property
    def products(self) -> tuple[Product, ...]:
        """All products in catalogue order."""
        return self._products

    @property
    def ids(self) -> tuple[str, ...]:
        """Product ids in catalogue order."""
        return tuple(p.id for p in self._products)

    def get(self, product_id: str) -> Product:
        """The product with this id.

        Raises:
            CatalogueError: If no product has this id.
        """
        try:
            return self._by_id[product_id]
        except KeyError:
            raise CatalogueError(f"No product with id {product_id!r} in the catalogue.") from None

    def position(self, product_id: str) -> int:
        """The product's index in catalogue order (its column in interaction matrices)."""
        return self._position[product_id]

    def content_hash(self) -> str:
        """A stable hash of every product's content, to key caches on."""
        payload = json.dumps([asdict(p) for p in self._products], sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _product_from_mapping(raw: Mapping[str, Any]) -> Product:
    data = dict(raw)
    elig = dict(data.pop("eligibility", {}) or {})
    for key in ("residency", "credit_bands", "requires_holdings", "excludes_holdings"):
        if key in elig:
            elig[key] = tuple(elig[key])
    for key in ("goal_types", "tags"):
        data[key] = tuple(data.get(key, ()))
    for key in ("min_amount", "max_amount"):
        data[key] = float(data[key])
    product = Product(**data, eligibility=Eligibility(**elig))
    _validate(product)
    return product


def _validate(p: Product) -> None:
    problems = []
    if p.category not in CATEGORIES:
        problems.append(f"unknown category {p.category!r}")
    if not p.goal_types or not set(p.goal_types) <= set(GOAL_TYPES):
        problems.append(f"goal_types must be among {GOAL_TYPES}")
    if not 1 <= p.risk_level <= 7:
        problems.append("risk_level must be 1 to 7")
    if p.access not in ACCESS_KINDS:
        problems.append(f"access must be one of {ACCESS_KINDS}")
    if not 0 <= p.min_amount <= p.max_amount:
        problems.append("need 0 <= min_amount <= max_amount")
    if (p.term_months_min is None) != (p.term_months_max is None):
        problems.append("term_months_min and term_months_max go together")
    if p.term_months_min is not None and not 0 < p.term_months_min <= (p.term_months_max or 0):
        problems.append("need 0 < term_months_min <= term_months_max")
    if not set(p.eligibility.credit_bands) <= set(CREDIT_BANDS):
        problems.append("credit_bands must be among A-E")
    if not p.description.strip():
        problems.append("description is empty")
    if problems:
        raise CatalogueError(f"Product {p.id!r}: " + "; ".join(problems) + ".")


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """Read and validate a catalogue file.

    Args:
        path: A YAML file with a top-level ``products`` list; the bank's catalogue by default.

    Raises:
        CatalogueError: If the file is missing or a product is malformed.
    """
    file = Path(path) if path is not None else DEFAULT_CATALOGUE_PATH
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise CatalogueError(f"Cannot read the catalogue file {file}: {exc.strerror}.") from exc
    try:
        return Catalogue(_product_from_mapping(item) for item in raw.get("products") or [])
    except TypeError as exc:
        raise CatalogueError(f"Malformed product in {file}: {exc}.") from exc
