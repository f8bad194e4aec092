"""Whole names around a tagger span, and tagger spans that are no names."""

import pytest

from privacy.ner.full_names import full_name
from privacy.ner.recognizer import NerTaggerRecognizer
from privacy.ner.tagger import PerceptronTagger


@pytest.mark.parametrize(
    ("text", "tagged", "name"),
    [
        ("please change it to Anu K. Tamberg", "Anu", "Anu K. Tamberg"),
        ("the assistant to Marek Zielonka, then", "Marek", "Marek Zielonka"),
        ("a song by Gerda ten Bos", "Bos", "Gerda ten Bos"),
        ("send it to Justin Thanks", "Justin", "Justin"),
        ("I paid Justin. Then", "Justin", "Justin"),
        ("ask Maria Today", "Maria", "Maria"),
    ],
)
def test_a_person_span_widens_to_the_whole_name(
    tagger: PerceptronTagger, text: str, tagged: str, name: str
) -> None:
    start = text.index(tagged)
    found = full_name(text, start, start + len(tagged), tagger.gazetteer)
    assert text[found[0] : found[1]] == name


@pytest.mark.parametrize(
    ("text", "value", "plain"),
    [
        ("A tune made better by a banjo solo (not by Jo Li).", "banjo solo", True),
        ("My contactless is non-functional.", "non-functional", True),
        ("Please send it to john", "john", False),
        ("i want to pay nijito", "nijito", False),
        ("I want to pay nijito", "nijito", False),
    ],
)
def test_lower_case_words_in_a_capitalised_text_are_no_names(
    tagger: PerceptronTagger, text: str, value: str, plain: bool
) -> None:
    recognizer = NerTaggerRecognizer(tagger)
    start = text.index(value)
    assert recognizer._plain_words(text, start, start + len(value)) is plain


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Title IX of the Education Amendments applies here", "IX"),
        ("I am from X but am traveling to Y - how do I get currency for Y?", "Y"),
    ],
)
def test_a_letter_or_a_roman_numeral_is_no_name(tagger: PerceptronTagger, text: str, value: str) -> None:
    assert value in {found for found, _ in _tagged(tagger, text)}, "the tagger alone takes it for a name"
    found = NerTaggerRecognizer(tagger).analyze(text, [])
    assert value not in [text[r.start : r.end] for r in found]


def _tagged(tagger: PerceptronTagger, text: str) -> set[tuple[str, str]]:
    return {(text[start:end], kind) for start, end, kind, _ in tagger.entities(text)}
