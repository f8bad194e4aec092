"""Unusual activity: how far a new transaction lies from the customer's own habits.

``AnomalyScorer.from_settings().score(baseline, event)`` gives a score in [0, 1], whether it
alerts, and the reasons ("£480.00 is far above your usual £35.00 for shopping", "first payment
to ...", "at 03:12, an hour you rarely pay at", "paid in USD ...", "5 payments within 10
minutes"). A :class:`Baseline` a customer is built from a history or updated with each
transaction as it arrives; ``python -m insights.anomalies.synthetic`` writes labelled
histories to measure it on (``python -m bench.anomalies``).
"""

from insights.anomalies.baseline import Baseline
from insights.anomalies.events import TransactionEvent
from insights.anomalies.reasons import Reason, ReasonCode
from insights.anomalies.scorer import AnomalyScore, AnomalyScorer, Weights
from insights.anomalies.settings import AnomalySettings

__all__ = ["AnomalyScore", "AnomalyScorer", "AnomalySettings", "Baseline", "Reason", "ReasonCode",
           "TransactionEvent", "Weights"]
