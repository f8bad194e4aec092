"""Trains the spending-category model: ``python -m insights.categories.train [--kind minilm]``.

Reads ``insights/categories/data/merchants_train.csv``, cross-validates with folds grouped by
merchant (a merchant is never in the fold it is scored on), picks the confidence threshold
below which the keyword rules answer, fits on every row and writes
``insights/categories/model.gz``. ``--compare`` cross-validates every kind and prints their
figures, the way the kind was chosen: ``minilm`` (MiniLM vectors, the default), ``char``
(words and character n-grams, no encoder) or ``hybrid`` (both). Under a minute on one core
(MiniLM embeds each row once); seconds for ``char``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from insights.categories.encoder import MiniLMEncoder
from insights.categories.features import TextEncoder
from insights.categories.model import KINDS, MODEL_PATH
from insights.categories.training import (
    TRAIN_PATH,
    Example,
    cached_encoder,
    choose_threshold,
    cross_validate,
    fit,
    load_examples,
    score,
)


def evaluate(examples: list[Example], kind: str, encoder: TextEncoder | None) -> dict[str, float]:
    """Grouped cross-validated figures of one kind, model alone and with the rules below the threshold."""
    categories, probabilities = cross_validate(examples, kind, encoder)
    alone = score([e.category for e in examples], [categories[i] for i in probabilities.argmax(axis=1)])
    threshold, sweep = choose_threshold(examples, categories, probabilities)
    with_rules = next(row for row in sweep if row["threshold"] == threshold)
    return {
        "cv_macro_f1": round(alone["macro_f1"], 4),
        "cv_accuracy": round(alone["accuracy"], 4),
        "threshold": threshold,
        "cv_macro_f1_with_rules": round(with_rules["macro_f1"], 4),
        "cv_accuracy_with_rules": round(with_rules["accuracy"], 4),
    }


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--train", type=Path, default=TRAIN_PATH, help="CSV: description, amount, category")
    parser.add_argument("--kind", choices=KINDS, default="minilm")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--compare", action="store_true", help="also cross-validate the other kind")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    examples = load_examples(args.train)
    encoder = MiniLMEncoder() if args.kind != "char" or args.compare else None
    cached = cached_encoder(encoder, examples) if encoder is not None else None
    figures = {}
    for kind in KINDS if args.compare else (args.kind,):
        figures[kind] = evaluate(examples, kind, encoder if kind == "char" else cached)
        print(f"{kind}: {figures[kind]}", file=sys.stderr, flush=True)
    model = fit(examples, args.kind, None if args.kind == "char" else cached)
    model.threshold = figures[args.kind]["threshold"]
    model.info = {"rows": len(examples), "train": args.train.name, **figures[args.kind]}
    model.save(args.out)
    print(
        f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB, {args.kind},"
        f" {len(model.vocabulary)} features, threshold {model.threshold})"
        f" in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
