"""TED left out of a prediction that a rule has already settled.

Rasa runs every policy for every prediction, then keeps the most confident one, the policy's
priority breaking ties. A rule's prediction has confidence 1.0 and the rule policy the
highest priority, so TED's prediction beside it is thrown away, unless TED reads the
customer's text (an end-to-end model), which ours does not. The rule policy runs before TED in
our graph: it marks the tracker, with its number of events, when a rule settles the next
action; TED, given that tracker unchanged, answers with no confidence instead of running its
network. Where no rule settled it, or the policies ran the other way round, TED runs as before.

Runs inside Rasa's environment; :mod:`assistant.rasa_server` installs it.
"""

from __future__ import annotations

import weakref
from typing import Any

from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT

_rule_predict = RulePolicy.predict_action_probabilities
_ted_predict = TEDPolicy.predict_action_probabilities


class _Settled:
    """The tracker (weakly held) and its number of events that a rule last settled."""

    tracker: weakref.ref[DialogueStateTracker] | None = None
    events = -1

    @classmethod
    def mark(cls, tracker: DialogueStateTracker | None) -> None:
        cls.tracker = weakref.ref(tracker) if tracker is not None else None
        cls.events = len(tracker.events) if tracker is not None else -1

    @classmethod
    def holds(cls, tracker: DialogueStateTracker) -> bool:
        marked = cls.tracker() if cls.tracker is not None else None
        return marked is not None and marked is tracker and cls.events == len(tracker.events)


def settles(prediction: PolicyPrediction) -> bool:
    """Whether no other policy's prediction can win over this rule prediction."""
    return prediction.is_no_user_prediction or prediction.max_confidence >= 1.0


def reads_text(policy: TEDPolicy) -> bool:
    """Whether TED may predict from the customer's text (then its prediction can win)."""
    return bool(getattr(policy, "only_e2e", True)) or TEXT in getattr(policy, "fake_features", {TEXT: None})


def rule_predict(policy: RulePolicy, tracker: DialogueStateTracker, domain: Domain,
                 *args: Any, **kwargs: Any) -> PolicyPrediction:
    """``RulePolicy.predict_action_probabilities``, marking the tracker when a rule settles it."""
    prediction = _rule_predict(policy, tracker, domain, *args, **kwargs)
    _Settled.mark(tracker if settles(prediction) else None)
    return prediction


def ted_predict(policy: TEDPolicy, tracker: DialogueStateTracker, domain: Domain,
                *args: Any, **kwargs: Any) -> PolicyPrediction:
    """``TEDPolicy.predict_action_probabilities``, or no confidence where a rule has settled it."""
    if _Settled.holds(tracker) and not reads_text(policy):
        return policy._prediction(policy._default_predictions(domain))
    return _ted_predict(policy, tracker, domain, *args, **kwargs)


def install() -> None:
    """Puts the mark and the shortcut in front of the two policies."""
    RulePolicy.predict_action_probabilities = rule_predict  # type: ignore[method-assign]
    TEDPolicy.predict_action_probabilities = ted_predict  # type: ignore[method-assign]
