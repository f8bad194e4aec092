"""Rasa's command line (``python -m assistant.rasa_server run ...``), with the action server's
replies validated by a compiled schema and Rasa's part of each turn timed.

- Rasa checks every action server reply with ``jsonschema.validate``, which first checks the
  schema itself against its metaschema, on every call: in a profile of our turns that cost
  more than the HTTP call to the action server (docs/performance.md). Here the schema is
  checked once and its validator reused; a reply that does not match is refused as before.
- Rasa 3.6 times nothing per stage. Here its predict graph runs with a hook that times each
  node, and each call to the action server is timed (:mod:`assistant.turn_timings`); the turn
  channel sends the times back with the answer.
- Rasa's policies predict from the conversation's recent turns, after the slots and form as
  they stood before them (:mod:`assistant.recent_history`), not from its whole history: the
  same last states, at a cost that does not grow with the conversation. The action server is
  sent those turns, with the customer's earlier messages as text alone.
- The rule policy compares the conversation only with the rules whose last state could match
  it (:mod:`assistant.rule_index`), by its own comparison; TED is left out of a prediction a
  rule has settled (:mod:`assistant.settled_predictions`).

Runs inside Rasa's environment; the stack and docker-compose.yml start Rasa this way.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Any

import jsonschema
from rasa.core.actions.action import RemoteAction
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.processor import MessageProcessor
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from assistant import settled_predictions, turn_timings
from assistant.recent_history import recent_tracker
from assistant.rule_index import possible_keys

_create_runner = DaskGraphRunner.create.__func__  # type: ignore[attr-defined]
_run_remote_action = RemoteAction.run
_predict_next = MessageProcessor._predict_next_with_tracker
_action_call_format = RemoteAction._action_call_format


@cache
def reply_validator() -> Any:
    """The validator of an action server's reply (Rasa's schema, checked once)."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(action: RemoteAction, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the compiled validator: ``True``, or
    ``jsonschema.ValidationError`` with Rasa's explanation added."""
    error = jsonschema.exceptions.best_match(reply_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def create_timed_runner(cls: type[DaskGraphRunner], graph_schema: Any, model_storage: Any,
                        execution_context: Any, hooks: list[Any] | None = None) -> DaskGraphRunner:
    """``DaskGraphRunner.create`` with :class:`assistant.turn_timings.NodeTimer` among its hooks."""
    return _create_runner(cls, graph_schema, model_storage, execution_context,
                          [*(hooks or []), turn_timings.NodeTimer()])


async def run_timed_remote_action(action: RemoteAction, *args: Any, **kwargs: Any) -> Any:
    """``RemoteAction.run``, its time added to the turn's ``actions``."""
    with turn_timings.timed("actions"):
        return await _run_remote_action(action, *args, **kwargs)


def predict_from_recent_turns(processor: MessageProcessor, tracker: DialogueStateTracker) -> PolicyPrediction:
    """``MessageProcessor._predict_next_with_tracker`` on the conversation's recent turns (a
    follow-up action is still taken from, and cleared on, the conversation itself)."""
    if tracker.followup_action:
        return _predict_next(processor, tracker)
    return _predict_next(processor, recent_tracker(tracker))


def action_call_on_recent_turns(action: RemoteAction, tracker: DialogueStateTracker,
                                domain: Domain) -> dict[str, Any]:
    """``RemoteAction._action_call_format`` with the conversation's recent turns in full and its
    earlier customer messages as text."""
    return _action_call_format(action, recent_tracker(tracker, earlier_texts=True), domain)


def main() -> None:
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    RemoteAction.run = run_timed_remote_action  # type: ignore[method-assign]
    DaskGraphRunner.create = classmethod(create_timed_runner)  # type: ignore[assignment]
    MessageProcessor._predict_next_with_tracker = predict_from_recent_turns  # type: ignore[method-assign]
    RemoteAction._action_call_format = action_call_on_recent_turns  # type: ignore[method-assign]
    RulePolicy._get_possible_keys = possible_keys  # type: ignore[method-assign]
    settled_predictions.install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
