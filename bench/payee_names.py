"""Payee name matching: ``bank.payee_names.compare_names`` against exact comparison.

    .venv/bin/python -m bench.payee_names --test bench/data/payee_names.jsonl \
        --out bench/out/payee_names.json

The test file holds one pair a line: ``typed`` (what a customer enters), ``on_record`` (the
account's name), ``business`` and ``label``: ``match``, ``close`` or ``no``. The baseline,
measured in the same run, answers ``match`` when the two names are equal ignoring case and
surrounding spaces and ``no`` otherwise. The table gives precision and recall per outcome
and the share of pairs answered right; ``--sweep`` also scores a grid of thresholds (the
one the matcher uses is marked), the way they were chosen.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from itertools import product
from pathlib import Path

from bank.enums import PayeeCheckOutcome
from bank.payee_names import THRESHOLDS, Thresholds, compare_names
from bench.stats import print_table, write_json

DEFAULT_TEST = Path(__file__).resolve().parent / "data" / "payee_names.jsonl"
LABELS = ("match", "close", "no")
OUTCOME_LABEL = {
    PayeeCheckOutcome.MATCH: "match",
    PayeeCheckOutcome.CLOSE_MATCH: "close",
    PayeeCheckOutcome.NO_MATCH: "no",
}
Matcher = Callable[[str, str, bool], str]


@dataclass(frozen=True)
class Pair:
    typed: str
    on_record: str
    business: bool
    label: str


def load_pairs(path: Path) -> list[Pair]:
    pairs = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["label"] not in LABELS:
            raise ValueError(f"{path}:{n}: label must be one of {LABELS}, not {row['label']!r}")
        pairs.append(Pair(row["typed"], row["on_record"], bool(row.get("business")), row["label"]))
    return pairs


def exact(typed: str, on_record: str, _business: bool) -> str:
    return "match" if typed.strip().casefold() == on_record.strip().casefold() else "no"


def ours(thresholds: Thresholds = THRESHOLDS) -> Matcher:
    def answer(typed: str, on_record: str, business: bool) -> str:
        return OUTCOME_LABEL[compare_names(typed, on_record, business, thresholds).outcome]

    return answer


def score(pairs: Sequence[Pair], matcher: Matcher) -> dict[str, object]:
    """Precision and recall per label, accuracy and the pairs answered wrong."""
    answers = [matcher(p.typed, p.on_record, p.business) for p in pairs]
    per_label: dict[str, dict[str, float | int]] = {}
    for label in LABELS:
        predicted = sum(a == label for a in answers)
        actual = sum(p.label == label for p in pairs)
        right = sum(a == label == p.label for a, p in zip(answers, pairs, strict=True))
        per_label[label] = {
            "precision": right / predicted if predicted else 0.0,
            "recall": right / actual if actual else 0.0,
            "support": actual,
        }
    pairs_answered = list(zip(answers, pairs, strict=True))
    wrong = [
        {"typed": p.typed, "on_record": p.on_record, "label": p.label, "answer": a}
        for a, p in zip(answers, pairs, strict=True)
        if a != p.label
    ]
    return {
        "accuracy": 1 - len(wrong) / len(pairs),
        "per_label": per_label,
        # a different person's name answered as a match: the costly error
        "no_answered_match": sum(p.label == "no" and a == "match" for a, p in pairs_answered),
        "wrong": wrong,
    }


def sweep(pairs: Sequence[Pair]) -> list[dict[str, float]]:
    grid = product((60.0, 65.0, 70.0, 75.0, 80.0), (65.0, 70.0, 75.0, 80.0), (70.0, 75.0, 80.0))
    rows = []
    for close, word, surname in grid:
        result = score(pairs, ours(Thresholds(close, word, surname)))
        accuracy = float(str(result["accuracy"]))
        rows.append({"close": close, "word": word, "surname": surname, "accuracy": accuracy})
    return sorted(rows, key=lambda r: -r["accuracy"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test", type=Path, default=DEFAULT_TEST, help="labelled pairs (JSON lines)")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--sweep", action="store_true", help="also score a grid of thresholds")
    args = parser.parse_args(argv)

    pairs = load_pairs(args.test)
    results = {"exact (baseline)": score(pairs, exact), "ours": score(pairs, ours())}
    rows = []
    for name, result in results.items():
        per_label = result["per_label"]
        assert isinstance(per_label, dict)
        row: list[object] = [name]
        for label in LABELS:
            row += [per_label[label]["precision"], per_label[label]["recall"]]
        rows.append([*row, result["accuracy"], result["no_answered_match"]])
    header = ["matcher"] + [f"{label} {m}" for label in LABELS for m in ("P", "R")]
    print(f"{len(pairs)} pairs: " + ", ".join(f"{sum(p.label == x for p in pairs)} {x}" for x in LABELS))
    print_table(rows, [*header, "accuracy", "no as match"])
    data: dict[str, object] = {
        "test": str(args.test),
        "pairs": len(pairs),
        "thresholds": asdict(THRESHOLDS),
        "results": results,
    }
    if args.sweep:
        grid = sweep(pairs)
        chosen = (THRESHOLDS.close, THRESHOLDS.word, THRESHOLDS.surname)
        print("\nthresholds (close, word, surname), best first:")
        print_table(
            [[r["close"], r["word"], r["surname"], r["accuracy"],
              "<- used" if (r["close"], r["word"], r["surname"]) == chosen else ""] for r in grid[:10]],
            ["close", "word", "surname", "accuracy", ""],
        )
        data["sweep"] = grid
    if args.out:
        write_json(args.out, data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
