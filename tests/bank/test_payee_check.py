"""The payee check: details validated, names compared (nicknames, initials, word order,
titles, near misses), and the directory's answers, personal or business, on both databases."""

import pytest

from bank.enums import HolderKind, PayeeCheckOutcome
from bank.errors import InvalidAccountNumber, InvalidPayeeName, InvalidSortCode
from bank.payee_names import (
    compare_names,
    mask_account_number,
    mask_sort_code,
    valid_account_number,
    valid_name,
    valid_sort_code,
)
from bank.payees import PayeeStore
from bank.seed import NOT_IN_SCHEME_SORT_CODE, PAYEE_DIRECTORY

MATCH, CLOSE, NO, UNAVAILABLE = (
    PayeeCheckOutcome.MATCH,
    PayeeCheckOutcome.CLOSE_MATCH,
    PayeeCheckOutcome.NO_MATCH,
    PayeeCheckOutcome.UNAVAILABLE,
)


@pytest.mark.parametrize("text", ["12-34-56", "12 34 56", "123456", "12.34.56", " 12–34–56 ", "12/34/56"])
def test_sort_codes_with_any_separators_are_six_digits(text: str) -> None:
    assert valid_sort_code(text) == "123456"


@pytest.mark.parametrize("text", ["", "12-34-5", "1234567", "12-34-5a", "ab-cd-ef", "١٢٣٤٥٦", "12_34_56"])
def test_malformed_sort_codes_are_refused(text: str) -> None:
    with pytest.raises(InvalidSortCode, match="6 digits"):
        valid_sort_code(text)


@pytest.mark.parametrize("text", ["12345678", "1234 5678", "1234-5678"])
def test_account_numbers_are_eight_digits(text: str) -> None:
    assert valid_account_number(text) == "12345678"


@pytest.mark.parametrize("text", ["", "1234567", "123456789", "1234567x", "12,345,678"])
def test_malformed_account_numbers_are_refused(text: str) -> None:
    with pytest.raises(InvalidAccountNumber, match="8 digits"):
        valid_account_number(text)


@pytest.mark.parametrize(
    "text", ["", "   ", "Mum 🏠", "🙂", "x" * 500, "A" * 71, "Bob\x00Smith", "Smith <script>", "1234"]
)
def test_names_with_emoji_control_characters_or_too_long_are_refused(text: str) -> None:
    with pytest.raises(InvalidPayeeName, match="no emoji"):
        valid_name(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("  Seán   O'Brien ", "Seán O'Brien"), ("Smith & Sons (UK) Ltd.", "Smith & Sons (UK) Ltd."),
     ("A" * 70, "A" * 70), ("3M United Kingdom plc", "3M United Kingdom plc")],
)
def test_names_are_trimmed_and_kept(text: str, expected: str) -> None:
    assert valid_name(text) == expected


def test_masks_show_only_the_last_digits() -> None:
    assert mask_sort_code("401162") == "**-**-62"
    assert mask_account_number("31926819") == "****6819"


@pytest.mark.parametrize(
    ("typed", "on_record", "business", "outcome"),
    [
        ("Letitia Jones", "Letitia Jones", False, MATCH),
        ("letitia JONES", "Letitia Jones", False, MATCH),
        ("Latisha Jones", "Letitia Jones", False, CLOSE),
        ("Mary Jones", "Letitia Jones", False, NO),
        ("Bob Smith", "Robert Smith", False, MATCH),
        ("Kate Morgan", "Katherine Morgan", False, MATCH),
        ("Smith, John", "John Smith", False, MATCH),
        ("Mr John Smith", "John Smith", False, MATCH),
        ("Priya Patel", "Dr Priya Patel", False, MATCH),
        ("John Smith", "John Paul Smith", False, MATCH),
        ("Sean O'Brien", "Seán O'Brien", False, MATCH),
        ("J Smith", "John Paul Smith", False, CLOSE),
        ("J P Smith", "John Paul Smith", False, CLOSE),
        ("K Smith", "John Paul Smith", False, NO),
        ("John Smyth", "John Smith", False, CLOSE),
        ("Clare Hudson", "Claire Hudson", False, CLOSE),
        ("Jane Smith", "John Smith", False, NO),
        ("John Taylor", "John Smith", False, NO),
        ("Acme Logistics", "Acme Logistics Ltd", True, MATCH),
        ("ACME LOGISTICS LIMITED", "Acme Logistics Ltd", True, MATCH),
        ("Acme Logistic", "Acme Logistics Ltd", True, CLOSE),
        ("Apex Logistics", "Acme Logistics Ltd", True, NO),
        ("", "John Smith", False, NO),
    ],
)
def test_names_are_compared_as_people_and_businesses_write_them(
    typed: str, on_record: str, business: bool, outcome: PayeeCheckOutcome
) -> None:
    assert compare_names(typed, on_record, business).outcome == outcome


# -- the directory ---------------------------------------------------------------------------


def test_a_right_name_matches_and_offers_no_name(payee_store: PayeeStore) -> None:
    check = payee_store.check_payee("40-11-62", "31926819", "Letitia Jones")
    assert (check.outcome, check.name_on_record, check.business_mismatch) == (MATCH, None, False)


def test_a_near_miss_is_a_close_match_offering_the_name_on_record(payee_store: PayeeStore) -> None:
    check = payee_store.check_payee("401162", "3192 6819", "Latisha Jones")
    assert (check.outcome, check.name_on_record) == (CLOSE, "Letitia Jones")


def test_another_name_is_no_match_and_reveals_nothing(payee_store: PayeeStore) -> None:
    check = payee_store.check_payee("401162", "31926819", "Mary Jones")
    assert (check.outcome, check.name_on_record) == (NO, None)


def test_an_unknown_account_at_a_known_bank_is_no_match(payee_store: PayeeStore) -> None:
    assert payee_store.check_payee("401162", "99999999", "Letitia Jones").outcome == NO


@pytest.mark.parametrize("sort_code", ["23-05-80", "99-99-99"])
def test_a_bank_outside_the_scheme_or_unknown_is_unavailable(payee_store: PayeeStore, sort_code: str) -> None:
    check = payee_store.check_payee(sort_code, "81818181", "Grace Lee")
    assert (check.outcome, check.name_on_record) == (UNAVAILABLE, None)


def test_a_business_named_as_personal_is_flagged(payee_store: PayeeStore) -> None:
    as_personal = payee_store.check_payee("401162", "70000001", "Oakwood Lettings")
    assert (as_personal.outcome, as_personal.business_mismatch) == (MATCH, True)
    as_business = payee_store.check_payee("401162", "70000001", "Oakwood Lettings", business=True)
    assert (as_business.outcome, as_business.business_mismatch) == (MATCH, False)
    personal_as_business = payee_store.check_payee("401162", "31926819", "Letitia Jones", business=True)
    assert personal_as_business.business_mismatch is True


def test_the_check_validates_the_details_first(payee_store: PayeeStore) -> None:
    with pytest.raises(InvalidSortCode):
        payee_store.check_payee("40-11", "31926819", "Letitia Jones")
    with pytest.raises(InvalidAccountNumber):
        payee_store.check_payee("401162", "3192681", "Letitia Jones")
    with pytest.raises(InvalidPayeeName):
        payee_store.check_payee("401162", "31926819", "Letitia 💸")


def test_the_seeded_directory_has_near_misses_businesses_and_a_bank_outside_the_scheme() -> None:
    names = {name for _sort, _number, name, _kind in PAYEE_DIRECTORY}
    assert len(PAYEE_DIRECTORY) >= 25 and {"Letitia Jones", "Latisha Jones"} <= names
    assert sum(kind == HolderKind.BUSINESS for *_rest, kind in PAYEE_DIRECTORY) >= 5
    assert sum(sort == NOT_IN_SCHEME_SORT_CODE for sort, *_rest in PAYEE_DIRECTORY) >= 3
    assert len({(sort, number) for sort, number, *_rest in PAYEE_DIRECTORY}) == len(PAYEE_DIRECTORY)
