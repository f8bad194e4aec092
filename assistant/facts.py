"""Answer templates filled with the bank's facts: ``{policy.<path>}`` from ``bank/policy.yml``
and ``{products.<id>.<field>}`` from the recommender catalogue, the one source of each."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from bank.policy import UnknownFact, fact
from recommender.catalogue import Catalogue, load_catalogue

PLACEHOLDER = re.compile(r"\{([a-z0-9_]+(?:\.[a-z0-9_]+)+)\}")


@lru_cache(maxsize=1)
def _catalogue() -> Catalogue:
    return load_catalogue()


def _display(value: Any) -> str:
    """Numbers with thousands separators and without a trailing ".0" (5000.0 -> "5,000",
    3.10 -> "3.1")."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:,g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def resolve(dotted: str) -> str:
    """One placeholder's text; ``UnknownFact`` if it names nothing."""
    source, _, rest = dotted.partition(".")
    if source == "policy":
        return _display(fact(rest))
    if source == "products":
        product_id, _, fields = rest.partition(".")
        catalogue = _catalogue()
        if product_id not in catalogue or not fields:
            raise UnknownFact(dotted)
        value: Any = catalogue.get(product_id)
        for field in fields.split("."):
            if field.startswith("_") or not hasattr(value, field):
                raise UnknownFact(dotted)
            value = getattr(value, field)
        if value is None or not isinstance(value, (str, int, float)):
            raise UnknownFact(f"{dotted} has no single value")
        return _display(value)
    raise UnknownFact(dotted)


def placeholders(template: str) -> list[str]:
    """The dotted names a template quotes."""
    return PLACEHOLDER.findall(template)


def render(template: str) -> str:
    """The template with every placeholder replaced by its fact."""
    return PLACEHOLDER.sub(lambda m: resolve(m.group(1)), template)
