"""Trains the structured perceptron (averaged, Collins 2002) on labelled token sequences.

For each sentence Viterbi finds the best labels under the current weights; where they
differ from the truth, the features of the true labels gain and those of the guess lose.
The weights returned are the average over all steps, which generalises much better than
the last ones.
"""

import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from privacy.ner.features import sentence_features
from privacy.ner.gazetteer import Gazetteer
from privacy.ner.tagger import IMPOSSIBLE, OUTSIDE, PerceptronTagger, allowed_transitions, viterbi

Example = tuple[list[str], list[str]]  # (token texts, BIO labels)


def _classes(words: list[str], gazetteer: Gazetteer, rng: random.Random, hide: float) -> list[str]:
    """Gazetteer classes per token, hidden for a ``hide`` share of tokens."""
    return ["" if rng.random() < hide else gazetteer.classes(w.lower()) for w in words]


def train(
    examples: Sequence[Example],
    gazetteer: Gazetteer,
    epochs: int,
    seed: int = 0,
    min_count: int = 2,
    hide_gazetteer: float = 0.2,
    prune_below: float = 0.01,
    progress: Callable[[str], None] | None = None,
) -> PerceptronTagger:
    """Trains a tagger.

    Args:
        examples: (tokens, labels) pairs.
        gazetteer: word lists for the features (shipped in the model).
        epochs: passes over the examples.
        seed: shuffling and gazetteer hiding are drawn from it.
        min_count: features seen fewer times are dropped.
        hide_gazetteer: share of tokens whose word-list membership is hidden in training,
            so the tagger also learns names that are in no list.
        prune_below: averaged weights smaller than this (in absolute value) are zeroed and
            features left with none are dropped from the model.
        progress: called with a line of progress (default: print to stderr).
    """
    report = progress or (lambda line: print(line, file=sys.stderr, flush=True))
    rng = random.Random(seed)
    labels = sorted({label for _, tags in examples for label in tags} | {OUTSIDE})
    label_index = {label: index for index, label in enumerate(labels)}
    started = time.perf_counter()

    featurised = [
        sentence_features(words, _classes(words, gazetteer, rng, hide_gazetteer)) for words, _ in examples
    ]
    counts = Counter(f for sentence in featurised for token in sentence for f in set(token))
    names = sorted(f for f, n in counts.items() if n >= min_count)
    feature_index = {name: row for row, name in enumerate(names)}
    encoded = []
    for sentence, (_, tags) in zip(featurised, examples, strict=True):
        rows = [
            np.array(sorted({feature_index[f] for f in token if f in feature_index}), dtype=np.int32)
            for token in sentence
        ]
        encoded.append((rows, np.array([label_index[t] for t in tags], dtype=np.int32)))
    del featurised
    report(
        f"{len(examples)} sentences, {len(names)} features, {len(labels)} labels"
        f" ({time.perf_counter() - started:.0f} s)"
    )

    size = len(labels)
    weights = np.zeros((len(names), size), dtype=np.float64)
    weights_sum = np.zeros_like(weights)  # sum of step * update, for averaging
    transitions = np.zeros((size + 1, size), dtype=np.float64)
    transitions_sum = np.zeros_like(transitions)
    mask = allowed_transitions(labels)
    start_row = size
    step = 1
    order = list(range(len(encoded)))
    for epoch in range(1, epochs + 1):
        rng.shuffle(order)
        wrong = 0
        for position in order:
            rows, gold = encoded[position]
            if not rows:
                continue
            emissions = np.stack([weights[r].sum(axis=0) for r in rows])
            guess = np.array(viterbi(emissions, np.where(mask, transitions, IMPOSSIBLE)), dtype=np.int32)
            if not np.array_equal(guess, gold):
                wrong += 1
                for index in np.nonzero(guess != gold)[0]:
                    r = rows[index]
                    weights[r, gold[index]] += 1.0
                    weights[r, guess[index]] -= 1.0
                    weights_sum[r, gold[index]] += step
                    weights_sum[r, guess[index]] -= step
                previous_gold, previous_guess = start_row, start_row
                for g, p in zip(gold.tolist(), guess.tolist(), strict=True):
                    if (previous_gold, g) != (previous_guess, p):
                        transitions[previous_gold, g] += 1.0
                        transitions[previous_guess, p] -= 1.0
                        transitions_sum[previous_gold, g] += step
                        transitions_sum[previous_guess, p] -= step
                    previous_gold, previous_guess = g, p
            step += 1
        report(
            f"epoch {epoch}/{epochs}: {wrong} of {len(encoded)} sentences wrong "
            f"({time.perf_counter() - started:.0f} s)"
        )
    averaged = weights - weights_sum / step
    averaged_transitions = transitions - transitions_sum / step
    averaged[np.abs(averaged) < prune_below] = 0.0
    kept = np.nonzero(np.any(averaged != 0.0, axis=1))[0]
    kept_features = {names[row]: new for new, row in enumerate(kept.tolist())}
    report(f"kept {len(kept_features)} of {len(names)} features")
    return PerceptronTagger(labels, kept_features, averaged[kept], averaged_transitions, gazetteer)
