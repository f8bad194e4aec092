"""Where Rasa's part of a turn goes: seconds per graph node (each NLU component and policy),
tracker load and save, and the calls to the action server, summed over one message.

Runs inside Rasa's environment. The turn channel starts a fresh record before it hands the
message to Rasa and sends it back with the answer; the graph runner's hook, the tracker
store and the remote action add to it while that message is handled (the same task, so the
same context). Outside a turn channel message nothing is recorded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphNodeHook

_CURRENT: ContextVar[dict[str, float] | None] = ContextVar("turn_timings", default=None)


def start() -> dict[str, float]:
    """A fresh record for the message about to be handled in this context."""
    timings: dict[str, float] = {}
    _CURRENT.set(timings)
    return timings


def add(stage: str, seconds: float) -> None:
    timings = _CURRENT.get()
    if timings is not None:
        timings[stage] = timings.get(stage, 0.0) + seconds


@contextmanager
def timed(stage: str) -> Iterator[None]:
    """Add the time the ``with`` block takes to ``stage`` (also when it raises)."""
    began = time.perf_counter()
    try:
        yield
    finally:
        add(stage, time.perf_counter() - began)


def node_stage(node_name: str) -> str:
    """``run_assistant.components.sentiment_analyzer.SentimentAnalyzer5`` -> ``node.SentimentAnalyzer5``."""
    return "node." + node_name.removeprefix("run_").rsplit(".", 1)[-1]


class NodeTimer(GraphNodeHook):
    """Times every node of Rasa's predict graph."""

    def on_before_node(self, node_name: str, execution_context: ExecutionContext,
                       config: dict[str, Any], received_inputs: dict[str, Any]) -> dict[str, Any]:
        return {"began": time.perf_counter()}

    def on_after_node(self, node_name: str, execution_context: ExecutionContext,
                      config: dict[str, Any], output: Any, input_hook_data: dict[str, Any]) -> None:
        add(node_stage(node_name), time.perf_counter() - input_hook_data["began"])
