"""Why a transaction looks unusual: one reason a signal, with the customer-facing text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ReasonCode(StrEnum):
    """The signals the scorer combines."""

    AMOUNT = "amount"  # far above the usual for the category
    NEW_MERCHANT = "new_merchant"
    HOUR = "hour"  # at an hour the customer rarely pays
    NEW_CURRENCY = "new_currency"  # a foreign currency never paid in before
    BURST = "burst"  # several payments in a few minutes
    SPREE = "spree"  # several merchants new to the customer within an hour


@dataclass(frozen=True, slots=True)
class Reason:
    """One signal that raised the score.

    Attributes:
        code: which signal.
        weight: how much it added to the evidence (the larger, the more unusual).
        text: a sentence for the customer or a colleague.
    """

    code: ReasonCode
    weight: float
    text: str
