"""The analyzer set-up: the registry that remembers its choice of recognizers."""

from presidio_analyzer import Pattern, PatternRecognizer

from privacy.analyzer import FixedRecognizerRegistry, build_analyzer
from privacy.settings import PrivacySettings


def test_registry_remembers_its_choice_until_a_recognizer_is_added() -> None:
    registry = FixedRecognizerRegistry(supported_languages=["en"])
    first = PatternRecognizer("FIRST", patterns=[Pattern("a", r"\bAAA\b", 0.9)])
    registry.add_recognizer(first)
    assert registry.get_recognizers("en", ["FIRST"]) == [first]
    assert registry.get_recognizers("en", all_fields=True) == [first]
    second = PatternRecognizer("SECOND", patterns=[Pattern("b", r"\bBBB\b", 0.9)])
    registry.add_recognizer(second)
    assert registry.get_recognizers("en", all_fields=True) == [first, second]


def test_built_analyzer_finds_a_name_and_a_card() -> None:
    analyzer = build_analyzer(PrivacySettings(environment="test"))
    text = "I'm Maria Gonzalez, card 4111 1111 1111 1111"
    found = {(text[r.start : r.end], r.entity_type) for r in analyzer.analyze(text, language="en")}
    assert {("Maria Gonzalez", "PERSON"), ("4111 1111 1111 1111", "CARD")} <= found
