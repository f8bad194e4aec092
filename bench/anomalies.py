"""Unusual-activity scoring: our scorer against a "3x the customer's mean spend" rule, same run.

    .venv/bin/python -m bench.anomalies --test bench/data/anomalies_dev.jsonl \
        --out bench/out/anomalies.json

The test file holds labelled histories (``insights.anomalies.histories``: one customer a line,
planted anomalies labelled, unusual-looking normal transactions noted). Each system builds a
customer's baseline from the history before ``test_from``, then scores the later transactions
oldest first, taking each into the baseline after scoring it (as on the event path, where
nobody has confirmed fraud yet). Reported at the threshold: precision, recall and F1 per
transaction, recall per planted incident (a burst counts once, when any of it alerts), false
alerts per customer per month, the share of each kind of hard negative alerted; the latency of
scoring one transaction against a prepared baseline (p50, p95); and events per second for the
whole stream, every transaction of every customer, updated and scored from an empty baseline.

The dev file is ``python -m insights.anomalies.synthetic --seed 7 --customers 32``; the
threshold was chosen on seed 101, never on it.

    make bench-anomalies TEST=bench/data/anomalies_dev.jsonl OUT=bench/out/anomalies.json
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from bench.stats import latency_summary, percentile, print_table, write_json
from insights.anomalies import AnomalyScorer, AnomalySettings, Baseline, TransactionEvent
from insights.anomalies.histories import History, LabelledEvent, read_histories

DEFAULT_TEST = Path(__file__).resolve().parent / "data" / "anomalies_dev.jsonl"
OUT = Path(__file__).resolve().parent / "out" / "anomalies.json"
SWEEP = tuple(round(0.30 + 0.05 * step, 2) for step in range(11))
DAYS_A_MONTH = 30.44
RULE_MULTIPLE = 3.0


class Detector(Protocol):
    """A system under test, for one customer: learn a transaction, score one."""

    def update(self, event: TransactionEvent) -> None: ...

    def score(self, event: TransactionEvent) -> float: ...


class OurDetector:
    """Our baseline and scorer."""

    def __init__(self, scorer: AnomalyScorer, settings: AnomalySettings,
                 history: Sequence[TransactionEvent] = ()) -> None:
        self.scorer = scorer
        self.baseline = Baseline.from_history(history, settings.window, settings.burst_minutes)

    def update(self, event: TransactionEvent) -> None:
        self.baseline.update(event)

    def score(self, event: TransactionEvent) -> float:
        return self.scorer.score(self.baseline, event).score


class MeanRule:
    """Alerts on a debit over 3x the customer's mean debit so far (never with no debits yet).

    Its score is the debit over 3x the mean, capped at 1: at or above 1 is an alert.
    """

    def __init__(self, history: Sequence[TransactionEvent] = ()) -> None:
        self.total = 0.0
        self.count = 0
        for event in history:
            self.update(event)

    def update(self, event: TransactionEvent) -> None:
        if event.is_debit:
            self.total += -event.amount
            self.count += 1

    def score(self, event: TransactionEvent) -> float:
        if not event.is_debit or not self.count:
            return 0.0
        return min(1.0, -event.amount / (RULE_MULTIPLE * self.total / self.count))


@dataclass(frozen=True)
class Scored:
    """One test transaction, what it is and what a system gave it."""

    customer: str
    row: LabelledEvent
    score: float
    ms: float


Factory = Callable[[Sequence[TransactionEvent]], Detector]


def score_test(histories: Sequence[History], make: Factory) -> list[Scored]:
    """Each history's test part, scored oldest first against a baseline of what came before."""
    out: list[Scored] = []
    for history in histories:
        detector = make(history.training)
        for row in history.test:
            start = time.perf_counter()
            score = detector.score(row.event)
            ms = (time.perf_counter() - start) * 1000
            detector.update(row.event)
            out.append(Scored(history.customer, row, score, ms))
    return out


def stream_rate(histories: Sequence[History], make: Factory) -> float:
    """Events a second: every transaction scored, then taken into its customer's baseline."""
    events = 0
    start = time.perf_counter()
    for history in histories:
        detector = make(())
        for row in history.transactions:
            detector.score(row.event)
            detector.update(row.event)
            events += 1
    elapsed = time.perf_counter() - start
    return round(events / elapsed) if elapsed else 0.0


def customer_months(histories: Sequence[History]) -> float:
    """Months of test transactions summed over customers (from each test start to the file's last)."""
    last = max((t.event.booked_at for h in histories for t in h.transactions), default=None)
    if last is None:
        return 0.0
    return sum(max(0.0, (last - h.test_from).total_seconds() / 86400 / DAYS_A_MONTH) for h in histories)


def figures(scored: Sequence[Scored], threshold: float, months: float) -> dict[str, Any]:
    """Precision, recall, F1, incident recall and false alerts a customer-month at ``threshold``."""
    tp = fp = fn = 0
    incidents: dict[tuple[str, int | None, str], bool] = {}
    for item in scored:
        alert = item.score >= threshold
        tp += alert and item.row.anomaly
        fp += alert and not item.row.anomaly
        fn += item.row.anomaly and not alert
        if item.row.anomaly:
            key = (item.customer, item.row.incident, str(item.row.label))
            incidents[key] = incidents.get(key, False) or alert
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "tp": tp, "fp": fp, "fn": fn,
        "incident_recall": round(sum(incidents.values()) / len(incidents), 4) if incidents else 0.0,
        "false_alerts_per_customer_month": round(fp / months, 4) if months else 0.0,
    }


def by_kind(scored: Sequence[Scored], threshold: float) -> dict[str, dict[str, Any]]:
    """Recall of each planted kind and the alerted share of each kind of hard negative."""
    totals: Counter[str] = Counter()
    alerted: Counter[str] = Counter()
    for item in scored:
        if not item.row.anomaly and not item.row.note:
            continue
        kind = f"anomaly:{item.row.label}" if item.row.anomaly else f"normal:{item.row.note}"
        totals[kind] += 1
        alerted[kind] += item.score >= threshold
    return {kind: {"rows": totals[kind], "alerted": alerted[kind],
                   "share_alerted": round(alerted[kind] / totals[kind], 4)} for kind in sorted(totals)}


def run(test: Path, settings: AnomalySettings) -> dict[str, Any]:
    """Both systems on the test file; the report as a dict."""
    histories = read_histories(test)
    scorer = AnomalyScorer.from_settings(settings)

    def ours(history: Sequence[TransactionEvent]) -> Detector:
        return OurDetector(scorer, settings, history)

    def rule(history: Sequence[TransactionEvent]) -> Detector:
        return MeanRule(history)

    systems: dict[str, tuple[Factory, float]] = {
        "ours": (ours, settings.threshold), "3x_mean_rule": (rule, 1.0)}
    months = customer_months(histories)
    results: dict[str, Any] = {}
    for name, (make, threshold) in systems.items():
        print(f"  {name}: scoring", file=sys.stderr, flush=True)
        scored = score_test(histories, make)
        results[name] = {
            "threshold": threshold,
            **figures(scored, threshold, months),
            "latency": latency_summary([item.ms for item in scored]),
            "latency_us": {f"p{q}": round(percentile([item.ms * 1000 for item in scored], q), 1)
                           for q in (50, 95)},
            "events_per_second": stream_rate(histories, make),
            "by_kind": by_kind(scored, threshold),
        }
        if name == "ours":
            results[name]["sweep"] = {str(t): figures(scored, t, months) for t in SWEEP}
    test_rows = sum(len(h.test) for h in histories)
    return {
        "test": str(test),
        "customers": len(histories),
        "transactions": sum(len(h.transactions) for h in histories),
        "test_transactions": test_rows,
        "planted_anomalies": sum(t.anomaly for h in histories for t in h.test),
        "customer_months": round(months, 2),
        "threshold": settings.threshold,
        "results": results,
    }


def print_report(report: dict[str, Any]) -> None:
    print(f"\n{report['customers']} customers, {report['test_transactions']} scored transactions "
          f"({report['planted_anomalies']} planted anomalies), {report['customer_months']} customer-months; "
          f"threshold {report['threshold']}\n")
    rows = [[name, f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}",
             f"{r['incident_recall']:.3f}",
             f"{r['false_alerts_per_customer_month']:.3f}", f"{r['latency_us']['p50']:.1f}",
             f"{r['latency_us']['p95']:.1f}", r["events_per_second"]]
            for name, r in report["results"].items()]
    print_table(rows, ["system", "precision", "recall", "F1", "incident recall", "false alerts/cust-month",
                       "p50 µs", "p95 µs", "events/s"])
    print()
    kinds = sorted({k for r in report["results"].values() for k in r["by_kind"]})
    print_table([[kind, *(f"{r['by_kind'].get(kind, {}).get('share_alerted', 0.0):.2f}"
                          for r in report["results"].values())] for kind in kinds],
                ["alerted share", *report["results"]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--test", type=Path, default=DEFAULT_TEST, help="labelled histories, JSON lines")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--threshold", type=float, default=None, help="alert threshold (default: settings)")
    args = parser.parse_args(argv)
    if not args.test.is_file():
        print(f"test file not found: {args.test}", file=sys.stderr)
        return 2
    settings = AnomalySettings()
    if args.threshold is not None:
        settings = settings.model_copy(update={"threshold": args.threshold})
    report = run(args.test, settings)
    print_report(report)
    write_json(args.out, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
