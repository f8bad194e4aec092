"""Spending categories: our categoriser against keyword rules, with latency and throughput.

    .venv/bin/python -m bench.insights --test bench/data/merchants_test.csv \
        --out bench/out/insights.json

The test file is a CSV of ``description`` (as on the statement), ``amount`` (negative for
money leaving the account) and ``category`` (a ``bank.enums.Category`` value), of merchants
that are not in the training data (``insights/categories/data/merchants_train.csv``). The
baseline, measured in the same run, is the keyword rules alone (``KeywordRules``, ``other``
when none matches). ``ours`` is the shipped categoriser: the model, and the rules below its
confidence threshold; ``model alone`` is its best guess without the rules. The tables give
accuracy and macro-F1, then F1 per category; ``refunds as salary`` counts credits at shops
answered as salary (the costly mistake for insights).

Latency is one ``categorise`` call per description (p50, p95, after a warm-up); throughput
is ``categorise_many`` over the whole file in batches of ``--batch``, descriptions per
second. ``--candidates`` also trains each model kind (``char``, ``minilm``, ``hybrid``) on
``--train`` in the run and scores it alone on the test file, without the rules (about two
minutes). The kind itself is chosen by grouped cross-validation on the training data
(``python -m insights.categories.train --compare``), not by this file.

``--scale N`` (``make bench-insights SCALE=10000000``) adds the ``scale`` key: N synthetic
transactions bulk-loaded into a throwaway PostgreSQL database, the spending question and budget
progress timed there (p50, p95, p99 against the target of p95 under 50 ms) and the event path's
events per second, with our model and with the keyword rules alone (``bench.insights_scale``).
``--scale-only`` skips the test file.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bank.enums import Category
from bench.insights_scale import ScaleOptions, print_scale, run_scale
from bench.stats import latency_summary, print_table, write_json
from insights.categories import Categoriser
from insights.categories.encoder import MiniLMEncoder
from insights.categories.model import KINDS, MODEL_PATH, CategoryModel
from insights.categories.normalise import normalise
from insights.categories.rules import KeywordRules
from insights.categories.training import TRAIN_PATH, Example, cached_encoder, fit, load_examples, score

DEFAULT_TEST = Path(__file__).resolve().parent / "data" / "merchants_test.csv"
SPENDING = frozenset(Category) - {Category.SALARY, Category.TRANSFER, Category.OTHER}
Answerer = Callable[[Sequence[Example]], list[Category]]


def keyword_rules(examples: Sequence[Example]) -> list[Category]:
    rules = KeywordRules()
    return [rules.categorise(normalise(e.description), e.amount) for e in examples]


def results_of(examples: Sequence[Example], answers: Sequence[Category]) -> dict[str, Any]:
    """Scores, the refunds answered as salary and the rows answered wrong."""
    figures = score([e.category for e in examples], answers)
    figures["refunds_as_salary"] = sum(
        e.amount > 0 and e.category in SPENDING and a == Category.SALARY
        for e, a in zip(examples, answers, strict=True)
    )
    figures["wrong"] = [
        {"description": e.description, "amount": e.amount, "category": e.category.value, "answer": a.value}
        for e, a in zip(examples, answers, strict=True)
        if a != e.category
    ]
    return figures


def timings(categoriser: Categoriser, examples: Sequence[Example], batch: int) -> dict[str, float]:
    """Single-call latency percentiles and batch throughput."""
    pairs = [(e.description, e.amount) for e in examples]
    categoriser.categorise_many(pairs[:batch])  # warm-up: loads the encoder
    single = []
    for pair in pairs:
        started = time.perf_counter()
        categoriser.categorise(*pair)
        single.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    for start in range(0, len(pairs), batch):
        categoriser.categorise_many(pairs[start : start + batch])
    elapsed = time.perf_counter() - started
    return {**latency_summary(single), "batch": batch, "per_second": round(len(pairs) / elapsed, 1)}


def rules_timings(examples: Sequence[Example]) -> dict[str, float]:
    rules = KeywordRules()
    single = []
    for e in examples:
        started = time.perf_counter()
        rules.categorise(normalise(e.description), e.amount)
        single.append((time.perf_counter() - started) * 1000)
    total = sum(single) / 1000
    return {**latency_summary(single), "per_second": round(len(examples) / total, 1) if total else 0.0}


def candidates(train: Path, examples: Sequence[Example]) -> dict[str, dict[str, Any]]:
    """Each model kind trained on ``train`` now, scored alone (no rules) on the test rows."""
    training = load_examples(train)
    encoder = cached_encoder(MiniLMEncoder(), [*training, *examples])
    found = {}
    for kind in KINDS:
        model = fit(training, kind, None if kind == "char" else encoder)
        categoriser = Categoriser(model, encoder=None if kind == "char" else encoder, threshold=0.0)
        answered = categoriser.categorise_many([(e.description, e.amount) for e in examples])
        found[kind] = results_of(examples, [a.category for a in answered])
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--test", type=Path, default=DEFAULT_TEST, help="CSV: description, amount, category")
    parser.add_argument("--model", type=Path, default=MODEL_PATH, help="the model file to score")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--batch", type=int, default=256, help="batch size of the throughput run")
    parser.add_argument("--candidates", action="store_true", help="also train and score every model kind")
    parser.add_argument("--train", type=Path, default=TRAIN_PATH, help="training CSV for --candidates")
    parser.add_argument("--scale", type=int, default=0, metavar="N",
                        help="also load N transactions into a throwaway PostgreSQL database and time the"
                             " spending questions and the event path there (bench.insights_scale)")
    parser.add_argument("--scale-only", action="store_true", help="only the --scale part")
    parser.add_argument("--scale-customers", type=int, default=300, help="customers asked each question")
    parser.add_argument("--events", type=int, default=2000, help="new transactions on the event path")
    args = parser.parse_args(argv)

    categoriser = Categoriser.from_file(args.model)
    found: dict[str, Any] = {}
    if not args.scale_only:
        found = categories(args, categoriser)
    if args.scale:
        options = ScaleOptions(args.scale, customers=args.scale_customers, events=args.events,
                               batch=args.batch)
        found["scale"] = run_scale(options, categoriser)
        print_scale(found["scale"])
    if args.out:
        write_json(args.out, found)
    return 0


def categories(args: argparse.Namespace, categoriser: Categoriser) -> dict[str, Any]:
    """The categoriser on the labelled test file, against keyword rules: the JSON's keys."""
    examples = load_examples(args.test)
    answered = categoriser.categorise_many([(e.description, e.amount) for e in examples])
    model = categoriser.model
    alone = _model_alone(model, categoriser, examples)
    results = {
        "keyword rules (baseline)": results_of(examples, keyword_rules(examples)),
        "model alone": results_of(examples, alone),
        "ours": results_of(examples, [a.category for a in answered]),
    }
    if args.candidates:
        results |= {f"candidate {kind}": found for kind, found in candidates(args.train, examples).items()}
    latency = {"ours": timings(categoriser, examples, args.batch), "keyword rules": rules_timings(examples)}

    support = Counter(e.category for e in examples)
    print(f"{len(examples)} descriptions, {len(support)} categories;"
          f" model {model.kind}, threshold {model.threshold}")
    print_table(
        [[name, r["accuracy"], r["macro_f1"], r["refunds_as_salary"]] for name, r in results.items()],
        ["categoriser", "accuracy", "macro-F1", "refunds as salary"],
    )
    names = list(results)
    print()
    print_table(
        [[c.value, support[c], *(results[n]["per_category"][c.value]["f1"] for n in names)]
         for c in sorted(support)],
        ["category F1", "n", *names],
    )
    sources = Counter(a.source.value for a in answered)
    print(f"\nours answered by: {dict(sources)}")
    print()
    print_table(
        [[name, t["p50_ms"], t["p95_ms"], t["per_second"]] for name, t in latency.items()],
        ["latency", "p50 ms", "p95 ms", "descriptions/s (batch)"],
    )
    return {
        "test": str(args.test),
        "rows": len(examples),
        "model": {"kind": model.kind, "threshold": model.threshold, "file": str(args.model), **model.info},
        "sources": dict(sources),
        "results": results,
        "latency": latency,
    }


def _model_alone(
    model: CategoryModel, categoriser: Categoriser, examples: Sequence[Example]
) -> list[Category]:
    """The model's best guess for every row, whatever its confidence."""
    no_threshold = Categoriser(model, encoder=categoriser.encoder, threshold=0.0)
    return [a.category for a in no_threshold.categorise_many([(e.description, e.amount) for e in examples])]


if __name__ == "__main__":
    sys.exit(main())
