"""Address blocks: a street line and the town, region, country and code written after it."""

import pytest

from privacy.address_blocks import block_end, block_start, cut_at_structured, join_addresses
from privacy.entities import Entity
from privacy.redactor import Detection


def _at(text: str, value: str, entity_type: str = Entity.ADDRESS) -> Detection:
    start = text.index(value)
    return Detection(start, start + len(value), entity_type, 0.9, "test")


@pytest.mark.parametrize(
    ("text", "street", "block"),
    [
        ("to 14 Akti Street Suite 3 Limassol Cyprus", "14 Akti Street", "Suite 3 Limassol Cyprus"),
        ("8 Lark Ct Apt. 12\nDunmore\n, PA\n 18512", "8 Lark Ct", "Apt. 12\nDunmore\n, PA\n 18512"),
        ("12 Elm St\nSanta Cruz do Sul, RS 96810, and more", "12 Elm St", "\nSanta Cruz do Sul, RS 96810"),
        ("2 Rue X\n Apt 4\n Lyon\n France 69001\n082 490 169", "2 Rue X", "\n Apt 4\n Lyon\n France 69001"),
    ],
)
def test_the_block_after_a_street_is_part_of_the_address(text: str, street: str, block: str) -> None:
    found = _at(text, street)
    assert text[found.end : block_end(text, found.end)].lstrip(" ") == block


@pytest.mark.parametrize(
    ("text", "street"),
    [
        ("I live at 5 Main Street. Thanks", "5 Main Street"),
        ("5 Main Street\nRegards", "5 Main Street"),
        ("12 High Street and then I paid", "12 High Street"),
        ("12 High Street, Thank you", "12 High Street"),
    ],
)
def test_the_conversation_after_an_address_is_not(text: str, street: str) -> None:
    found = _at(text, street)
    assert block_end(text, found.end) == found.end


def test_the_first_street_of_a_crossing_is_part_of_the_address() -> None:
    text = "please return to Ines and Mühlweg 4"
    found = _at(text, "Mühlweg 4")
    assert text[block_start(text, found.start) : found.end] == "Ines and Mühlweg 4"
    text = "Thanks and Mühlweg 4"
    assert block_start(text, text.index("Mühlweg")) == text.index("Mühlweg")


def test_a_span_run_on_into_a_phone_number_ends_before_it() -> None:
    text = "9 Rue Verte\n Lyon 69001\n082 490 1693-Office"
    found = [_at(text, text), _at(text, "082 490 1693", Entity.PHONE)]
    cut = cut_at_structured(text, found, lambda d: d.entity_type == Entity.PHONE)
    assert [text[d.start : d.end] for d in cut] == ["9 Rue Verte\n Lyon 69001", "082 490 1693"]


def test_spans_that_overlap_an_address_join_it() -> None:
    text = "update it to 0415 P.O. Box 61, Tartu"
    found = [
        _at(text, "0415 P.O", Entity.ORGANIZATION),
        _at(text, "P.O. Box 61, Tartu"),
        _at(text, "update", "X"),
    ]
    joined = join_addresses(found)
    assert {(text[d.start : d.end], d.entity_type) for d in joined} == {
        ("0415 P.O. Box 61, Tartu", Entity.ADDRESS),
        ("update", "X"),
    }
