"""The merchant a statement line names, as one key: ``merchant_key("SQ *COFFEE SHOP 0423")``."""

from __future__ import annotations

from functools import lru_cache

from insights.categories.normalise import normalise


@lru_cache(maxsize=65_536)
def merchant_key(description: str) -> str:
    """The merchant words of a description (processor, store numbers and town dropped).

    Text with no merchant words left is its own key, so that two such lines differ.
    """
    merchant = normalise(description).merchant
    return merchant or " ".join(description.casefold().split())
