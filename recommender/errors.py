"""Errors raised by the recommender; every message is safe to show a customer.

An unknown customer or an invalid goal raises the bank's own ``bank.errors.UnknownCustomer``
and ``bank.errors.InvalidGoal``.
"""

from __future__ import annotations


class RecommenderError(Exception):
    """Base class of every recommender error."""


class CatalogueError(RecommenderError):
    """The product catalogue is missing, malformed or lacks a product."""


class UnknownRecommendation(RecommenderError):
    """No recommendation with this id was shown to this customer."""

    def __init__(self) -> None:
        super().__init__("We could not find that recommendation for this customer.")


class InvalidFeedback(RecommenderError):
    """A feedback outcome the recommender does not know."""


class ProtectedAttributeError(RecommenderError):
    """A protected attribute was asked for as a ranking input (always a programming error)."""


class IndexNotBuilt(RecommenderError):
    """A FAISS index was queried before it was built."""
