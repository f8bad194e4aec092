"""The PII benchmark's scoring: IoU matching, type mapping, F2."""

from collections import defaultdict

from bench.pii import DATASET_TO_OURS, OURS_TO_DATASET, Counts, Labelled, covered, iou, score_sample


def test_iou_ignores_edge_punctuation() -> None:
    text = "at 221 Baker Street, London"
    assert iou(text, Labelled(3, 19, "X"), Labelled(3, 20, "Y")) == 1.0


def test_matching_is_by_mapped_type_and_overlap() -> None:
    text = "John Smith paid 4111111111111111"
    gold = [Labelled(0, 10, "PERSON"), Labelled(16, 32, "CREDIT_CARD")]
    predicted = [Labelled(0, 4, "PERSON"), Labelled(16, 32, "CARD"), Labelled(5, 10, "SORT_CODE")]
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
