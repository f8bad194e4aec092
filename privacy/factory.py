"""Builds the Redactor from settings (the only place that loads Presidio and models)."""

from functools import lru_cache
from typing import TYPE_CHECKING

from privacy.keys import KeyRing
from privacy.redactor import NameEvidence, Redactor
from privacy.settings import PrivacySettings

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine


def build_redactor(settings: PrivacySettings | None = None, keys: KeyRing | None = None) -> Redactor:
    """Returns a Redactor; the analyzer is built once per settings and shared.

    Args:
        settings: defaults to ``PrivacySettings()`` (environment variables).
        keys: defaults to ``KeyRing.from_settings(settings)``.
    """
    settings = settings or PrivacySettings()
    keys = keys or KeyRing.from_settings(settings)
    analyzer = _analyzer(settings.nlp_engine, settings.spacy_model, settings.score_threshold)
    return Redactor(analyzer, settings, keys.placeholder_key, names=_name_evidence(analyzer))


@lru_cache(maxsize=4)
def _analyzer(nlp_engine: str, spacy_model: str, score_threshold: float) -> "AnalyzerEngine":
    from privacy.analyzer import build_analyzer

    settings = PrivacySettings.model_validate(
        {"nlp_engine": nlp_engine, "spacy_model": spacy_model, "score_threshold": score_threshold}
    )
    return build_analyzer(settings)


def _name_evidence(analyzer: "AnalyzerEngine") -> NameEvidence | None:
    """The analyzer's tagger recognizer, whose word lists tell a name from the shape of one
    (none with the ``spacy`` engine)."""
    from privacy.ner.recognizer import NerTaggerRecognizer

    return next((r for r in analyzer.registry.recognizers if isinstance(r, NerTaggerRecognizer)), None)
