"""The turn channel and the Rasa start-up the stack uses.

- Rasa's answer on ``/webhooks/turn/webhook`` carries the conversation's recent state: the
  same slots as the tracker, and the tracker's own last events, as many customer messages
  back as the escalation triggers read, however long the conversation.
- Its compiled check of the action server's replies accepts and refuses exactly what Rasa's
  own ``jsonschema.validate`` does.
- The tracker store keeps at most a bounded number of saved trackers for the channel.
"""

from __future__ import annotations

import json
import subprocess
import uuid

import httpx
import pytest

from stack.processes import RASA_PYTHON, ROOT, Stack

RECENT_USER_TURNS = 12  # assistant/recent_trackers.py (Rasa's environment)


def in_rasa(script: str) -> object:
    """Run ``script`` in Rasa's environment; the JSON it prints last."""
    result = subprocess.run([str(RASA_PYTHON), "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


REPLIES = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "amount", "value": 5}], "responses": [{"text": "Done."}]},
    {"events": [{"event": "followup", "name": "action_listen"}]},
    {"events": "not a list", "responses": []},
    {"events": [{"name": "amount"}], "responses": []},
    {"events": [], "responses": "not a list"},
    {"events": [{"event": 7}]},
    [],
]

VALIDATION = """
import json
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from assistant.rasa_server import validate_action_result

def outcome(check, reply):
    try:
        return check(reply)
    except ValidationError:
        return "refused"

action = RemoteAction("action_test", None)
replies = json.loads(%r)
def ours(reply):
    return validate_action_result(action, reply)

print(json.dumps([[outcome(action._validate_action_result, r), outcome(ours, r)] for r in replies]))
"""


def test_the_compiled_check_agrees_with_rasas_on_every_reply() -> None:
    outcomes = in_rasa(VALIDATION % json.dumps(REPLIES))
    assert isinstance(outcomes, list)
    assert [ours for _, ours in outcomes] == [rasas for rasas, _ in outcomes]
    assert [ours for _, ours in outcomes].count("refused") == 5


KEEPING = """
import json
from rasa.shared.core.events import ActionExecuted, Restarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from assistant.recent_trackers import Latest, recent_events

kept = Latest(size=3)
for n in range(5):
    kept.put(f"c{n}", DialogueStateTracker.from_events(f"c{n}", []))
taken = [kept.take(f"c{n}") is not None for n in range(5)]
events = [UserUttered("before")] + [Restarted()] + [e for n in range(20)
          for e in (UserUttered(f"m{n}"), ActionExecuted("utter_x"))]
tail = recent_events(DialogueStateTracker.from_events("c", events), user_turns=4)
short = recent_events(DialogueStateTracker.from_events("c", events[:5]), user_turns=4)
print(json.dumps({"taken": taken, "left": len(kept),
                  "tail": [getattr(e, "text", None) for e in tail],
                  "short": [getattr(e, "text", None) for e in short]}))
"""


def test_saved_trackers_are_bounded_and_the_recent_events_stop_at_a_restart() -> None:
    found = in_rasa(KEEPING)
    assert found == {
        "taken": [False, False, True, True, True],
        "left": 0,
        "tail": ["m16", None, "m17", None, "m18", None, "m19", None],
        "short": ["m0", None, "m1"],
    }


@pytest.mark.stack
def test_the_turn_channel_answers_with_the_trackers_recent_state(stack: Stack) -> None:
    rasa, sender = stack.config.rasa_url, f"conv_{uuid.uuid4().hex[:16]}"
    texts = ["hello", "what can you do?", "thanks", "what is a savings goal?"] * 4
    for text in texts:
        answer = httpx.post(f"{rasa}/webhooks/turn/webhook", timeout=60,
                            json={"sender": sender, "message": text}).json()
        assert answer["messages"] and all("text" in m or "custom" in m for m in answer["messages"])
    recent = answer["tracker"]
    params = {"token": stack.env()["RASA_AUTH_TOKEN"], "include_events": "AFTER_RESTART"}
    whole = httpx.get(f"{rasa}/conversations/{sender}/tracker", params=params, timeout=30).json()
    said = [e["text"] for e in recent["events"] if e["event"] == "user"]
    assert said == texts[-RECENT_USER_TURNS:]
    assert recent["events"] == whole["events"][-len(recent["events"]):]
    assert recent["events"][-1]["event"] == "action"  # through to the bot listening again
    assert recent["slots"] == whole["slots"] and recent["paused"] is False
    assert recent["events"][0]["parse_data"]["intent"]["name"]


@pytest.mark.stack
def test_the_turn_channel_reports_rasas_stages(stack: Stack) -> None:
    sender = f"conv_{uuid.uuid4().hex[:16]}"
    answer = httpx.post(f"{stack.config.rasa_url}/webhooks/turn/webhook", timeout=60,
                        json={"sender": sender, "message": "what's my balance?"}).json()
    stages = answer["stages"]
    assert {"tracker_load", "tracker_save", "actions"} <= set(stages)  # a custom action ran
    nodes = {stage for stage in stages if stage.startswith("node.")}
    assert any("TransformerIntentClassifier" in n for n in nodes) and any("RulePolicy" in n for n in nodes)
    assert all(0 <= seconds < 60 for seconds in stages.values())
