"""Fitting the category model: examples from CSV, logistic regression, cross-validation
grouped by merchant, and the confidence threshold below which the rules answer."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from bank.enums import Category
from insights.categories.encoder import DIM
from insights.categories.features import CharFeaturiser, EmbeddingFeaturiser, TextEncoder
from insights.categories.model import CategoryModel
from insights.categories.normalise import Description, normalise
from insights.categories.rules import KeywordRules

TRAIN_PATH = Path(__file__).resolve().parent / "data" / "merchants_train.csv"
# inverse regularisation strength of each kind, chosen by grouped cross-validation
C = {"char": 20.0, "minilm": 1.0, "hybrid": 3.0}
THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.20, 0.91, 0.05))


@dataclass(frozen=True)
class Example:
    description: str
    amount: float
    category: Category


def load_examples(path: Path) -> list[Example]:
    """Rows of a CSV with ``description``, ``amount`` and ``category`` columns."""
    examples = []
    with path.open(newline="", encoding="utf-8") as file:
        for line, row in enumerate(csv.DictReader(file), 2):
            try:
                examples.append(Example(row["description"], float(row["amount"]), Category(row["category"])))
            except (KeyError, ValueError) as error:
                raise ValueError(f"{path}:{line}: {error}") from error
    return examples


def items_of(examples: Sequence[Example]) -> list[tuple[Description, float]]:
    return [(normalise(e.description), e.amount) for e in examples]


def fit(
    examples: Sequence[Example], kind: str = "char", encoder: TextEncoder | None = None, seed: int = 7
) -> CategoryModel:
    """Train the head on all examples (threshold 0.5 until ``choose_threshold`` sets it)."""
    items = items_of(examples)
    featuriser: CharFeaturiser | EmbeddingFeaturiser
    if kind == "char":
        featuriser = CharFeaturiser.fit(items)
    elif encoder is not None:
        featuriser = EmbeddingFeaturiser.fit(encoder, items, DIM, with_text=kind == "hybrid")
    else:
        raise ValueError(f"a {kind} model needs an encoder")
    labels = [e.category.value for e in examples]
    head = LogisticRegression(C=C[kind], max_iter=3000, random_state=seed)
    head.fit(featuriser.transform(items), labels)
    return CategoryModel(
        kind=kind,
        categories=tuple(Category(c) for c in head.classes_),
        vocabulary=featuriser.vocabulary,
        weights=np.ascontiguousarray(head.coef_.T, dtype=np.float32),
        bias=head.intercept_.astype(np.float32),
    )


def merchant_group(example: Example) -> str:
    """Rows of the same merchant share a group (its first word), so no fold sees it twice."""
    words = normalise(example.description).merchant.split()
    return words[0] if words else ""


def cross_validate(
    examples: Sequence[Example], kind: str = "char", encoder: TextEncoder | None = None,
    folds: int = 5, seed: int = 7,
) -> tuple[list[Category], np.ndarray]:
    """Out-of-fold probabilities, folds grouped by merchant: (categories, (rows, categories))."""
    groups = sorted({merchant_group(e) for e in examples})
    rng = np.random.default_rng(seed)
    fold_of = dict(zip(groups, rng.permutation(len(groups)) % folds, strict=True))
    categories = sorted({e.category for e in examples})
    probabilities = np.zeros((len(examples), len(categories)))
    cached = None if kind == "char" else cached_encoder(encoder, examples)
    for fold in range(folds):
        test = [i for i, e in enumerate(examples) if fold_of[merchant_group(e)] == fold]
        train = [examples[i] for i in range(len(examples)) if fold_of[merchant_group(examples[i])] != fold]
        model = fit(train, kind, cached, seed)
        fold_probabilities = model.predict(items_of([examples[i] for i in test]), cached)
        columns = [categories.index(c) for c in model.categories]
        probabilities[np.ix_(test, columns)] = fold_probabilities
    return categories, probabilities


def choose_threshold(
    examples: Sequence[Example], categories: Sequence[Category], probabilities: np.ndarray,
    rules: KeywordRules | None = None,
) -> tuple[float, list[dict[str, float]]]:
    """The threshold whose model-then-rules answers score the best macro-F1 (the lowest of ties)."""
    rules = rules or KeywordRules()
    items = items_of(examples)
    truth = [e.category for e in examples]
    ruled = [rules.match(d, a) for d, a in items]
    best = probabilities.argmax(axis=1)
    sweep = []
    for threshold in THRESHOLDS:
        answers = [
            categories[b] if p[b] >= threshold or r is None else r
            for b, p, r in zip(best, probabilities, ruled, strict=True)
        ]
        figures = score(truth, answers)
        sweep.append(
            {"threshold": threshold, "macro_f1": figures["macro_f1"], "accuracy": figures["accuracy"]}
        )
    chosen = max(sweep, key=lambda row: (round(row["macro_f1"], 4), -row["threshold"]))
    return chosen["threshold"], sweep


def score(truth: Sequence[Category], answers: Sequence[Category]) -> dict[str, Any]:
    """Accuracy, macro-F1 over the categories in ``truth``, and precision, recall, F1 per category."""
    per_category: dict[str, dict[str, float | int]] = {}
    for category in sorted(set(truth)):
        predicted = sum(a == category for a in answers)
        actual = sum(t == category for t in truth)
        right = sum(a == t == category for a, t in zip(answers, truth, strict=True))
        precision = right / predicted if predicted else 0.0
        recall = right / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_category[category.value] = {"precision": precision, "recall": recall, "f1": f1, "support": actual}
    right = sum(a == t for a, t in zip(answers, truth, strict=True))
    return {
        "accuracy": right / len(truth) if truth else 0.0,
        "macro_f1": float(np.mean([v["f1"] for v in per_category.values()])) if per_category else 0.0,
        "per_category": per_category,
    }


class CachedEncoder:
    """An encoder that embeds each distinct text once (cross-validation embeds rows five times)."""

    def __init__(self, encoder: TextEncoder, texts: Sequence[str]) -> None:
        distinct = sorted(set(texts))
        vectors = encoder.encode(distinct)
        self._vectors = dict(zip(distinct, vectors, strict=True))
        self._encoder = encoder

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = sorted({t for t in texts if t not in self._vectors})
        if missing:
            self._vectors.update(zip(missing, self._encoder.encode(missing), strict=True))
        return np.stack([self._vectors[t] for t in texts]) if texts else np.zeros((0, DIM), np.float32)


def cached_encoder(encoder: TextEncoder | None, examples: Sequence[Example]) -> CachedEncoder:
    if encoder is None:
        raise ValueError("a model with MiniLM vectors needs an encoder")
    return CachedEncoder(encoder, [d.merchant or "unknown" for d, _ in items_of(examples)])
