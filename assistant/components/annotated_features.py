"""Sparse featurizers whose vocabulary comes only from the examples the entity extractor
trains on.

Their features feed only `AnnotatedEntityExtractor`, which skips the unannotated sources
(BANKING77). A vocabulary learnt from those sources too would give the extractor input weights
it never trained, and at parse time a word seen only there would fire them at random (a
"want" read as feedback, a "this" as a date). Every message is still featurized.

    pipeline:
      - name: assistant.components.annotated_features.AnnotatedCountVectorsFeaturizer
        unannotated_sources: [banking77]
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.featurizers.sparse_featurizer.lexical_syntactic_featurizer import (
    LexicalSyntacticFeaturizer,
)
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.components.entity_extractor import UNANNOTATED_SOURCES, annotated_only


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class AnnotatedCountVectorsFeaturizer(CountVectorsFeaturizer):
    """Rasa's CountVectorsFeaturizer with a vocabulary from the annotated sources only."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**CountVectorsFeaturizer.get_default_config(), UNANNOTATED_SOURCES: []}

    def train(self, training_data: TrainingData, model: Any = None) -> Resource:
        kept = annotated_only(training_data, set(self._config[UNANNOTATED_SOURCES]))
        return super().train(kept, model)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class AnnotatedLexicalSyntacticFeaturizer(LexicalSyntacticFeaturizer):
    """Rasa's LexicalSyntacticFeaturizer with features from the annotated sources only."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**LexicalSyntacticFeaturizer.get_default_config(), UNANNOTATED_SOURCES: []}

    def train(self, training_data: TrainingData) -> Resource:
        kept = annotated_only(training_data, set(self._config[UNANNOTATED_SOURCES]))
        return super().train(kept)
