"""TED is left out where a rule has settled the prediction (``assistant.settled_predictions``),
and the bot predicts exactly as before, on the trained model.

Every prediction of the end-to-end test stories run as one long conversation is made with
every policy running and then with the shortcut: the same action, policy and confidence each
time, and TED left out of most of them.
"""

from __future__ import annotations

from pathlib import Path

from tests.assistant.test_recent_history import in_rasa

SAME_PREDICTIONS = """
import json, sys
from rasa.core.agent import Agent
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker
from assistant import settled_predictions
from assistant.recent_history import recent_tracker
from tests.assistant.story_conversation import story_conversation

ted_runs = 0
_run_ted = TEDPolicy.predict_action_probabilities
def counted(*args, **kwargs):
    global ted_runs
    ted_runs += 1
    return _run_ted(*args, **kwargs)
settled_predictions._ted_predict = counted  # TED runs through the count
settled_predictions.install()  # before the model loads: its graph keeps the methods it finds
settles = settled_predictions.settles
settled_predictions.settles = lambda prediction: False  # first, no rule settles anything

agent = Agent.load(sys.argv[1])
names = agent.domain.action_names_or_texts
events = story_conversation(agent.domain)
trackers = [recent_tracker(DialogueStateTracker.from_events("long", events[:index], slots=agent.domain.slots))
            for index, event in enumerate(events) if index and isinstance(event, ActionExecuted)]

def predictions():
    found = []
    for tracker in trackers:
        p = agent.processor._predict_next_with_tracker(tracker)
        best = max(range(len(p.probabilities)), key=p.probabilities.__getitem__)
        found.append([names[best], p.policy_name, round(p.max_confidence, 6), p.is_no_user_prediction])
    return found

every_policy = predictions()
runs_without = ted_runs
settled_predictions.settles = settles
shortcut = predictions()
print(json.dumps({
    "predictions": len(trackers),
    "differ": [[n, a, b] for n, (a, b) in enumerate(zip(every_policy, shortcut)) if a != b][:5],
    "ted_runs": [runs_without, ted_runs - runs_without],
    "by_ted": sum(p[1] == "TEDPolicy" for p in every_policy),
}))
"""


def test_ted_is_left_out_where_a_rule_settled_and_nothing_else_changes(trained_model: Path) -> None:
    found = in_rasa(SAME_PREDICTIONS, str(trained_model), timeout=1200)
    assert found["predictions"] >= 200
    assert found["differ"] == []
    every_policy, shortcut = found["ted_runs"]
    assert every_policy == found["predictions"]
    assert shortcut < every_policy / 2
    assert shortcut >= found["by_ted"]
