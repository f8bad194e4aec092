"""Builds the Presidio AnalyzerEngine: our recognizers on an offline NLP engine.

Two set-ups, chosen by ``PRIVACY_NLP_ENGINE`` (measured with ``bench/pii.py``):

* ``tagger`` (default): Presidio's no-op NLP engine and our perceptron NER
  (:mod:`privacy.ner`) for names, organisations, places, job titles and addresses.
* ``spacy``: the spaCy pipeline ``PRIVACY_SPACY_MODEL`` loaded through Presidio's
  ``NlpEngineProvider``; its NER feeds Presidio's ``SpacyRecognizer``.
"""

import logging

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngineProvider
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from privacy.entities import Entity
from privacy.recognizers import pattern_recognizers
from privacy.settings import PrivacySettings

LANGUAGE = "en"
# spaCy labels to our entity types (used by the ``spacy`` engine only).
SPACY_LABELS = {
    "PERSON": Entity.PERSON.value,
    "ORG": Entity.ORGANIZATION.value,
    "GPE": Entity.LOCATION.value,
    "LOC": Entity.LOCATION.value,
    "FAC": Entity.LOCATION.value,
    "NORP": Entity.NRP.value,
}


class FixedRecognizerRegistry(RecognizerRegistry):
    """A registry that remembers which recognizers serve a request.

    Presidio filters its recognizer list for every message (entities x recognizers); our
    list is fixed once the analyzer is built, so the answer is kept per request shape.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._chosen: dict[tuple[str, tuple[str, ...] | None, bool], list[EntityRecognizer]] = {}

    def add_recognizer(self, recognizer: EntityRecognizer) -> None:
        """Adds a recognizer and forgets the remembered choices."""
        self._chosen = {}
        super().add_recognizer(recognizer)

    def remove_recognizer(self, *args: object, **kwargs: object) -> None:
        """Removes a recognizer and forgets the remembered choices."""
        self._chosen = {}
        super().remove_recognizer(*args, **kwargs)  # type: ignore[arg-type]

    def get_recognizers(
        self,
        language: str,
        entities: list[str] | None = None,
        all_fields: bool = False,
        ad_hoc_recognizers: list[EntityRecognizer] | None = None,
    ) -> list[EntityRecognizer]:
        """Presidio's choice of recognizers, remembered when no ad-hoc ones are given."""
        if ad_hoc_recognizers:
            return super().get_recognizers(language, entities, all_fields, ad_hoc_recognizers)
        key = (language, tuple(entities) if entities is not None else None, all_fields)
        if key not in self._chosen:
            self._chosen[key] = super().get_recognizers(language, entities, all_fields)
        return list(self._chosen[key])


class OwnContextAnalyzerEngine(AnalyzerEngine):
    """An AnalyzerEngine that leaves context to our recognizers.

    Our recognizers already raise their scores by the words around a match
    (:class:`privacy.recognizers.base.BankingPatternRecognizer`); Presidio's own enhancer
    needs lemmas from a spaCy pipeline and would only cost time.
    """

    def _enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        return raw_results


def quiet_third_party_loggers() -> None:
    """Silences loggers that are noisy or try the network (tldextract fetches a suffix list)."""
    for name in ("tldextract", "presidio-analyzer", "filelock"):
        logging.getLogger(name).setLevel(logging.ERROR)


def nlp_configuration(settings: PrivacySettings) -> dict[str, object]:
    """The ``NlpEngineProvider`` configuration of the chosen engine."""
    model = {"lang_code": LANGUAGE, "model_name": settings.spacy_model}
    if settings.nlp_engine == "spacy":
        return {
            "nlp_engine_name": "spacy",
            "models": [model],
            "ner_model_configuration": {
                "model_to_presidio_entity_mapping": SPACY_LABELS,
                "labels_to_ignore": ["DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENT"],
            },
        }
    return {"nlp_engine_name": "no_op", "models": [model]}


def build_analyzer(settings: PrivacySettings) -> AnalyzerEngine:
    """Returns an AnalyzerEngine with our recognizers only (no Presidio defaults).

    Args:
        settings: which NLP engine, the spaCy model, the score threshold.
    """
    quiet_third_party_loggers()
    nlp_engine = NlpEngineProvider(nlp_configuration=nlp_configuration(settings)).create_engine()
    registry = FixedRecognizerRegistry(supported_languages=[LANGUAGE])
    for recognizer in pattern_recognizers():
        registry.add_recognizer(recognizer)
    if settings.nlp_engine == "spacy":
        registry.add_recognizer(SpacyRecognizer(supported_entities=sorted(set(SPACY_LABELS.values()))))
    else:
        from privacy.ner.recognizer import NerTaggerRecognizer

        registry.add_recognizer(NerTaggerRecognizer.from_package())
    return OwnContextAnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[LANGUAGE],
        default_score_threshold=settings.score_threshold,
    )
