"""Ranking strategies the experiments compare: each only reorders the suitable, scored
candidates (never adds one back), so suitability holds on every arm.

- ``score``: the recommender's own order (best combined score first).
- ``low_risk_first``: the lowest risk level first, then by score.
- ``low_fee_first``: the lowest yearly fees first, then by score.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from recommender.scoring import Scored

DEFAULT_STRATEGY = "score"

_KEYS: dict[str, Callable[[Scored], tuple[float, ...]]] = {
    "score": lambda s: (-s.parts.total,),
    "low_risk_first": lambda s: (s.product.risk_level, -s.parts.total),
    "low_fee_first": lambda s: (12 * s.product.monthly_fee + s.product.annual_fee, -s.parts.total),
}
STRATEGIES = tuple(_KEYS)


def order(scored: Sequence[Scored], strategy: str = DEFAULT_STRATEGY) -> list[Scored]:
    """``scored`` in the strategy's order (a stable sort: ties keep the recommender's order).

    Raises:
        ValueError: an unknown strategy.
    """
    if strategy not in _KEYS:
        raise ValueError(f"unknown strategy {strategy!r}; known: {', '.join(STRATEGIES)}")
    return sorted(scored, key=_KEYS[strategy])
