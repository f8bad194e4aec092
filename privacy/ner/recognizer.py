"""Presidio recognizer around our tagger: persons, organisations, places, titles, addresses."""

from pathlib import Path

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from privacy.entities import Entity
from privacy.errors import ConfigurationError
from privacy.ner.tagger import PerceptronTagger
from privacy.recognizers.nrp import NATIONALITIES, NATIONALITY_PLURALS, RELIGIONS

# Nationalities and religions are the NrpRecognizer's: a tagger span of one such word is
# dropped ("the Russian government" is not a place).
_NRP_WORDS = frozenset(NATIONALITIES + NATIONALITY_PLURALS + RELIGIONS)

MODEL_PATH = Path(__file__).with_name("tagger_model.gz")
TAGGER_ENTITIES = [
    Entity.PERSON.value,
    Entity.ORGANIZATION.value,
    Entity.LOCATION.value,
    Entity.ADDRESS.value,
    Entity.TITLE.value,
]


class NerTaggerRecognizer(EntityRecognizer):
    """Runs the perceptron tagger over the whole text (it needs no NLP artifacts).

    Args:
        tagger: a trained tagger; see :meth:`from_package` for the shipped one.
    """

    def __init__(self, tagger: PerceptronTagger) -> None:
        self._tagger = tagger
        super().__init__(supported_entities=TAGGER_ENTITIES, name="NerTaggerRecognizer")

    @classmethod
    def from_package(cls, path: Path = MODEL_PATH) -> "NerTaggerRecognizer":
        """Loads the weights shipped with the package.

        Raises:
            ConfigurationError: the model file is missing (run ``python -m privacy.ner.train``).
        """
        if not path.exists():
            raise ConfigurationError(f"tagger model not found at {path}: run `python -m privacy.ner.train`")
        return cls(PerceptronTagger.load(path))

    def load(self) -> None:
        """Nothing to load: the tagger is passed in."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Tags ``text`` and returns the requested entity types."""
        wanted = set(entities) if entities else set(TAGGER_ENTITIES)
        return [
            RecognizerResult(
                entity_type=kind,
                start=start,
                end=end,
                score=score,
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: "NerTaggerRecognizer",
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            )
            for start, end, kind, score in self._tagger.entities(text)
            if kind in wanted and text[start:end].lower() not in _NRP_WORDS
        ]
