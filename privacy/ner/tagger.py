"""A structured-perceptron sequence tagger: BIO labels decoded with Viterbi.

Each token gets a score per label from its features (:mod:`privacy.ner.features`), each
pair of neighbouring labels a transition score, and Viterbi picks the best label sequence
that is valid BIO (an ``I-X`` only after ``B-X`` or ``I-X``). It runs in about a
millisecond per message on one core. Trained by :mod:`privacy.ner.training`.

The model file is gzip: one JSON line (labels, feature names, transitions, word lists)
followed by the emission weights as little-endian float16, one row per feature.
"""

import gzip
import json
import math
from collections.abc import Callable
from functools import partial
from operator import is_not
from pathlib import Path
from typing import TypeGuard, cast

import numpy as np

from privacy.errors import ConfigurationError
from privacy.ner.features import sentence_features
from privacy.ner.gazetteer import Gazetteer
from privacy.ner.tokens import Token, tokenize

OUTSIDE = "O"
# a C-level "is not None" for filter() (a Python predicate would cost more than the lookups)
_known = cast(Callable[[int | None], TypeGuard[int]], partial(is_not, None))
IMPOSSIBLE = -1e9
# Punctuation and line breaks are never the first or last token of an entity.
_EDGE_TOKENS = frozenset({"\n", ",", "-", ".", ":", ";", "(", ")", '"', "'", ">", "|", "/", "&"})
# ... except the full stop of an abbreviation ("Mrs.", "Ltd.", "Jr.").
_ABBREVIATIONS = frozenset("mr mrs ms dr prof rev fr mx st jr sr ltd inc co corp bros ave rd apt no".split())
# Names end at a sentence's full stop ("... in Recife. It was ..."); addresses may go on
# ("Apt. 5", "u. 12.").
_ENDS_AT_SENTENCE = frozenset({"PERSON", "LOCATION", "ORGANIZATION", "TITLE"})


def allowed_transitions(labels: list[str]) -> np.ndarray:
    """(len+1, len) mask of valid BIO moves; the last row is the sentence start."""
    size = len(labels)
    allowed = np.ones((size + 1, size), dtype=bool)
    for to_index, to_label in enumerate(labels):
        if not to_label.startswith("I-"):
            continue
        entity = to_label[2:]
        for from_index in range(size + 1):
            source = labels[from_index] if from_index < size else OUTSIDE
            allowed[from_index, to_index] = source in {"B-" + entity, "I-" + entity}
    return allowed


def viterbi(emissions: np.ndarray, transitions: np.ndarray) -> list[int]:
    """Best label index per token.

    Args:
        emissions: (tokens, labels) scores.
        transitions: (labels + 1, labels) scores, invalid moves at ``IMPOSSIBLE``; the
            last row scores the first token's label.
    """
    count = emissions.shape[0]
    if count == 0:
        return []
    step = transitions[:-1]
    score = transitions[-1] + emissions[0]
    back = np.empty((count, emissions.shape[1]), dtype=np.int32)
    for index in range(1, count):
        candidates = score[:, None] + step
        back[index] = candidates.argmax(axis=0)
        score = candidates.max(axis=0) + emissions[index]
    best = [int(score.argmax())]
    for index in range(count - 1, 0, -1):
        best.append(int(back[index, best[-1]]))
    best.reverse()
    return best


class PerceptronTagger:
    """Tags tokens with BIO labels.

    Args:
        labels: every label, ``O`` included.
        features: feature name -> row of ``weights``.
        weights: (features, labels) emission weights.
        transitions: (labels + 1, labels) transition weights (last row: sentence start).
        gazetteer: the word lists the features look words up in.
    """

    def __init__(
        self,
        labels: list[str],
        features: dict[str, int],
        weights: np.ndarray,
        transitions: np.ndarray,
        gazetteer: Gazetteer,
    ) -> None:
        self.labels = labels
        self.features = features
        self.weights = weights.astype(np.float32, copy=False)
        self.transitions = np.where(allowed_transitions(labels), transitions, IMPOSSIBLE).astype(np.float32)
        self.gazetteer = gazetteer
        self._outside = labels.index(OUTSIDE)

    def emissions(self, words: list[str]) -> np.ndarray:
        """(tokens, labels) emission scores of a token sequence."""
        classes = [self.gazetteer.classes(w.lower()) for w in words]
        rows: list[int] = []
        offsets: list[int] = []
        lookup = self.features.get
        for token_features in sentence_features(words, classes):
            offsets.append(len(rows))
            rows.extend(filter(_known, map(lookup, token_features)))
        # every token has the bias feature "b", so no token's segment is empty
        return np.add.reduceat(self.weights[rows], offsets, axis=0)

    def tag(self, tokens: list[Token]) -> list[tuple[str, float]]:
        """(label, margin over ``O``) per token."""
        if not tokens:
            return []
        emissions = self.emissions([t.text for t in tokens])
        path = viterbi(emissions, self.transitions)
        return [
            (self.labels[label], float(emissions[index, label] - emissions[index, self._outside]))
            for index, label in enumerate(path)
        ]

    def entities(self, text: str) -> list[tuple[int, int, str, float]]:
        """(start, end, type, confidence) of each entity in ``text``."""
        tokens = tokenize(text)
        found = []
        current: list[int] = []
        margins: list[float] = []
        current_type = ""
        for index, (label, margin) in enumerate([*self.tag(tokens), (OUTSIDE, 0.0)]):
            kind, _, entity = label.partition("-")
            if current and (kind != "I" or entity != current_type):
                span = _span(tokens, current, current_type, margins)
                if span:
                    found.append(span)
                current, margins = [], []
            if kind in {"B", "I"}:
                if not current:
                    current_type = entity
                current.append(index)
                margins.append(margin)
        return found

    @classmethod
    def load(cls, path: Path) -> "PerceptronTagger":
        """Reads a model written by :meth:`save`.

        Raises:
            ConfigurationError: the file is not a model of this format.
        """
        with gzip.open(path, "rb") as handle:
            raw = handle.read()
        header_end = raw.find(b"\n")
        try:
            header = json.loads(raw[:header_end])
            features = header["features"]
            weights = np.frombuffer(raw[header_end + 1 :], dtype="<f2").reshape(len(features), -1)
        except (ValueError, KeyError) as error:
            raise ConfigurationError(
                f"{path} is not a tagger model: retrain with `python -m privacy.ner.train`"
            ) from error
        return cls(
            header["labels"],
            {name: row for row, name in enumerate(features)},
            weights,
            np.asarray(header["transitions"], dtype=np.float32),
            Gazetteer.from_dict(header["gazetteer"]),
        )

    def save(self, path: Path) -> None:
        """Writes the model (deterministic bytes for the same weights)."""
        names = sorted(self.features, key=self.features.__getitem__)
        transitions = np.where(self.transitions <= IMPOSSIBLE / 2, 0.0, self.transitions)
        header = {
            "labels": self.labels,
            "features": names,
            "transitions": np.round(transitions, 3).tolist(),
            "gazetteer": self.gazetteer.to_dict(),
        }
        with (
            path.open("wb") as raw,
            gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as handle,
        ):
            handle.write(json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
            handle.write(b"\n")
            handle.write(self.weights.astype("<f2").tobytes())


def _span(
    tokens: list[Token], indices: list[int], entity: str, margins: list[float]
) -> tuple[int, int, str, float] | None:
    """A span without edge punctuation, its confidence from the mean margin over ``O``."""
    keep = list(range(len(indices)))
    if entity in _ENDS_AT_SENTENCE:
        for position, index in enumerate(indices):
            if _sentence_stop(tokens, index):
                keep = keep[:position]
                break
    while keep and _edge(tokens, indices[keep[-1]]) and not _abbreviation_stop(tokens, indices[keep[-1]]):
        keep.pop()
    while keep and _edge(tokens, indices[keep[0]]):
        keep.pop(0)
    if not keep:
        return None
    first, last = indices[keep[0]], indices[keep[-1]]
    mean = sum(margins[k] for k in keep) / len(keep)
    confidence = 0.5 + 0.45 * (1.0 - math.exp(-max(mean, 0.0) / 4.0))
    return tokens[first].start, tokens[last].end, entity, round(confidence, 3)


def _edge(tokens: list[Token], index: int) -> bool:
    """Punctuation, or a lone character that is no initial ("ג" of a mangled dash)."""
    text = tokens[index].text
    return text in _EDGE_TOKENS or (len(text) == 1 and not ("A" <= text <= "Z" or text.isdigit()))


def _sentence_stop(tokens: list[Token], index: int) -> bool:
    """A full stop that ends a sentence: after a word of two or more letters that is no
    abbreviation, and followed by a space and more text ("Recife. It")."""
    if tokens[index].text not in {".", "!", "?"} or index == 0 or index + 1 >= len(tokens):
        return False
    before, after = tokens[index - 1], tokens[index + 1]
    return (
        after.start > tokens[index].end
        and len(before.text) > 1
        and before.text.lower() not in _ABBREVIATIONS
        and not (before.text.isupper() and len(before.text) <= 3)
    )


def _abbreviation_stop(tokens: list[Token], index: int) -> bool:
    """True for a full stop written straight after an abbreviation ("Mrs.")."""
    if tokens[index].text != "." or index == 0:
        return False
    before = tokens[index - 1]
    return before.end == tokens[index].start and before.text.lower() in _ABBREVIATIONS
