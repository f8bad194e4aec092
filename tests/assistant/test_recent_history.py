"""Rasa's policies predict from a long conversation's recent turns what they predict from the
whole of it (``assistant.recent_history``), on the trained model; the action server is sent
those turns in full and the customer's earlier messages as text.

The end-to-end test stories, one after another in a single conversation of some hundred and thirty
customer messages, are predicted at every step both ways: the same action each time, with
the same confidence. The cut itself keeps the slots and form as they stood before it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from stack.processes import RASA_PYTHON, ROOT
from tests.assistant.conftest import rasa_env

SAME_PREDICTIONS = """
import asyncio, json, sys
from rasa.core.agent import Agent
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from assistant.recent_history import POLICY_USER_TURNS, recent_tracker
from tests.assistant.story_conversation import story_conversation

agent = Agent.load(sys.argv[1])
processor = agent.processor
events = story_conversation(agent.domain)

compared, cut, differ = 0, 0, []
user_turns = 0
for index, event in enumerate(events):
    user_turns += isinstance(event, UserUttered)
    if not isinstance(event, ActionExecuted) or index == 0 or user_turns <= POLICY_USER_TURNS:
        continue
    whole = DialogueStateTracker.from_events("long", events[:index], slots=agent.domain.slots)
    recent = recent_tracker(whole)
    cut += len(recent.events) < len(whole.events)
    a = processor._predict_next_with_tracker(whole)
    b = processor._predict_next_with_tracker(recent)
    compared += 1
    names = agent.domain.action_names_or_texts
    best_a = names[max(range(len(a.probabilities)), key=a.probabilities.__getitem__)]
    best_b = names[max(range(len(b.probabilities)), key=b.probabilities.__getitem__)]
    if best_a != best_b or abs(a.max_confidence - b.max_confidence) > 1e-4 or a.policy_name != b.policy_name:
        differ.append([index, best_a, best_b, a.policy_name, b.policy_name])
print(json.dumps({"user_turns": user_turns, "compared": compared, "cut": cut, "differ": differ[:10]}))
"""

STATE_AT_THE_CUT = """
import json
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.slots import FloatSlot, TextSlot
from rasa.shared.core.trackers import DialogueStateTracker
from assistant.recent_history import POLICY_USER_TURNS, recent_tracker

slots = [TextSlot("payee", mappings=[]), FloatSlot("amount", mappings=[]), TextSlot("note", mappings=[])]
events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
for n in range(POLICY_USER_TURNS + 5):
    events += [UserUttered(f"message {n}", {"name": "greet", "confidence": 1.0}), SlotSet("amount", n)]
    if n == 1:
        events += [SlotSet("payee", "<PERSON_1>"), ActiveLoop("transfer_form")]
    events += [ActionExecuted("utter_greet"), ActionExecuted("action_listen")]
whole = DialogueStateTracker.from_events("c", events, slots=slots)
recent = recent_tracker(whole)
short = DialogueStateTracker.from_events("c", events[:12], slots=slots)
print(json.dumps({
    "slots": [recent.current_slot_values(), whole.current_slot_values()],
    "loop": [recent.active_loop_name, whole.active_loop_name],
    "messages": [e.text for e in recent.events if isinstance(e, UserUttered)],
    "short_is_itself": recent_tracker(short) is short,
    "first": recent.events[0].as_dict()["event"],
}))
"""

ACTION_CALL = """
import json
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.slots import FloatSlot, TextSlot
from rasa.shared.core.trackers import DialogueStateTracker
from assistant.rasa_server import action_call_on_recent_turns

slots = [TextSlot("payee", mappings=[]), FloatSlot("amount", mappings=[])]
events = [ActionExecuted("action_listen")]
for n in range(15):
    events += [UserUttered(f"message {n}", {"name": "greet", "confidence": 1.0}), SlotSet("amount", n)]
    if n == 0:
        events += [SlotSet("payee", "<PERSON_1>"), ActiveLoop("payment_form")]
    events += [ActionExecuted("utter_greet"), ActionExecuted("action_listen")]
whole = DialogueStateTracker.from_events("c", events, slots=slots)
call = action_call_on_recent_turns(RemoteAction("action_pay", None), whole, Domain.empty())
sent = call["tracker"]
users = [e for e in sent["events"] if e["event"] == "user"]
print(json.dumps({
    "slots": [sent["slots"], whole.current_slot_values()],
    "loop": sent["active_loop"].get("name"),
    "texts": [e["text"] for e in users],
    "with_intent": [e["text"] for e in users if (e.get("parse_data") or {}).get("intent", {}).get("name")],
    "latest": sent["latest_message"]["text"],
    "events": [len(sent["events"]), len(whole.events)],
}))
"""


def in_rasa(script: str, *args: str, timeout: float = 600) -> dict[str, Any]:
    """Runs ``script`` in Rasa's environment; the JSON it prints last."""
    result = subprocess.run([str(RASA_PYTHON), "-c", script, *args], cwd=ROOT, env=rasa_env(),
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_cut_keeps_slots_form_and_the_last_messages() -> None:
    found = in_rasa(STATE_AT_THE_CUT)
    recent_slots, whole_slots = found["slots"]
    assert recent_slots == whole_slots and whole_slots["payee"] == "<PERSON_1>"
    assert found["loop"] == ["transfer_form", "transfer_form"]
    assert found["messages"] == [f"message {n}" for n in range(5, 15)]
    assert found["short_is_itself"] is True
    assert found["first"] == "slot"


def test_policies_predict_from_recent_turns_as_from_the_whole_conversation(trained_model: Path) -> None:
    found = in_rasa(SAME_PREDICTIONS, str(trained_model), timeout=1200)
    assert found["user_turns"] >= 120
    assert found["compared"] == found["cut"] and found["cut"] >= 200
    assert found["differ"] == []


def test_the_action_server_is_sent_recent_turns_in_full_and_every_earlier_message_as_text() -> None:
    found = in_rasa(ACTION_CALL)
    sent_slots, whole_slots = found["slots"]
    assert sent_slots == whole_slots and whole_slots["payee"] == "<PERSON_1>"
    assert found["loop"] == "payment_form"
    assert found["texts"] == [f"message {n}" for n in range(15)]
    assert found["with_intent"] == [f"message {n}" for n in range(5, 15)]
    assert found["latest"] == "message 14"
    sent, whole = found["events"]
    assert sent < whole
