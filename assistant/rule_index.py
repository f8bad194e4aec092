"""Rasa's rule policy, comparing the conversation only with the rules that could match it.

For every prediction Rasa's ``RulePolicy`` compares each of its rules with the conversation's
last state, then the survivors with the state before, and so on. With one rule per answer in
the answer table that is some 400 comparisons before the first state is even passed. A rule
can only match where its last state's previous action and intent are the conversation's, so
the rules are grouped once by those two (a rule that leaves either open is in every group
that needs it) and only the group of the conversation's last state is searched, by Rasa's
own comparison: the same rules are found.

Runs inside Rasa's environment; :mod:`assistant.rasa_server` installs it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
from rasa.shared.nlu.constants import ACTION_NAME, INTENT

_search = RulePolicy._get_possible_keys

Group = tuple[str | None, str | None]  # (previous action, intent); None: any


def _required(sub_state: Any, key: str) -> str | None:
    """The value a rule state requires for ``key``, or None when it leaves it open."""
    value = sub_state.get(key) if isinstance(sub_state, dict) else None
    return value if isinstance(value, str) and value and value != SHOULD_NOT_BE_SET else None


def group_of(rule_key: str) -> Group:
    """The previous action and intent a rule's last state requires. A last state without a
    previous action (a conversation start) matches by other checks: it goes in the open group."""
    last = RulePolicy._rule_key_to_state(rule_key)[-1]
    previous = last.get(PREVIOUS_ACTION)
    if not previous:
        return (None, None)
    return (_required(previous, ACTION_NAME), _required(last.get(USER, {}), INTENT))


class RuleIndex:
    """A lookup's rule keys grouped by :func:`group_of`."""

    def __init__(self, lookup: dict[str, Any]) -> None:
        self.lookup = lookup
        self.size = len(lookup)
        self.groups: dict[Group, list[str]] = defaultdict(list)
        for key in lookup:
            self.groups[group_of(key)].append(key)

    def candidates(self, state: dict[str, Any]) -> dict[str, None]:
        """The keys that may match ``state``: its group's, and those of the groups that leave
        the previous action, the intent or both open."""
        action = (state.get(PREVIOUS_ACTION) or {}).get(ACTION_NAME)
        intent = (state.get(USER) or {}).get(INTENT)
        found: dict[str, None] = {}
        for group in {(action, intent), (action, None), (None, intent), (None, None)}:
            found.update(dict.fromkeys(self.groups.get(group, ())))
        return found


_INDEXES: dict[int, RuleIndex] = {}


def index_of(lookup: dict[str, Any]) -> RuleIndex:
    """The index of ``lookup``, built on first use (a model's lookups do not change)."""
    index = _INDEXES.get(id(lookup))
    if index is None or index.lookup is not lookup or index.size != len(lookup):
        index = _INDEXES[id(lookup)] = RuleIndex(lookup)
    return index


def possible_keys(policy: RulePolicy, lookup: dict[str, Any], states: list[dict[str, Any]]) -> set[str]:
    """``RulePolicy._get_possible_keys`` on the rules of the last state's group only."""
    if not states or not lookup:
        return _search(policy, lookup, states)
    return _search(policy, index_of(lookup).candidates(states[-1]), states)
