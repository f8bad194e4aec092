"""`SentimentAnalyzer`: message sentiment and frustration as a Rasa 3.6 graph component.

It trains on our own labelled customer messages (`nlu_data/sentiment/*.csv`, see
`sentiment_data`), not on the NLU intent data, and writes into every message

    "sentiment": {"label": "negative", "score": 0.93, "scores": {...},
                  "frustration": 0.81, "frustrated": true}

as an output property, so it is part of Rasa's parse data: `/model/parse`, the tracker's
`latest_message` (rules and custom policies read `tracker.latest_message.parse_data`) and
the action server's `tracker.latest_message["sentiment"]`.

    pipeline:
      - name: assistant.components.sentiment_analyzer.SentimentAnalyzer
        training_data: nlu_data/sentiment
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.components.sentiment_data import fingerprint, load_sentiment_examples
from assistant.components.sentiment_model import SentimentModel, train_sentiment_model
from assistant.components.training_config import encoder_dir, training_settings

logger = logging.getLogger(__name__)

SENTIMENT = "sentiment"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class SentimentAnalyzer(GraphComponent):
    """Sentiment (negative / neutral / positive) and a frustration signal for each message."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The component's options; training ones as in `TransformerIntentClassifier`."""
        return {
            "training_data": "nlu_data/sentiment",  # a CSV file or a folder of them
            "encoder": None,
            "epochs": 4,
            "trainable_layers": 6,
            "min_steps": 120,
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
            "max_chars": 1000,
        }

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrains when the sentiment CSVs change (Rasa does not see them as training data)."""
        merged = {**cls.get_default_config(), **config}
        try:
            return fingerprint(merged["training_data"])
        except Exception:  # noqa: BLE001 - a missing file is reported by train()
            return None

    @staticmethod
    def required_packages() -> list[str]:
        """Python packages the component needs."""
        return ["torch", "transformers", "onnxruntime", "onnx", "tokenizers", "sklearn"]

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: SentimentModel | None = None) -> None:
        """Holds the configuration and, once trained or loaded, the model."""
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SentimentAnalyzer:
        """Creates an untrained component."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Trains on the sentiment CSVs (the NLU training data is not used)."""
        examples = load_sentiment_examples(self.config["training_data"])
        logger.info("SentimentAnalyzer: training on %d labelled messages", len(examples))
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            train_sentiment_model(
                encoder_dir(self.config["encoder"]), [e.text for e in examples],
                [e.sentiment for e in examples], [e.frustrated for e in examples],
                training_settings(self.config), folder, quantize=bool(self.config["quantize"]))
            with self._model_storage.write_to(self._resource) as directory:
                for file in folder.iterdir():
                    (directory / file.name).write_bytes(file.read_bytes())
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> SentimentAnalyzer:
        """Loads the trained model from the model storage (untrained if there is none)."""
        merged = {**cls.get_default_config(), **config}
        try:
            with model_storage.read_from(resource) as directory:
                model = SentimentModel.load(directory, threads=int(merged["inference_threads"]),
                                            max_chars=int(merged["max_chars"]))
        except ValueError:
            logger.warning("SentimentAnalyzer: no trained model in %s", resource.name)
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, model)

    def process(self, messages: list[Message]) -> list[Message]:
        """Sets the `sentiment` output property on each message."""
        if self._model is None or not messages:
            return messages
        results = self._model.analyse([message.get(TEXT) or "" for message in messages])
        for message, result in zip(messages, results, strict=True):
            message.set(SENTIMENT, result.as_dict(), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leaves the training data unchanged (sentiment is not a training feature)."""
        return training_data
