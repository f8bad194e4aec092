"""Training: the synthetic sentences, and a small deterministic training run."""

from privacy.ner.gazetteer import Gazetteer
from privacy.ner.synth import SentenceFactory, to_training_example
from privacy.ner.training import train


def test_labels_follow_the_spans() -> None:
    text = "Send it to Ana Lima, 5 Rua Augusta, Lisboa"
    spans = [(11, 19, "PERSON"), (21, 42, "ADDRESS")]
    words, labels = to_training_example(text, spans)
    assert list(zip(words, labels, strict=True))[3:] == [
        ("Ana", "B-PERSON"),
        ("Lima", "I-PERSON"),
        (",", "O"),
        ("5", "B-ADDRESS"),
        ("Rua", "I-ADDRESS"),
        ("Augusta", "I-ADDRESS"),
        (",", "I-ADDRESS"),
        ("Lisboa", "I-ADDRESS"),
    ]


def test_factory_is_reproducible_and_spans_point_at_values() -> None:
    first = [SentenceFactory(seed=3).sentence() for _ in range(1)]
    factory_a, factory_b = SentenceFactory(seed=3), SentenceFactory(seed=3)
    a = [factory_a.sentence() for _ in range(200)]
    b = [factory_b.sentence() for _ in range(200)]
    assert a == b and a[0] == first[0]
    for text, spans in a:
        for start, end, kind in spans:
            assert kind in {"PERSON", "TITLE", "ORGANIZATION", "LOCATION", "ADDRESS"}
            assert text[start:end].strip() == text[start:end] != ""


def test_small_training_run_learns_and_is_deterministic() -> None:
    factory = SentenceFactory(seed=1)
    examples = [to_training_example(*factory.sentence()) for _ in range(600)]
    gazetteer = Gazetteer({"honorific": ["mr", "mrs"]})
    quiet = lambda line: None  # noqa: E731
    one = train(examples, gazetteer, epochs=3, seed=5, progress=quiet)
    two = train(examples, gazetteer, epochs=3, seed=5, progress=quiet)
    assert one.features == two.features
    assert (one.weights == two.weights).all()
    # it fits its own training data far better than chance
    correct = total = 0
    for words, labels in examples[:200]:
        text = " ".join(words)
        predicted = [label for label, _ in one.tag(tokenize_words(text))]
        if len(predicted) == len(labels):
            correct += sum(p == g for p, g in zip(predicted, labels, strict=True))
            total += len(labels)
    assert total and correct / total > 0.9


def tokenize_words(text: str):  # type: ignore[no-untyped-def]
    from privacy.ner.tokens import tokenize

    return tokenize(text)
