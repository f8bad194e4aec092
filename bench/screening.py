"""Sanctions screening of payee names: our screener against exact name matching, in the same run.

    .venv/bin/python -m bench.screening --test bench/data/screening_dev.jsonl \
        --out bench/out/screening.json

The test file holds one JSON object a line: ``name``, optional ``dob`` (``YYYY-MM-DD``) and
``nationality``, and ``listed``: the Group ID of the list entry the name is a variant of, or
null for someone who is not listed. A ``review`` decision is a true positive when the row is
listed and the decision names its Group ID; a review of an unlisted row, or of a listed row
under another Group ID, is a false positive; a listed row not reviewed under its Group ID is a
false negative. Precision, recall and F1 of reviews are given with the latency per name (p50,
p95); the baseline reviews a name only when, case and spacing aside, it is one of the list's
names written given names first or surname first.

``sweep`` in the JSON gives the figures at other review thresholds (from the same scores), and
``two_fold`` a check of the threshold choice: the threshold of best F1 on the even lines is
scored on the odd lines, and the other way round.

    make bench-screening TEST=bench/data/screening_dev.jsonl OUT=bench/out/screening.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.stats import latency_summary, percentile, print_table, write_json
from screening.sanctions_list import ListEntry, load_list
from screening.screener import Screener
from screening.settings import ScreeningSettings

DEFAULT_TEST = Path(__file__).resolve().parent / "data" / "screening_dev.jsonl"
OUT = Path(__file__).resolve().parent / "out" / "screening.json"
SWEEP = tuple(round(0.70 + 0.02 * step, 2) for step in range(14))
PROGRESS_EVERY = 100


@dataclass(frozen=True)
class Labelled:
    """One line of the test file."""

    name: str
    dob: str | None
    nationality: str | None
    listed: str | None


@dataclass(frozen=True)
class Outcome:
    """What a system said about one name: the best Group ID, its score, whether to review."""

    group_id: str | None
    score: float
    review: bool
    ms: float


def read_labelled(path: Path) -> list[Labelled]:
    """The labelled names of a JSON-lines file (blank lines skipped)."""
    rows: list[Labelled] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        if not isinstance(record.get("name"), str):
            raise ValueError(f"{path}:{number}: no name")
        listed = record.get("listed")
        rows.append(Labelled(record["name"], record.get("dob"), record.get("nationality"),
                             None if listed is None else str(listed)))
    return rows


class ExactNameBaseline:
    """Reviews a name only when it is one of the list's names, case and spacing aside."""

    def __init__(self, entries: Sequence[ListEntry]) -> None:
        self._names: dict[str, str] = {}
        for entry in entries:
            for name in entry.names:
                for written in (name.text, " ".join((name.surname, *name.given))):
                    self._names.setdefault(" ".join(written.casefold().split()), entry.group_id)

    def screen(self, name: str) -> str | None:
        return self._names.get(" ".join(name.casefold().split()))


def run_system(rows: Sequence[Labelled], label: str,
               screen: Callable[[Labelled], tuple[str | None, float, bool]]) -> list[Outcome]:
    """Screen every row, timing each, with progress on stderr."""
    outcomes: list[Outcome] = []
    for index, row in enumerate(rows, start=1):
        start = time.perf_counter()
        group_id, score, review = screen(row)
        outcomes.append(Outcome(group_id, score, review, (time.perf_counter() - start) * 1000))
        if index % PROGRESS_EVERY == 0 or index == len(rows):
            print(f"  {label}: {index}/{len(rows)}", file=sys.stderr, flush=True)
    return outcomes


def scores(rows: Sequence[Labelled], reviews: Sequence[tuple[bool, str | None]]) -> dict[str, Any]:
    """Precision, recall and F1 of review decisions against the labels."""
    tp = fp = fn = 0
    for row, (review, group_id) in zip(rows, reviews, strict=True):
        hit = review and row.listed is not None and group_id == row.listed
        tp += hit
        fp += review and not hit
        fn += row.listed is not None and not hit
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn, "reviews": tp + fp}


def at_threshold(rows: Sequence[Labelled], outcomes: Sequence[Outcome], threshold: float) -> dict[str, Any]:
    return scores(rows, [(o.score >= threshold, o.group_id) for o in outcomes])


def two_fold(rows: Sequence[Labelled], outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """The threshold of best F1 on one half of the lines, scored on the other half."""
    halves = {"even": list(range(0, len(rows), 2)), "odd": list(range(1, len(rows), 2))}
    result: dict[str, Any] = {}
    for chosen_on, scored_on in (("even", "odd"), ("odd", "even")):
        fit_rows = [rows[i] for i in halves[chosen_on]]
        fit_out = [outcomes[i] for i in halves[chosen_on]]
        best = max(SWEEP, key=lambda t: (at_threshold(fit_rows, fit_out, t)["f1"], -t))
        result[f"chosen_on_{chosen_on}"] = {
            "threshold": best,
            **at_threshold([rows[i] for i in halves[scored_on]],
                           [outcomes[i] for i in halves[scored_on]], best),
        }
    return result


def run(test: Path, settings: ScreeningSettings) -> dict[str, Any]:
    """Screen the test file with our screener and the baseline; the report as a dict."""
    rows = read_labelled(test)
    entries = load_list(settings.list_path)
    screener = Screener(entries, settings.review_threshold)
    baseline = ExactNameBaseline(entries)

    def ours(row: Labelled) -> tuple[str | None, float, bool]:
        result = screener.screen(row.name, row.dob, row.nationality)
        return result.group_id, result.score, result.decision == "review"

    def exact(row: Labelled) -> tuple[str | None, float, bool]:
        group_id = baseline.screen(row.name)
        return group_id, float(group_id is not None), group_id is not None

    runs = {"ours": run_system(rows, "ours", ours), "exact_name": run_system(rows, "exact_name", exact)}
    results = {
        name: {**scores(rows, [(o.review, o.group_id) for o in outcomes]),
               "latency": latency_summary([o.ms for o in outcomes])}
        for name, outcomes in runs.items()
    }
    ours_out = runs["ours"]
    misses = [
        {"name": row.name, "listed": row.listed, "got": o.group_id, "score": o.score}
        for row, o in zip(rows, ours_out, strict=True)
        if o.review != (row.listed is not None) or (o.review and o.group_id != row.listed)
    ]
    return {
        "test": str(test),
        "list": str(settings.list_path),
        "entries": len(entries),
        "names": len(rows),
        "listed_names": sum(row.listed is not None for row in rows),
        "review_threshold": settings.review_threshold,
        "results": results,
        "ratios": _ratios(results["ours"], results["exact_name"],
                          [o.ms for o in runs["ours"]], [o.ms for o in runs["exact_name"]]),
        "sweep": {str(t): at_threshold(rows, ours_out, t) for t in SWEEP},
        "two_fold": two_fold(rows, ours_out),
        "errors": misses,
    }


def _ratios(ours: dict[str, Any], base: dict[str, Any], ours_ms: Sequence[float],
            base_ms: Sequence[float]) -> dict[str, float | None]:
    """Ours over the baseline, each figure (latency from the unrounded timings)."""

    def ratio(a: float, b: float) -> float | None:
        return round(a / b, 2) if b else None

    return {"precision": ratio(ours["precision"], base["precision"]),
            "recall": ratio(ours["recall"], base["recall"]), "f1": ratio(ours["f1"], base["f1"]),
            "p50_latency": ratio(percentile(ours_ms, 50), percentile(base_ms, 50))}


def print_report(report: dict[str, Any]) -> None:
    print(f"\n{report['names']} names ({report['listed_names']} listed variants) against "
          f"{report['entries']} list entries; review threshold {report['review_threshold']}\n")
    rows = [[name, f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}", r["reviews"],
             f"{r['latency']['p50_ms']:.2f}", f"{r['latency']['p95_ms']:.2f}"]
            for name, r in report["results"].items()]
    print_table(rows, ["system", "precision", "recall", "F1", "reviews", "p50 ms", "p95 ms"])
    print("\nours / exact_name: " + ", ".join(f"{k} {v}" for k, v in report["ratios"].items()))
    for fold_name, figures in report["two_fold"].items():
        print(f"threshold {fold_name.replace('_', ' ')}: {figures['threshold']} -> other half "
              f"P {figures['precision']:.3f} R {figures['recall']:.3f} F1 {figures['f1']:.3f}")
    print(f"{len(report['errors'])} names decided wrongly (listed in the JSON under 'errors')")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--test", type=Path, default=DEFAULT_TEST, help="labelled names, JSON lines")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--list", type=Path, default=None, help="a ConList.csv (default: the shipped list)")
    parser.add_argument("--threshold", type=float, default=None, help="review threshold (default: settings)")
    args = parser.parse_args(argv)
    if not args.test.is_file():
        print(f"test file not found: {args.test}", file=sys.stderr)
        return 2
    settings = ScreeningSettings()
    overrides = {key: value for key, value in (("list_path", args.list), ("review_threshold", args.threshold))
                 if value is not None}
    report = run(args.test, settings.model_copy(update=overrides))
    print_report(report)
    write_json(args.out, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
