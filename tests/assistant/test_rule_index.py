"""The rule policy finds the same rules when it searches only the group of rules that could
match the conversation's last state (``assistant.rule_index``), on the trained model.

Every search the rule policy makes while the end-to-end test stories run as one long
conversation (the rules, and the rules of a form's unhappy path) is made both ways: the same
rules each time; and the groups hold a small part of the rules.
"""

from __future__ import annotations

from pathlib import Path

from tests.assistant.test_recent_history import in_rasa

SAME_RULES = """
import json, sys
from rasa.core.agent import Agent
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker
from assistant import rule_index
from assistant.recent_history import recent_tracker
from tests.assistant.story_conversation import story_conversation

searches, differ, searched, rules = 0, [], [], 0

def both(policy, lookup, states):
    global searches, rules
    whole = rule_index._search(policy, lookup, states)
    grouped = rule_index.possible_keys(policy, lookup, states)
    searches += 1
    rules = max(rules, len(lookup))
    if states and lookup:
        searched.append(len(rule_index.index_of(lookup).candidates(states[-1])))
    if whole != grouped:
        differ.append(sorted(whole ^ grouped)[:3])
    return whole

RulePolicy._get_possible_keys = both
agent = Agent.load(sys.argv[1])
events = story_conversation(agent.domain)
for index, event in enumerate(events):
    if isinstance(event, ActionExecuted) and index:
        whole = DialogueStateTracker.from_events("long", events[:index], slots=agent.domain.slots)
        agent.processor._predict_next_with_tracker(recent_tracker(whole))
print(json.dumps({"searches": searches, "differ": differ[:5], "rules": rules,
                  "searched_max": max(searched), "searched_mean": sum(searched) / len(searched)}))
"""


def test_the_grouped_search_finds_the_rules_the_whole_search_finds(trained_model: Path) -> None:
    found = in_rasa(SAME_RULES, str(trained_model), timeout=1200)
    assert found["searches"] >= 200
    assert found["differ"] == []
    assert found["rules"] >= 300
    assert found["searched_mean"] < found["rules"] / 4
