"""The shipped tagger: BIO decoding, spans on typical messages, the model file round trip."""

from pathlib import Path

import numpy as np
import pytest

from privacy.ner.recognizer import NerTaggerRecognizer
from privacy.ner.tagger import IMPOSSIBLE, PerceptronTagger, allowed_transitions, viterbi
from privacy.ner.tokens import tokenize
from tests.privacy.ner.conftest import Found


def test_viterbi_never_starts_an_entity_with_inside() -> None:
    labels = ["B-PERSON", "I-PERSON", "O"]
    transitions = np.where(allowed_transitions(labels), 0.0, IMPOSSIBLE)
    # I-PERSON has the best emission everywhere, but may only follow B-PERSON or I-PERSON
    emissions = np.array([[0.0, 5.0, 1.0], [0.0, 5.0, 1.0], [0.0, 5.0, 1.0]])
    assert viterbi(emissions, transitions) == [0, 1, 1]
    emissions[:, 0] = -9.0  # starting a name now costs more than it gains
    assert viterbi(emissions, transitions) == [2, 2, 2]


def test_possessive_is_split_from_the_name_but_inner_apostrophes_stay() -> None:
    assert [t.text for t in tokenize("O'Neil's card")] == ["O'Neil", "'s", "card"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My name is John Smith and I need help", {("John Smith", "PERSON")}),
        (
            "I work at Barclays as a software engineer",
            {("Barclays", "ORGANIZATION"), ("software engineer", "TITLE")},
        ),
        ("I'm in Manchester and my card was declined", {("Manchester", "LOCATION")}),
        (
            "Please send the card to 221 Baker Street, London NW1 6XE",
            {("221 Baker Street, London NW1 6XE", "ADDRESS")},
        ),
        ("Dear Mrs. Okafor,", {("Mrs.", "TITLE"), ("Okafor", "PERSON")}),
    ],
)
def test_finds_typical_entities(found: Found, text: str, expected: set[tuple[str, str]]) -> None:
    assert expected <= found(text)


@pytest.mark.parametrize(
    "text",
    [
        "What is my balance?",
        "I want to transfer 250 pounds to my savings account",
        "How do I reset my PIN?",
        "Please cancel the direct debit",
        # verbs that are also names, account and card names, a plain list of nouns
        "Chase my payment please",
        "Can you chase the refund?",
        "Move 50 pounds into Savings",
        "Can I move money into Savings?",
        "My Visa card was declined",
        "I bought apples, pears, and more",
    ],
)
def test_banking_requests_and_plain_lists_have_no_entities(found: Found, text: str) -> None:
    assert found(text) == set()


def test_spans_do_not_run_into_punctuation(found: Found) -> None:
    text = "Thanks for the help, said Navrátilová."
    spans = found(text)
    assert ("Navrátilová", "PERSON") in spans
    assert all(not value.endswith((".", ",", '"')) for value, _ in spans)


def test_model_file_round_trips(tagger: PerceptronTagger, tmp_path: Path) -> None:
    path = tmp_path / "model.gz"
    tagger.save(path)
    again = PerceptronTagger.load(path)
    text = "Dr. Amelia Fischer of Nordwind Logistics lives at Hauptstraße 5, 10115 Berlin"
    assert again.entities(text) == tagger.entities(text)
    path2 = tmp_path / "model2.gz"
    again.save(path2)
    assert path.read_bytes() == path2.read_bytes()


def test_recognizer_leaves_nationalities_to_the_nrp_recognizer(tagger: PerceptronTagger) -> None:
    recognizer = NerTaggerRecognizer(tagger)
    results = recognizer.analyze("The Russian government met Anna Petrova", entities=[])
    texts = {"The Russian government met Anna Petrova"[r.start : r.end] for r in results}
    assert "Russian" not in texts and "Anna Petrova" in texts
