"""The preposition before an account word says whether money leaves it or goes into it."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.actions.account_roles import roles_by_preposition


def _accounts(text: str, *words: str) -> list[dict[str, Any]]:
    """account_type entities at each word's first place in ``text``, with a wrong role."""
    return [{"entity": "account_type", "value": w, "start": text.index(w), "role": "destination"}
            for w in words]


@pytest.mark.parametrize(
    ("text", "words", "roles"),
    [
        ("I'd like to move £250 from my current account to my savings", ("current", "savings"),
         {"source": "current", "destination": "savings"}),
        ("put 40 into the ISA out of savings", ("ISA", "savings"),
         {"source": "savings", "destination": "ISA"}),
        ("move £250 to savings from current", ("savings", "current"),
         {"source": "current", "destination": "savings"}),
        ("send 20 to my savings", ("savings",), {"destination": "savings"}),
        ("pay off my credit card", ("credit card",), {}),
        ("what's in my current account", ("current",), {}),
        ("from savings or from current?", ("savings", "current"), {}),
    ],
)
def test_roles_by_preposition(text: str, words: tuple[str, ...], roles: dict[str, str]) -> None:
    assert roles_by_preposition(text, _accounts(text, *words)) == roles


def test_an_entity_without_a_place_or_of_another_type_is_left_alone() -> None:
    text = "move 50 from current to savings"
    entities: list[dict[str, Any]] = [{"entity": "account_type", "value": "current"},
                {"entity": "amount", "value": "savings", "start": text.index("savings")}]
    assert roles_by_preposition(text, entities) == {}
