"""Profile vectors for the lookalike index and segments, from an explicit feature allow-list.

Inputs are *columns*: a mapping from an input name to a numpy array with one entry per
customer. :func:`profile_columns` turns :class:`CustomerProfile` objects into columns; the
synthetic population generator produces columns directly, so one code path builds vectors for
the store and for a million synthetic customers alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from recommender.catalogue import CATEGORIES, CREDIT_BANDS
from recommender.profile import (
    EMPLOYMENT_STATUSES,
    SPEND_CATEGORIES,
    CustomerProfile,
    check_allow_list,
)

Columns = Mapping[str, np.ndarray]


@dataclass(frozen=True)
class Feature:
    """One dimension of the profile vector.

    Attributes:
        name: The feature's name.
        inputs: The input columns it reads (checked against the protected attributes).
        compute: Maps the columns to one float per customer.
    """

    name: str
    inputs: tuple[str, ...]
    compute: Callable[[Columns], np.ndarray]


def _log_scaled(column: str, centre: float, scale: float) -> Feature:
    return Feature(
        f"log_{column}",
        (column,),
        lambda c: (np.log1p(np.maximum(c[column].astype(np.float64), 0.0)) - centre) / scale,
    )


def _one_hot(column: str, value: str, weight: float) -> Feature:
    return Feature(
        f"{column}_is_{value}",
        (column,),
        lambda c: (np.asarray(c[column]) == value).astype(np.float64) * weight,
    )


def _spend_share(category: str) -> Feature:
    def compute(c: Columns) -> np.ndarray:
        total = sum(c[f"spend_{k}"].astype(np.float64) for k in SPEND_CATEGORIES)
        return 3.0 * c[f"spend_{category}"] / np.maximum(total, 1.0)

    return Feature(
        f"spend_share_{category}", tuple(f"spend_{k}" for k in SPEND_CATEGORIES), compute
    )


def _holds(category: str) -> Feature:
    column = f"holds_{category}"
    return Feature(column, (column,), lambda c: 0.7 * c[column].astype(np.float64))


def _credit_band(c: Columns) -> np.ndarray:
    bands = np.asarray(c["credit_band"])
    out = np.zeros(len(bands), dtype=np.float64)
    for rank, band in enumerate(CREDIT_BANDS):
        out[bands == band] = 1.0 - rank / (len(CREDIT_BANDS) - 1)
    return out


DEFAULT_FEATURES: tuple[Feature, ...] = (
    Feature("age", ("age",), lambda c: (c["age"].astype(np.float64) - 45.0) / 15.0),
    _log_scaled("annual_income", 10.4, 0.6),
    _log_scaled("monthly_income", 7.8, 0.6),
    Feature("savings_rate", ("savings_rate",), lambda c: 2.0 * np.clip(c["savings_rate"], -1, 1)),
    _log_scaled("balance_current", 7.0, 2.0),
    _log_scaled("balance_savings", 7.0, 3.0),
    _log_scaled("balance_investments", 4.0, 4.0),
    _log_scaled("credit_debt", 3.0, 3.0),
    Feature("credit_band", ("credit_band",), lambda c: 1.5 * _credit_band(c)),
    *(_one_hot("employment_status", s, 1.0) for s in EMPLOYMENT_STATUSES),
    *(_spend_share(k) for k in SPEND_CATEGORIES),
    *(_holds(k) for k in CATEGORIES),
)


class FeatureBuilder:
    """Builds float32 profile vectors from an explicit list of features.

    Args:
        features: The features, in vector order.

    Raises:
        ProtectedAttributeError: If a feature is named after, or reads, a protected attribute.
    """

    def __init__(self, features: Sequence[Feature] = DEFAULT_FEATURES) -> None:
        self.features = tuple(features)
        check_allow_list([f.name for f in self.features])
        check_allow_list(self.inputs)

    @property
    def dim(self) -> int:
        """Vector length."""
        return len(self.features)

    @property
    def names(self) -> tuple[str, ...]:
        """Feature names in vector order."""
        return tuple(f.name for f in self.features)

    @property
    def inputs(self) -> tuple[str, ...]:
        """Every input column read, each once: the allow-list of ranking inputs."""
        return tuple(dict.fromkeys(i for f in self.features for i in f.inputs))

    def matrix(self, columns: Columns) -> np.ndarray:
        """Vectors for every customer in ``columns`` (only the allow-listed inputs are read).

        Returns:
            A C-contiguous float32 array of shape (n, dim).
        """
        allowed = {name: columns[name] for name in self.inputs}
        out = np.empty((len(next(iter(allowed.values()))), self.dim), dtype=np.float32)
        for j, feature in enumerate(self.features):
            out[:, j] = feature.compute(allowed)
        return out

    def vector(self, profile: CustomerProfile) -> np.ndarray:
        """The vector of one profile, shape (dim,)."""
        return self.matrix(profile_columns([profile]))[0]


def profile_columns(profiles: Sequence[CustomerProfile]) -> dict[str, np.ndarray]:
    """Columns of feature inputs for a list of profiles."""
    cols: dict[str, np.ndarray] = {
        "age": np.array([p.age for p in profiles], dtype=np.float64),
        "annual_income": np.array([p.annual_income for p in profiles], dtype=np.float64),
        "monthly_income": np.array([p.features.monthly_income for p in profiles]),
        "savings_rate": np.array([p.features.savings_rate for p in profiles]),
        "balance_current": np.array([p.features.balance_current for p in profiles]),
        "balance_savings": np.array([p.features.balance_savings for p in profiles]),
        "balance_investments": np.array([p.features.balance_investments for p in profiles]),
        "credit_debt": np.array([p.features.credit_debt for p in profiles]),
        "credit_band": np.array([p.credit_band for p in profiles]),
        "employment_status": np.array([p.employment_status for p in profiles]),
    }
    for k in SPEND_CATEGORIES:
        cols[f"spend_{k}"] = np.array(
            [float(p.features.spending_by_category.get(k, 0.0)) for p in profiles]
        )
    for k in CATEGORIES:
        cols[f"holds_{k}"] = np.array([float(k in p.held_categories) for p in profiles])
    return cols
