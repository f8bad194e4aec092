"""Places from GeoNames, organisation name forms and sentence ends: the word lists, the
training values and what the shipped tagger finds (or leaves alone) in banking chat."""

import pytest

from privacy import RedactionContext
from privacy.ner.gazetteer import _place_words, fold, geonames_places
from privacy.ner.synth import SentenceFactory
from privacy.ner.tagger import PerceptronTagger
from privacy.redactor import Redactor
from tests.privacy.ner.conftest import Found


def test_fold_removes_accents() -> None:
    assert fold("København") == "Kobenhavn"
    assert fold("Jyväskylä") == "Jyvaskyla"


def test_geonames_has_towns_countries_states_and_counties() -> None:
    places = geonames_places(min_population=15_000)
    assert {"Jyväskylä", "Bydgoszcz", "Curitiba"} <= set(places["city"])
    assert {"Norway", "Kenya", "Africa"} <= set(places["country"])
    assert {"Ohio", "Orange County", "Orange"} <= set(places["state"])


def test_common_words_count_only_as_whole_place_names() -> None:
    common = frozenset({"new", "reading", "bay"})
    words = _place_words(["New York", "Reading", "Montego Bay", "Jyväskylä"], common)
    assert words == {"york", "reading", "montego", "jyväskylä", "jyvaskyla"}


def test_shipped_word_lists_know_towns_in_no_faker_list(tagger: PerceptronTagger) -> None:
    for word in ("jyväskylä", "jyvaskyla", "bydgoszcz", "kumasi"):
        assert "geo" in tagger.gazetteer.classes(word).split("+")


def test_training_places_and_organisations_come_in_many_forms() -> None:
    factory = SentenceFactory(seed=11)
    places = {factory.place("CITY") for _ in range(400)}
    assert places & set(geonames_places(min_population=15_000)["city"])
    organisations = [factory.organization() for _ in range(600)]
    assert any(name.endswith(("& Sons", "& Co.", "& Partners")) for name in organisations)
    assert any(name.startswith("The ") for name in organisations)
    assert any(name[0].isdigit() for name in organisations)
    assert any(name.isupper() and 2 <= len(name) <= 4 for name in organisations)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm in Jyväskylä and my card was declined", {("Jyväskylä", "LOCATION")}),
        ("We flew back to Bydgoszcz on Friday", {("Bydgoszcz", "LOCATION")}),
        ("My card was declined in Trondheim, Norway", {("Trondheim", "LOCATION"), ("Norway", "LOCATION")}),
        ("My cousin lives in Curitiba", {("Curitiba", "LOCATION")}),
        ("we moved to kumasi last year", {("kumasi", "LOCATION")}),
        ("I work for Northwind Analytics Ltd", {("Northwind Analytics Ltd", "ORGANIZATION")}),
        ("The payment went to Hale & Sons", {("Hale & Sons", "ORGANIZATION")}),
        ("Debrecen Savings Bank charged me twice", {("Debrecen Savings Bank", "ORGANIZATION")}),
        ("I shop at Lidl and Aldi", {("Lidl", "ORGANIZATION"), ("Aldi", "ORGANIZATION")}),
        ("Please add Sofia Lindqvist as a payee", {("Sofia Lindqvist", "PERSON")}),
        ("my name is john smith", {("john smith", "PERSON")}),
    ],
)
def test_finds_places_organisations_and_people(
    found: Found, text: str, expected: set[tuple[str, str]]
) -> None:
    assert expected <= found(text)


def test_a_name_ends_at_the_full_stop_of_its_sentence(found: Found) -> None:
    text = "I was born in Lillehammer. It was cold."
    assert found(text) == {("Lillehammer", "LOCATION")}
    # abbreviations and initials keep their full stop inside the name
    assert ("J. R. Smith", "PERSON") in found("Mr. J. R. Smith lives in St. Louis. He is nice")


@pytest.mark.parametrize(
    "text",
    ["Chase my payment please", "Move 50 pounds into Savings", "Pay my Visa bill on Friday"],
)
def test_banking_requests_survive_redaction(redactor: Redactor, text: str) -> None:
    assert redactor.redact(text, RedactionContext()).text == text


def test_places_and_organisations_are_redacted(redactor: Redactor) -> None:
    text = "I moved from Jyväskylä to Bydgoszcz and now work for Northwind Analytics Ltd"
    redacted = redactor.redact(text, RedactionContext()).text
    assert redacted == "I moved from <LOCATION_1> to <LOCATION_2> and now work for <ORGANIZATION_1>"
