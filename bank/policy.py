"""The bank's published facts (fees, limits, timings, contact details) from ``policy.yml``.

Answers quote them through ``{policy.<dotted path>}`` placeholders, so each fact is written
once; product rates and fees are the recommender catalogue's, not repeated here.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

POLICY_PATH = Path(__file__).with_name("policy.yml")


class UnknownFact(KeyError):
    """A dotted path that names no fact."""


@lru_cache(maxsize=4)
def load_policy(path: Path = POLICY_PATH) -> Mapping[str, Any]:
    """The facts as a nested mapping."""
    facts = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(facts, dict):
        raise ValueError(f"{path} must hold a mapping of facts")
    return facts


def fact(dotted: str, facts: Mapping[str, Any] | None = None) -> Any:
    """The value at ``dotted`` ("cards.delivery_working_days"); ``UnknownFact`` if none."""
    value: Any = load_policy() if facts is None else facts
    for key in dotted.split("."):
        if not isinstance(value, Mapping) or key not in value:
            raise UnknownFact(dotted)
        value = value[key]
    if isinstance(value, Mapping):
        raise UnknownFact(f"{dotted} is a group of facts, not one")
    return value


def money_fact(dotted: str, facts: Mapping[str, Any] | None = None) -> Decimal:
    """A fact written as pounds ("£10,000") as a ``Decimal``; ``ValueError`` if it is not one."""
    return _number(fact(dotted, facts), "£", dotted)


def percent_fact(dotted: str, facts: Mapping[str, Any] | None = None) -> Decimal:
    """A fact written as a percentage ("3%") as a fraction (``Decimal("0.03")``)."""
    return _number(fact(dotted, facts), "%", dotted) / 100


def _number(value: Any, sign: str, dotted: str) -> Decimal:
    text = str(value).strip()
    if sign not in text:
        raise ValueError(f"{dotted} is not written with {sign!r}: {value!r}")
    try:
        return Decimal(text.replace(sign, "").replace(",", "").strip())
    except InvalidOperation:
        raise ValueError(f"{dotted} is not a number with {sign!r}: {value!r}") from None
