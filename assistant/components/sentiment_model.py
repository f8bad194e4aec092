"""The sentiment model: a fine-tuned MiniLM (ONNX, int8) with a frustration head.

`train_sentiment_model` fine-tunes the encoder on negative / neutral / positive labels,
exports it, then fits a logistic-regression frustration head on the fine-tuned sentence
embeddings. `SentimentModel` runs both with ONNX Runtime. Bad input (see
`input_quality`) is pulled towards neutral with no frustration.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.components.input_quality import InputQualityRules, input_quality
from assistant.components.onnx_text_classifier import OnnxTextClassifier
from assistant.components.training_config import TrainingSettings

FRUSTRATION_FILE = "frustration.json"
NEUTRAL = "neutral"


@dataclass(frozen=True)
class SentimentResult:
    """The sentiment of one message, as written into Rasa's parse data.

    Attributes:
        label: negative, neutral or positive (the labels the model was trained on).
        score: The probability of `label`.
        scores: The probability of each label.
        frustration: Probability that the customer is frustrated or angry.
        frustrated: `frustration` at or above the model's threshold.
    """

    label: str
    score: float
    scores: dict[str, float]
    frustration: float
    frustrated: bool

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


class SentimentModel:
    """Sentiment classifier and frustration head over one ONNX encoder."""

    def __init__(self, classifier: OnnxTextClassifier, frustration: dict[str, Any],
                 rules: InputQualityRules) -> None:
        """Use `load` to read a trained model folder."""
        self.classifier = classifier
        self._weights = np.asarray(frustration.get("weights", []), dtype=np.float32)
        self._bias = float(frustration.get("bias", 0.0))
        self._threshold = float(frustration.get("threshold", 0.5))
        self._rules = rules

    @classmethod
    def load(cls, directory: Path, threads: int = 1, max_chars: int = 1000) -> SentimentModel:
        """Loads a folder written by `train_sentiment_model`."""
        frustration_file = directory / FRUSTRATION_FILE
        frustration = (json.loads(frustration_file.read_text(encoding="utf-8"))
                       if frustration_file.exists() else {})
        rules = InputQualityRules(max_chars=max_chars,
                                  known_words=frozenset(frustration.get("known_words", [])))
        return cls(OnnxTextClassifier.load(directory, threads=threads), frustration, rules)

    def analyse(self, texts: Sequence[str]) -> list[SentimentResult]:
        """The sentiment of each text."""
        prediction = self.classifier.predict(texts)
        labels = self.classifier.labels
        neutral = np.asarray([1.0 if label == NEUTRAL else 0.0 for label in labels])
        results = []
        for row, text in enumerate(texts):
            quality = input_quality(text, self._rules)
            probabilities = quality * prediction.probabilities[row] + (1.0 - quality) * neutral
            if not neutral.any():
                probabilities = prediction.probabilities[row]
            best = int(np.argmax(probabilities))
            frustration = quality * self._frustration(prediction.embeddings[row])
            results.append(SentimentResult(
                label=labels[best],
                score=round(float(probabilities[best]), 4),
                scores={label: round(float(p), 4) for label, p in zip(labels, probabilities,
                                                                      strict=True)},
                frustration=round(frustration, 4),
                frustrated=frustration >= self._threshold,
            ))
        return results

    def _frustration(self, embedding: np.ndarray) -> float:
        if self._weights.size == 0:
            return 0.0
        return float(1.0 / (1.0 + np.exp(-(embedding @ self._weights + self._bias))))


def train_sentiment_model(encoder_dir: Path, texts: Sequence[str], labels: Sequence[str],
                          frustrated: Sequence[bool] | None, settings: TrainingSettings,
                          directory: Path, quantize: bool = True) -> None:
    """Trains the sentiment classifier and the frustration head into `directory`.

    Args:
        encoder_dir: The pre-trained encoder's folder.
        texts: Training messages.
        labels: Their sentiment labels.
        frustrated: Whether each message is frustrated or angry; None or a single class
            trains no frustration head (frustration is then always 0).
        settings: How to fine-tune.
        directory: The model folder to write.
        quantize: Quantise the encoder to int8.
    """
    from sklearn.linear_model import LogisticRegression

    from assistant.components.onnx_export import train_bundle

    train_bundle(encoder_dir, texts, labels, settings, directory, quantize=quantize)
    known_words = sorted(InputQualityRules.from_texts(texts).known_words)
    frustration: dict[str, Any] = {"known_words": known_words}
    if frustrated is not None and len(set(frustrated)) == 2:
        classifier = OnnxTextClassifier.load(directory, threads=settings.threads)
        embeddings = classifier.predict(texts).embeddings
        head = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000,
                                  random_state=settings.seed)
        head.fit(embeddings, np.asarray(frustrated, dtype=int))
        frustration.update({"weights": head.coef_[0].tolist(),
                            "bias": float(head.intercept_[0]), "threshold": 0.5})
    (directory / FRUSTRATION_FILE).write_text(json.dumps(frustration), encoding="utf-8")
