"""Scores a new transaction against the customer's baseline: a number in [0, 1] and its reasons.

Each signal gives evidence in nats, roughly how surprising the payment is under the
customer's own habits:

* amount: how many robust standard deviations (1.4826 x MAD of log amounts) the payment lies
  above the median of its category, shrunk toward all the customer's debits while the
  category has few, and toward a prior while the customer has few; discounted for small sums
  and for an amount already paid at the same merchant;
* new merchant: ``-log`` of how often the customer's payments go to a merchant for the first time;
* hour: ``-log`` of the hour's share of the customer's payments against a flat day (smoothed
  over neighbouring hours and mixed with a prior that makes the small hours rare); less at a
  merchant paid before, which sets its own time (a subscription);
* new currency: a foreign currency the customer never paid in before;
* burst: payments in the burst window beyond two, against how often the customer had as many;
* spree: a new merchant after others new within the hour.

Hours, bursts and sprees count timed payments only: a direct debit's time is the bank's.

The evidence adds up (as independent log-likelihood ratios would) and the score is
``evidence / (evidence + SCALE)``. Money coming in (salary, refunds, reversals) scores 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from insights.anomalies.baseline import BURST_CAP, Baseline, log_amount
from insights.anomalies.events import TransactionEvent
from insights.anomalies.merchants import merchant_key
from insights.anomalies.reasons import Reason, ReasonCode
from insights.anomalies.settings import AnomalySettings

SCALE = 2.5  # evidence at which the score is 0.5
MAD_TO_SIGMA = 1.4826
MIN_SPREAD = 0.35  # log units: a subscription's fixed price is not a spread of zero
PRIOR_CENTRE = math.log(30.0)  # a payment of no history: about £30 typical
PRIOR_SPREAD = 1.1
SHRINK = 4.0  # pseudo-payments of the broader level behind a category's median
AMOUNT_FREE_Z = 2.0  # robust z-scores up to this are ordinary
AMOUNT_SLOPE = 1.5  # evidence for each robust standard deviation beyond that
MATERIAL_POUNDS = 25.0  # a payment this size counts half for the amount signal
SEEN_AMOUNT_LOG = math.log(1.3)  # within 30% of an amount already paid at the merchant
NIGHT = (0.6, 0.4, 0.25, 0.2, 0.2, 0.3, 0.6, 1.0, 1.2, 1.2, 1.2, 1.3,
         1.4, 1.3, 1.2, 1.2, 1.2, 1.3, 1.4, 1.4, 1.3, 1.1, 1.0, 0.8)  # prior share of each hour x24
HOUR_PRIOR_WEIGHT = 20.0
KNOWN_MERCHANT_HOUR = 0.3
REASON_MIN = 0.5  # evidence below this is not given as a reason
SPREE_SECONDS = 3600.0
SPREE_EACH = 0.8  # evidence for each earlier new merchant within the hour
MAX_EVIDENCE = 6.0  # one signal alone adds at most this
NEW_MERCHANT_MAX = 1.6  # a new merchant alone stays below the default threshold (score 0.39)


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each signal's evidence counts."""

    amount: float = 1.0
    new_merchant: float = 0.7
    hour: float = 0.8
    new_currency: float = 1.0
    burst: float = 1.0
    spree: float = 1.0


@dataclass(frozen=True, slots=True)
class AnomalyScore:
    """The scorer's answer for one transaction.

    Attributes:
        score: 0 (usual) to 1 (very unusual).
        alert: whether the score reached the threshold.
        reasons: the signals that raised it, strongest first.
    """

    score: float
    alert: bool
    reasons: tuple[Reason, ...] = field(default=())

    @property
    def codes(self) -> tuple[ReasonCode, ...]:
        return tuple(reason.code for reason in self.reasons)


class AnomalyScorer:
    """Scores transactions against a customer's :class:`Baseline`.

    Args:
        threshold: a score at or above this is an alert.
        weights: how much each signal counts.
    """

    def __init__(self, threshold: float, weights: Weights | None = None) -> None:
        self.threshold = threshold
        self.weights = weights or Weights()

    @classmethod
    def from_settings(cls, settings: AnomalySettings | None = None) -> AnomalyScorer:
        return cls((settings or AnomalySettings()).threshold)

    def score(self, baseline: Baseline, event: TransactionEvent) -> AnomalyScore:
        """How unusual ``event`` is for the customer whose ``baseline`` this is (not updated)."""
        if not event.is_debit:
            return AnomalyScore(0.0, False)
        key = merchant_key(event.description)
        w = self.weights
        reasons = [
            reason
            for reason in (
                _amount(baseline, event, key, w.amount),
                _new_merchant(baseline, event, key, w.new_merchant),
                _new_currency(baseline, event, w.new_currency),
                *(() if event.is_scheduled else (
                    _hour(baseline, event, key, w.hour),
                    _burst(baseline, event, w.burst),
                    _spree(baseline, key, event, w.spree),
                )),
            )
            if reason is not None
        ]
        evidence = sum(reason.weight for reason in reasons)
        score = evidence / (evidence + SCALE)
        shown = sorted((r for r in reasons if r.weight >= REASON_MIN), key=lambda r: -r.weight)
        return AnomalyScore(round(score, 4), score >= self.threshold, tuple(shown))


def _centre_and_spread(baseline: Baseline, event: TransactionEvent) -> tuple[float, float]:
    """The usual log amount of the event's category and its spread, shrunk while data are few."""
    spend = baseline.spend
    n_all = len(spend)
    trust_all = n_all / (n_all + SHRINK)
    all_centre = trust_all * spend.median + (1 - trust_all) * PRIOR_CENTRE if n_all else PRIOR_CENTRE
    all_spread = (trust_all * max(MAD_TO_SIGMA * spend.mad, MIN_SPREAD) + (1 - trust_all) * PRIOR_SPREAD
                  if n_all else PRIOR_SPREAD)
    window = baseline.categories.get(event.category)
    n = len(window) if window is not None else 0
    if window is None or n == 0:
        return all_centre, all_spread
    trust = n / (n + SHRINK)
    centre = trust * window.median + (1 - trust) * all_centre
    spread = trust * max(MAD_TO_SIGMA * window.mad, MIN_SPREAD) + (1 - trust) * all_spread
    return centre, spread


def _amount(baseline: Baseline, event: TransactionEvent, key: str, weight: float) -> Reason | None:
    value = log_amount(event.amount)
    centre, spread = _centre_and_spread(baseline, event)
    z = (value - centre) / spread
    if z <= AMOUNT_FREE_Z:
        return None
    pounds = abs(event.amount)
    evidence = AMOUNT_SLOPE * (z - AMOUNT_FREE_Z) * pounds / (pounds + MATERIAL_POUNDS)
    earlier = baseline.merchant_amounts.get(key)
    if earlier and any(abs(value - seen) <= SEEN_AMOUNT_LOG for seen in earlier):
        evidence *= 0.2
    elif earlier:
        evidence *= 0.6
    usual = math.exp(centre)
    category = event.category.value.replace("_", " ")
    return Reason(ReasonCode.AMOUNT, _cap(weight * evidence),
                  f"£{pounds:,.2f} is far above your usual £{usual:,.2f} for {category}")


def _new_merchant(baseline: Baseline, event: TransactionEvent, key: str, weight: float) -> Reason | None:
    if key in baseline.merchant_counts:
        return None
    first_visits = len(baseline.merchant_counts)
    share_new = (first_visits + 1) / (baseline.debits + 2)
    return Reason(ReasonCode.NEW_MERCHANT, round(min(weight * -math.log(share_new), NEW_MERCHANT_MAX), 4),
                  f"first payment to {event.description.strip()}")


def _hour(baseline: Baseline, event: TransactionEvent, key: str, weight: float) -> Reason | None:
    hour = event.booked_at.hour
    counts = baseline.hours
    smoothed = 0.5 * counts[hour] + 0.25 * (counts[hour - 1] + counts[(hour + 1) % 24])
    total = baseline.debits
    share = (smoothed + HOUR_PRIOR_WEIGHT * NIGHT[hour] / 24) / (total + HOUR_PRIOR_WEIGHT)
    ratio = share * 24
    if ratio >= 1.0:
        return None
    if key in baseline.merchant_counts:  # a merchant paid before (a subscription) sets its own time
        weight *= KNOWN_MERCHANT_HOUR
    return Reason(ReasonCode.HOUR, _cap(weight * -math.log(ratio)),
                  f"at {hour:02d}:{event.booked_at.minute:02d}, an hour you rarely pay at")


def _new_currency(baseline: Baseline, event: TransactionEvent, weight: float) -> Reason | None:
    if not event.is_foreign or baseline.currencies.get(event.currency):
        return None
    foreign = sum(count for currency, count in baseline.currencies.items() if currency != "GBP")
    travelled = 0.6 if foreign else 1.0  # paying abroad at all is not new to this customer
    confidence = baseline.debits / (baseline.debits + 20)
    evidence = 2.5 * travelled * confidence
    return Reason(ReasonCode.NEW_CURRENCY, _cap(weight * evidence),
                  f"paid in {event.currency}, a currency you have not paid in before")


def _burst(baseline: Baseline, event: TransactionEvent, weight: float) -> Reason | None:
    size = baseline.burst_size(event.booked_at)
    if size < 3:
        return None
    as_many = sum(count for burst, count in baseline.burst_sizes.items() if burst >= size)
    share = (as_many + 0.05) / (baseline.debits + 1)
    evidence = min(size - 2, BURST_CAP) * 0.8 + max(0.0, -math.log(share) - 3.0) * 0.5
    minutes = round(baseline.burst_seconds / 60)
    return Reason(ReasonCode.BURST, _cap(weight * evidence),
                  f"{size} payments within {minutes} minutes")


def _spree(baseline: Baseline, key: str, event: TransactionEvent, weight: float) -> Reason | None:
    if key in baseline.merchant_counts:
        return None
    earlier = baseline.new_merchants_since(event.booked_at, SPREE_SECONDS)
    if earlier < 1:
        return None
    return Reason(ReasonCode.SPREE, _cap(weight * SPREE_EACH * earlier),
                  f"{earlier + 1} merchants new to you within an hour")


def _cap(evidence: float) -> float:
    return round(min(evidence, MAX_EVIDENCE), 4)
