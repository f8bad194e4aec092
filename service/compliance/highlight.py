"""Placeholders in redacted text, as spans a reviewer's page can highlight."""

from __future__ import annotations

from collections.abc import Collection

from privacy.placeholders import PLACEHOLDER_PATTERN
from service.compliance.schemas import EntitySpan


def entity_spans(text: str | None, vaulted: Collection[str]) -> list[EntitySpan]:
    """Every ``<TYPE_n>`` in ``text``; ``revealable`` when the vault holds its original.

    A customer may type something that looks like a placeholder; it is marked but not
    revealable, because nothing was vaulted under it.
    """
    if not text:
        return []
    return [
        EntitySpan(
            start=match.start(),
            end=match.end(),
            placeholder=match.group(0),
            entity_type=match.group(1),
            revealable=match.group(0) in vaulted,
        )
        for match in PLACEHOLDER_PATTERN.finditer(text)
    ]
