"""Placeholder until the tagger is trained."""
from presidio_analyzer import EntityRecognizer


class NerTaggerRecognizer(EntityRecognizer):
    @classmethod
    def from_package(cls):
        return cls(supported_entities=["PERSON"])

    def load(self):
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        return []
