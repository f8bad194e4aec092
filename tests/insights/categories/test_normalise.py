"""Statement descriptions to merchant words and payment markers."""

from __future__ import annotations

import pytest

from insights.categories.normalise import MAX_CHARS, normalise

CASES = [
    # (description as on the statement, merchant, markers)
    ("AMZN MKTP UK*2K4AB12C", "amazon marketplace", set()),
    ("TFL TRAVEL CH", "tfl travel charge", set()),
    ("SQ *COFFEE SHOP", "coffee shop", set()),
    ("SUMUP *THE CORNER CAFE", "the corner cafe", set()),
    ("ZETTLE_*FAT FACE", "fat face", set()),
    ("PAYPAL *EBAY", "ebay", set()),
    ("TESCO STORES 2234 LONDON GB", "tesco stores", set()),
    ("SAINSBURYS S/MKTS", "sainsburys supermarkets", set()),
    ("CARD PAYMENT TO PRET A MANGER ON 12 JAN", "pret a manger", {"card"}),
    ("MOTOR FUEL GROUP 61 CD 7413 ON 24 JAN", "motor fuel group", set()),
    ("SUBWAY 02/12 BIRMINGHAM", "subway", set()),
    ("VITALITY HEALTH,BELFAST GBR", "vitality health", set()),
    ("NETFLIX.COM 866-579-7172", "netflix", set()),
    ("NATIONAL TRUST*SES0RP", "national trust", set()),
    ("CONTACTLESS Pret A Manger 14:32", "pret a manger", {"card"}),
    ("BGC ACME LTD SALARY", "acme salary", {"credit"}),
    ("DD OCTOPUS ENERGY", "octopus energy", {"direct_debit"}),
    ("DIRECT DEBIT PAYMENT TO TSB MORTGAGE REF KJ7Y2", "tsb mortgage", {"direct_debit"}),
    ("FPO J SMITH REF DINNER", "j smith dinner", {"payment_out"}),
    ("POS NCP CAR PARKS 456 RFD", "ncp car parks", {"card", "refund"}),
    ("CASH WITHDRAWAL ATM", "atm", {"cash"}),
    # a town that is part of the name stays
    ("TRANSPORT FOR LONDON", "transport for london", set()),
    ("O2 UK", "o2", set()),
    ("JET2 HOLIDAYS", "jet2 holidays", set()),
    # nothing left
    ("", "", set()),
    ("   ", "", set()),
    ("🙂🍕💳", "", set()),
    ("1234 5678", "", set()),
]


@pytest.mark.parametrize(("text", "merchant", "markers"), CASES)
def test_normalise(text: str, merchant: str, markers: set[str]) -> None:
    found = normalise(text)
    assert (found.merchant, set(found.markers)) == (merchant, markers)


def test_emoji_around_a_merchant_are_dropped() -> None:
    assert normalise("🍕 DOMINOS PIZZA 🍕").merchant == "dominos pizza"


def test_long_input_is_cut_not_refused() -> None:
    assert len(normalise("TESCO " * 1000).merchant) <= MAX_CHARS
