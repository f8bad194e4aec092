"""A greedy averaged-perceptron sequence tagger (BIO labels) over hand-made features.

It runs in pure Python in well under a millisecond per message, which is why we use it
instead of a spaCy pipeline (see ``bench/pii.py``). Trained by :mod:`privacy.ner.train`.
"""

import gzip
import json
import random
from collections import defaultdict
from pathlib import Path

from privacy.ner.tokens import Token, shape, tokenize

OUTSIDE = "O"


def _features(words: list[str], shapes: list[str], index: int, previous: str, previous2: str) -> list[str]:
    word = words[index]
    lower = word.lower()
    before = words[index - 1].lower() if index > 0 else "<S>"
    before2 = words[index - 2].lower() if index > 1 else "<S>"
    after = words[index + 1].lower() if index + 1 < len(words) else "</S>"
    after2 = words[index + 2].lower() if index + 2 < len(words) else "</S>"
    shape_before = shapes[index - 1] if index > 0 else "<S>"
    shape_after = shapes[index + 1] if index + 1 < len(words) else "</S>"
    line_start = index == 0 or words[index - 1] == "\n"
    return [
        "b",
        "w=" + lower,
        "p3=" + lower[:3],
        "s3=" + lower[-3:],
        "s2=" + lower[-2:],
        "sh=" + shapes[index],
        "ls=" + str(line_start) + shapes[index],
        "w-1=" + before,
        "w-2=" + before2,
        "w+1=" + after,
        "w+2=" + after2,
        "sh-1=" + shape_before,
        "sh+1=" + shape_after,
        "sh-+=" + shape_before + "|" + shapes[index] + "|" + shape_after,
        "t-1=" + previous,
        "t-2=" + previous2 + "|" + previous,
        "t-1w=" + previous + "|" + lower,
        "t-1sh=" + previous + "|" + shapes[index],
        "w-1w=" + before + "|" + lower,
        "ww+1=" + lower + "|" + after,
    ]


class PerceptronTagger:
    """Tags tokens with BIO labels.

    Args:
        weights: feature -> {label: weight}.
        labels: every label, ``O`` included.
    """

    def __init__(self, weights: dict[str, dict[str, float]], labels: list[str]) -> None:
        self.weights = weights
        self.labels = labels

    def tag(self, tokens: list[Token]) -> list[tuple[str, float]]:
        """Returns (label, margin) per token; the margin is the winner's lead over the runner-up."""
        words = [t.text for t in tokens]
        shapes = [shape(w) for w in words]
        previous, previous2 = "<S>", "<S>"
        tagged = []
        weights = self.weights
        for index in range(len(words)):
            scores: dict[str, float] = defaultdict(float)
            for feature in _features(words, shapes, index, previous, previous2):
                row = weights.get(feature)
                if row:
                    for label, weight in row.items():
                        scores[label] += weight
            ranked = sorted(scores.items(), key=lambda item: -item[1])
            label = ranked[0][0] if ranked else OUTSIDE
            margin = ranked[0][1] - (ranked[1][1] if len(ranked) > 1 else 0.0) if ranked else 0.0
            tagged.append((label, margin))
            previous2, previous = previous, label
        return tagged

    def entities(self, text: str) -> list[tuple[int, int, str, float]]:
        """(start, end, type, confidence) of each entity in ``text``."""
        tokens = tokenize(text)
        found = []
        current: list[int] = []
        current_type = ""
        margins: list[float] = []
        for index, (label, margin) in enumerate([*self.tag(tokens), (OUTSIDE, 0.0)]):
            kind, _, entity = label.partition("-")
            if current and (kind != "I" or entity != current_type):
                found.append(_span(tokens, current, current_type, margins))
                current, margins = [], []
            if kind in {"B", "I"} and index < len(tokens):
                if not current:
                    current_type = entity
                current.append(index)
                margins.append(margin)
        return found

    @classmethod
    def load(cls, path: Path) -> "PerceptronTagger":
        """Reads weights written by :meth:`save`."""
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        return cls(data["weights"], data["labels"])

    def save(self, path: Path) -> None:
        """Writes the weights as gzipped JSON."""
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as handle:
            json.dump({"labels": self.labels, "weights": self.weights}, handle, separators=(",", ":"))


def _span(
    tokens: list[Token], indices: list[int], entity: str, margins: list[float]
) -> tuple[int, int, str, float]:
    # Trailing line breaks or punctuation never end an entity.
    while len(indices) > 1 and tokens[indices[-1]].text in {"\n", ",", "-"}:
        indices = indices[:-1]
    confidence = 0.85 if min(margins) > 0 else 0.6
    return tokens[indices[0]].start, tokens[indices[-1]].end, entity, confidence


def train(
    sentences: list[tuple[list[Token], list[str]]], epochs: int, seed: int = 0, prune_below: float = 0.05
) -> PerceptronTagger:
    """Trains an averaged perceptron on (tokens, BIO labels) pairs."""
    labels = sorted({label for _, tags in sentences for label in tags} | {OUTSIDE})
    weights: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    totals: dict[tuple[str, str], float] = defaultdict(float)
    stamps: dict[tuple[str, str], int] = defaultdict(int)
    instance = 0
    rng = random.Random(seed)
    order = list(range(len(sentences)))

    def update(feature: str, label: str, value: float) -> None:
        key = (feature, label)
        totals[key] += (instance - stamps[key]) * weights[feature][label]
        stamps[key] = instance
        weights[feature][label] += value

    for epoch in range(epochs):
        rng.shuffle(order)
        errors = 0
        for position in order:
            tokens, gold = sentences[position]
            words = [t.text for t in tokens]
            shapes = [shape(w) for w in words]
            previous, previous2 = "<S>", "<S>"
            for index in range(len(words)):
                instance += 1
                features = _features(words, shapes, index, previous, previous2)
                scores: dict[str, float] = defaultdict(float)
                for feature in features:
                    row = weights.get(feature)
                    if row:
                        for label, weight in row.items():
                            scores[label] += weight
                guess = max(labels, key=lambda label: (scores.get(label, 0.0), label == OUTSIDE))
                truth = gold[index]
                if guess != truth:
                    errors += 1
                    for feature in features:
                        update(feature, truth, 1.0)
                        update(feature, guess, -1.0)
                previous2, previous = previous, truth if rng.random() < 0.9 else guess
        print(f"epoch {epoch + 1}: {errors} token errors", flush=True)
    averaged: dict[str, dict[str, float]] = {}
    for feature, row in weights.items():
        kept = {}
        for label, weight in row.items():
            key = (feature, label)
            total = totals[key] + (instance - stamps[key]) * weight
            value = round(total / instance * 1000, 2)
            if abs(value) >= prune_below:
                kept[label] = value
        if kept:
            averaged[feature] = kept
    return PerceptronTagger(averaged, labels)
