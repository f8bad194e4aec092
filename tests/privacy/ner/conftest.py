"""The shipped tagger, loaded once, and what it finds in a text."""

from collections.abc import Callable

import pytest

from privacy.ner.recognizer import MODEL_PATH
from privacy.ner.tagger import PerceptronTagger

Found = Callable[[str], set[tuple[str, str]]]


@pytest.fixture(scope="session")
def tagger() -> PerceptronTagger:
    """The model shipped in the package."""
    return PerceptronTagger.load(MODEL_PATH)


@pytest.fixture(scope="session")
def found(tagger: PerceptronTagger) -> Found:
    """The (text, entity type) pairs the shipped tagger finds in a text."""
    def entities(text: str) -> set[tuple[str, str]]:
        return {(text[start:end], kind) for start, end, kind, _ in tagger.entities(text)}

    return entities
