"""The PII benchmark's scoring: IoU matching, type mapping, F2."""

from collections import defaultdict

from bench.pii import DATASET_TO_OURS, OURS_TO_DATASET, Counts, Labelled, covered, iou, score_sample


def test_iou_ignores_edge_punctuation() -> None:
    text = "at 221 Baker Street, London"
    assert iou(text, Labelled(3, 19, "X"), Labelled(3, 20, "Y")) == 1.0


def test_matching_is_by_mapped_type_and_overlap() -> None:
    text = "John Smith paid 4111111111111111"
    gold = [Labelled(0, 10, "PERSON"), Labelled(16, 32, "CREDIT_CARD")]
    predicted = [Labelled(0, 4, "PERSON"), Labelled(16, 32, "CARD"), Labelled(5, 10, "NUMBER")]
    counts: dict[str, Counts] = defaultdict(Counts)
    score_sample(text, gold, predicted, OURS_TO_DATASET, counts)
    assert (counts["CREDIT_CARD"].tp, counts["PERSON"].tp, counts["PERSON"].fn, counts["PERSON"].fp) == (
        1,
        0,
        1,
        1,
    )
    assert counts["OTHER"].fp == 1


def test_f2_weighs_recall() -> None:
    metrics = Counts(tp=8, fp=8, fn=2).metrics()
    assert metrics["precision"] == 0.5 and metrics["recall"] == 0.8 and 0.71 < metrics["f2"] < 0.72


def test_every_dataset_type_is_mapped() -> None:
    assert {
        "PERSON",
        "STREET_ADDRESS",
        "GPE",
        "ORGANIZATION",
        "DATE_TIME",
        "TITLE",
        "AGE",
        "NRP",
        "ZIP_CODE",
        "DOMAIN_NAME",
        "US_DRIVER_LICENSE",
    } <= set(DATASET_TO_OURS)


def test_coverage_counts_what_redaction_hides_whatever_the_type_or_extent() -> None:
    text = "send it to 28245 Puruntie 82 Apt. 595 please"
    house, street = Labelled(11, 16, "STREET_ADDRESS"), Labelled(17, 28, "STREET_ADDRESS")
    whole = [Labelled(11, 37, "ADDRESS")]  # one redaction over the pieces the labels split
    assert covered(text, house, whole) and covered(text, street, whole)
    assert iou(text, street, whole[0]) < 0.9, "the typed one-to-one match counts it as missed"
    assert not covered(text, street, [Labelled(17, 25, "LOCATION")]), "'82' would be left raw"
    assert not covered(text, Labelled(11, 11, "X"), whole), "an empty span is never covered"


def test_span_counts_are_entity_agnostic() -> None:
    from bench.pii import SpanCounts

    text = "pay Wei Nguyen from 20-32-06 51473538"
    gold = [Labelled(4, 14, "PERSON"), Labelled(20, 28, "UK_SORT_CODE"), Labelled(29, 37, "US_BANK_NUMBER")]
    predicted = [Labelled(4, 14, "LOCATION"), Labelled(20, 37, "CARD"), Labelled(0, 3, "PERSON")]
    counts = SpanCounts()
    counts.add(text, gold, predicted)
    metrics = counts.metrics()
    assert metrics["recall"] == 1.0, "each labelled span is hidden, whatever the type"
    assert metrics["precision"] == round(2 / 3, 4), "'pay' is no personal data"
    assert metrics["char_coverage"] == 1.0


def test_over_redaction_counts_messages_touched() -> None:
    from bench.pii import over_redaction

    def predict(text: str) -> list[Labelled]:
        return [Labelled(0, 3, "PERSON")] if text.startswith("Wei") else []

    result = over_redaction(["Wei here", "what is my balance", "top up please", "Wei again"], predict)
    assert (result["touched"], result["messages"], result["rate"]) == (2, 4, 0.5)


def test_clean_sets_read_lines_or_a_csv_text_column(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bench.pii import read_clean

    (tmp_path / "a.txt").write_text("one\n\ntwo\n")
    (tmp_path / "b.csv").write_text('text,category\n"multi\nline",x\nplain,y\n')
    assert read_clean(tmp_path / "a.txt") == ["one", "two"]
    assert read_clean(tmp_path / "b.csv") == ["multi\nline", "plain"]
