"""Which account a transfer's words name as the source and which as the destination.

The entity extractor reads the role of an account word ("current", "savings") less surely
than the word itself; the preposition before it says the role outright: "from my current
account to my savings", "into the ISA out of savings".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

SOURCE, DESTINATION = "source", "destination"
_LOOK_BACK = 24
_SOURCE_BEFORE = re.compile(r"\b(?:from|out of)\s+(?:(?:my|the|our|your)\s+)?$", re.IGNORECASE)
_DESTINATION_BEFORE = re.compile(r"\b(?:to|into|onto)\s+(?:(?:my|the|our|your)\s+)?$", re.IGNORECASE)


def roles_by_preposition(text: str, entities: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """``{"source": value, "destination": value}`` for the account words of ``text`` that a
    preposition just before names; a role named by two different words is left out."""
    found: dict[str, set[str]] = {SOURCE: set(), DESTINATION: set()}
    for entity in entities:
        start = entity.get("start")
        if entity.get("entity") != "account_type" or not isinstance(start, int) or not entity.get("value"):
            continue
        before = text[max(0, start - _LOOK_BACK) : start]
        if _SOURCE_BEFORE.search(before):
            found[SOURCE].add(str(entity["value"]))
        elif _DESTINATION_BEFORE.search(before):
            found[DESTINATION].add(str(entity["value"]))
    return {role: values.pop() for role, values in found.items() if len(values) == 1}
