"""One customer's usual spending, updated transaction by transaction or built from a history.

A baseline holds what the scorer compares a new payment with: per category, the latest debit
amounts (as logarithms, for robust median and MAD); per merchant, how often it was paid and
its latest amounts; how the payments fall over the hours of the day; the currencies paid in;
and how many payments usually come close together (the hours and bursts of
timed payments only: a direct debit's time is the bank's). ``update`` is O(window) at worst and
usually far less, so one baseline a customer keeps up with an event stream;
``Baseline.from_history`` builds the same state from a list at once.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import numpy as np

from bank.enums import Category
from insights.anomalies.events import TransactionEvent
from insights.anomalies.merchants import merchant_key
from insights.anomalies.window import SortedWindow

MERCHANT_MEMORY = 5  # latest amounts kept per merchant
BURST_CAP = 12  # burst sizes above this count as this
MIN_POUNDS = 0.01


def log_amount(amount: float) -> float:
    """The natural logarithm of a payment's size in pounds (a penny at least)."""
    return math.log(max(abs(amount), MIN_POUNDS))


class Baseline:
    """What is usual for one customer, from the transactions seen so far (oldest first).

    Args:
        window: how many of a category's (and of all debits') latest amounts are kept.
        burst_minutes: payments this close to each other count as one burst.
    """

    def __init__(self, window: int = 200, burst_minutes: int = 10) -> None:
        self.window = window
        self.burst_seconds = burst_minutes * 60.0
        self.categories: dict[Category, SortedWindow] = {}
        self.spend = SortedWindow(window)
        self.merchant_counts: Counter[str] = Counter()
        self.merchant_amounts: dict[str, deque[float]] = {}
        self.hours = [0] * 24
        self.currencies: Counter[str] = Counter()
        self.burst_sizes: Counter[int] = Counter()
        self.recent: deque[float] = deque(maxlen=BURST_CAP)  # times of the latest timed debits
        self.recent_new: deque[float] = deque(maxlen=BURST_CAP)  # ... of those at a new merchant
        self.debits = 0
        self.credits = 0
        self.last_at: datetime | None = None

    @property
    def seen(self) -> int:
        return self.debits + self.credits

    def burst_size(self, at: datetime) -> int:
        """How many debits, this one at ``at`` included, fall in the burst window ending then."""
        start = at.timestamp() - self.burst_seconds
        size = 1
        for earlier in reversed(self.recent):
            if earlier < start:
                break
            size += 1
        return min(size, BURST_CAP)

    def new_merchants_since(self, at: datetime, seconds: float) -> int:
        """How many timed debits went to a merchant for the first time in ``seconds`` before ``at``."""
        start = at.timestamp() - seconds
        return sum(1 for earlier in self.recent_new if earlier >= start)

    def update(self, event: TransactionEvent) -> None:
        """Take one more transaction into the baseline (events arrive oldest first)."""
        self.last_at = event.booked_at
        if not event.is_debit:
            self.credits += 1
            return
        value = log_amount(event.amount)
        window = self.categories.get(event.category)
        if window is None:
            window = self.categories[event.category] = SortedWindow(self.window)
        window.add(value)
        self.spend.add(value)
        key = merchant_key(event.description)
        first_visit = key not in self.merchant_counts
        self.merchant_counts[key] += 1
        amounts = self.merchant_amounts.get(key)
        if amounts is None:
            amounts = self.merchant_amounts[key] = deque(maxlen=MERCHANT_MEMORY)
        amounts.append(value)
        self.currencies[event.currency] += 1
        self.debits += 1
        if event.is_scheduled:
            return
        self.hours[event.booked_at.hour] += 1
        self.burst_sizes[self.burst_size(event.booked_at)] += 1
        self.recent.append(event.booked_at.timestamp())
        if first_visit:
            self.recent_new.append(event.booked_at.timestamp())

    @classmethod
    def from_history(
        cls, events: Iterable[TransactionEvent], window: int = 200, burst_minutes: int = 10
    ) -> Baseline:
        """The baseline of a whole history at once (the same state as updating with each in turn)."""
        ordered = sorted(events, key=lambda event: event.booked_at)
        baseline = cls(window, burst_minutes)
        debits = [event for event in ordered if event.is_debit]
        baseline.debits = len(debits)
        baseline.credits = len(ordered) - len(debits)
        baseline.last_at = ordered[-1].booked_at if ordered else None
        if not debits:
            return baseline
        values = [log_amount(event.amount) for event in debits]
        by_category: dict[Category, list[float]] = {}
        by_merchant: dict[str, list[float]] = {}
        for event, value in zip(debits, values, strict=True):
            by_category.setdefault(event.category, []).append(value)
            by_merchant.setdefault(merchant_key(event.description), []).append(value)
        baseline.categories = {
            category: SortedWindow.of_latest(window, amounts) for category, amounts in by_category.items()
        }
        baseline.spend = SortedWindow.of_latest(window, values)
        baseline.merchant_counts = Counter({key: len(amounts) for key, amounts in by_merchant.items()})
        baseline.merchant_amounts = {
            key: deque(amounts[-MERCHANT_MEMORY:], maxlen=MERCHANT_MEMORY)
            for key, amounts in by_merchant.items()
        }
        timed = [event for event in debits if not event.is_scheduled]
        baseline.hours = np.bincount(np.asarray([event.booked_at.hour for event in timed], dtype=np.int64),
                                     minlength=24).tolist()
        baseline.currencies = Counter(event.currency for event in debits)
        times = [event.booked_at.timestamp() for event in timed]
        baseline.burst_sizes = _burst_sizes(times, baseline.burst_seconds)
        baseline.recent.extend(times[-BURST_CAP:])
        first_visits: dict[str, int] = {}
        for index, event in enumerate(debits):
            first_visits.setdefault(merchant_key(event.description), index)
        baseline.recent_new.extend(
            event.booked_at.timestamp() for index, event in enumerate(debits)
            if not event.is_scheduled and first_visits[merchant_key(event.description)] == index
        )
        return baseline

    def snapshot(self) -> dict[str, Any]:
        """The whole state as plain values (to compare two baselines or to inspect one)."""
        return {
            "categories": {str(c): w.arrival for c, w in sorted(self.categories.items())},
            "spend": self.spend.arrival,
            "merchant_counts": dict(sorted(self.merchant_counts.items())),
            "merchant_amounts": {k: list(v) for k, v in sorted(self.merchant_amounts.items())},
            "hours": list(self.hours),
            "currencies": dict(sorted(self.currencies.items())),
            "burst_sizes": dict(sorted(self.burst_sizes.items())),
            "recent": list(self.recent),
            "recent_new": list(self.recent_new),
            "debits": self.debits,
            "credits": self.credits,
            "last_at": self.last_at.isoformat() if self.last_at else None,
        }


def _burst_sizes(times: Sequence[float], burst_seconds: float) -> Counter[int]:
    """How many debits had each burst size, from their times in order."""
    stamps = np.asarray(times, dtype=float)
    first = np.searchsorted(stamps, stamps - burst_seconds, side="left")
    sizes = np.minimum(np.arange(len(stamps)) - first + 1, BURST_CAP)
    return Counter({int(size): int(count) for size, count in zip(*np.unique(sizes, return_counts=True),
                                                                  strict=True)})
