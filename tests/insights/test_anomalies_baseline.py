"""A baseline updated transaction by transaction equals the one built from the whole history."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bank.enums import Category, TransactionKind
from insights.anomalies import Baseline, TransactionEvent
from insights.anomalies.synthetic import generate
from insights.anomalies.window import SortedWindow


def test_incremental_equals_batch_on_synthetic_histories() -> None:
    for history in generate(seed=3, customers=6):
        events = [row.event for row in history.transactions]
        live = Baseline(window=50, burst_minutes=10)
        for event in events:
            live.update(event)
        assert live.snapshot() == Baseline.from_history(events, window=50, burst_minutes=10).snapshot()


def test_incremental_equals_batch_with_bursts_direct_debits_and_ties() -> None:
    start = datetime(2024, 5, 1, 9, tzinfo=UTC)
    rng = random.Random(5)
    events = []
    for n in range(300):
        at = start + timedelta(minutes=rng.choice((0, 1, 2, 30, 600)) * (n // 3))
        kind = TransactionKind.DIRECT_DEBIT if n % 7 == 0 else None
        amount = -round(rng.uniform(1, 80), 2) if n % 11 else 500.0
        events.append(TransactionEvent(at, amount, f"SHOP {n % 13}", rng.choice(list(Category)), "GBP", kind))
    events.sort(key=lambda e: e.booked_at)
    live = Baseline(window=20)
    for event in events:
        live.update(event)
    batch = Baseline.from_history(events, window=20)
    assert live.snapshot() == batch.snapshot()
    assert max(live.burst_sizes) >= 3  # the history really has bursts


def test_empty_history_gives_an_empty_baseline() -> None:
    assert Baseline.from_history([]).snapshot() == Baseline().snapshot()


@pytest.mark.parametrize("values, median, mad", [
    ([1.0], 1.0, 0.0),
    ([1.0, 3.0], 2.0, 1.0),
    ([5.0, 1.0, 2.0, 9.0, 3.0], 3.0, 2.0),
])
def test_sorted_window_median_and_mad(values: list[float], median: float, mad: float) -> None:
    window = SortedWindow(10, values)
    assert (window.median, window.mad) == (median, mad)


def test_sorted_window_keeps_only_the_latest() -> None:
    window = SortedWindow(3, [10.0, 1.0, 2.0, 3.0])
    assert window.values == [1.0, 2.0, 3.0] and window.arrival == [1.0, 2.0, 3.0] and window.median == 2.0
