"""Normalisation of look-alike characters, with offsets mapped back to the original."""

import pytest

from privacy.normalize import normalize


@pytest.mark.parametrize(
    ("original", "normalized"),
    [
        ("４１１１ １１１１", "4111 1111"),  # full-width digits
        ("𝟒𝟏𝟏𝟏", "4111"),  # mathematical bold digits
        ("٤١١١", "4111"),  # Arabic-Indic digits
        ("GB82 WЕST", "GB82 WEST"),  # Cyrillic Е
        ("4111 l111 1O11", "4111 1111 1011"),  # letters among digits
        ("41\u200b11", "4111"),  # zero-width space
        ("4111🙂1111 👍🏽 1111", "41111111  1111"),  # emoji between digits
        ("I paid 🙂 thanks", "I paid 🙂 thanks"),
        ("12–34–56", "12-34-56"),  # en dashes
        ("Hello world", "Hello world"),
        ("Zoë paid £5", "Zoë paid £5"),
    ],
)
def test_normalize(original: str, normalized: str) -> None:
    assert normalize(original).text == normalized


def test_offsets_map_back_to_the_original() -> None:
    original = "card: ４１\u200b１１ end"
    result = normalize(original)
    start = result.text.index("4111")
    begin, finish = result.to_original(start, start + 4)
    assert original[begin:finish] == "４１\u200b１１"


def test_letters_in_words_are_not_digits() -> None:
    assert normalize("Hello 2 all of you").text == "Hello 2 all of you"
