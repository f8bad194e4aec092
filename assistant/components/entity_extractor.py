"""`AnnotatedEntityExtractor`: DIET for entities, trained only where entities were annotated.

Examples of a source nobody annotated entities in (BANKING77's questions, tagged
``metadata: {source: banking77}`` on their intent blocks) would teach DIET that every amount,
date and account type in them is no entity at all; they also make up most of the NLU data, so
leaving them out keeps entity training as fast as before. Intents come from the transformer
classifier, which does train on them.

    pipeline:
      - name: assistant.components.entity_extractor.AnnotatedEntityExtractor
        unannotated_sources: [banking77]
        intent_classification: false
        entity_recognition: true
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.shared.nlu.constants import METADATA, METADATA_INTENT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

UNANNOTATED_SOURCES = "unannotated_sources"


def source_of(message: Message) -> str | None:
    """The ``source`` of the example's intent block metadata, if any."""
    metadata = message.get(METADATA) or {}
    intent_metadata = metadata.get(METADATA_INTENT) if isinstance(metadata, dict) else None
    return intent_metadata.get("source") if isinstance(intent_metadata, dict) else None


def annotated_only(training_data: TrainingData, unannotated: Collection[str]) -> TrainingData:
    """The training data without the examples of the unannotated sources."""
    kept = [m for m in training_data.training_examples if source_of(m) not in unannotated]
    return TrainingData(
        training_examples=kept,
        entity_synonyms=training_data.entity_synonyms,
        regex_features=training_data.regex_features,
        lookup_tables=training_data.lookup_tables,
        responses=training_data.responses,
    )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class AnnotatedEntityExtractor(DIETClassifier):
    """DIET whose training skips the examples of ``unannotated_sources``."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DIETClassifier.get_default_config(), UNANNOTATED_SOURCES: []}

    def train(self, training_data: TrainingData) -> Resource:
        unannotated = set(self.component_config[UNANNOTATED_SOURCES])
        kept = annotated_only(training_data, unannotated)
        logger.info("entity training on %d of %d examples (skipping sources %s)",
                    len(kept.training_examples), len(training_data.training_examples),
                    sorted(unannotated))
        return super().train(kept)
