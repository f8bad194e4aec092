"""Each recognizer's table: texts it must find (with the exact value) and texts it must not."""

import pytest

from privacy.recognizers import (
    AbaRoutingRecognizer,
    AgeRecognizer,
    CalendarDateRecognizer,
    CardExpiryRecognizer,
    CardNumberRecognizer,
    CryptoWalletRecognizer,
    CvvRecognizer,
    DateOfBirthRecognizer,
    DriverLicenseRecognizer,
    EmailAddressRecognizer,
    IbanCodeRecognizer,
    IpAddressRecognizer,
    ItinRecognizer,
    LongNumberRecognizer,
    NationalInsuranceNumberRecognizer,
    NhsNumberRecognizer,
    NrpRecognizer,
    PassportRecognizer,
    PhoneNumberRecognizer,
    SocialSecurityNumberRecognizer,
    StreetAddressRecognizer,
    SwiftBicRecognizer,
    TitleRecognizer,
    UkAccountNumberRecognizer,
    UkPostcodeRecognizer,
    UkSortCodeRecognizer,
    UsAccountNumberRecognizer,
    WebAddressRecognizer,
    ZipCodeRecognizer,
)
from privacy.recognizers.base import BankingPatternRecognizer

THRESHOLD = 0.5

# recognizer class -> (must match: [(text, value)], must not match: [text])
TABLES: dict[type[BankingPatternRecognizer], tuple[list[tuple[str, str]], list[str]]] = {
    CardNumberRecognizer: (
        [
            ("card 4111 1111 1111 1111 please", "4111 1111 1111 1111"),
            ("4111-1111-1111-1111", "4111-1111-1111-1111"),
            ("it is 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 ok", "4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"),
            ("amex 378282246310005", "378282246310005"),
            ("my card 4111111111111111 12/27", "4111111111111111"),
        ],
        ["card 4111 1111 1111 1112", "order 1234567890123", "call +44 20 7946 0958", "0000 0000 0000 0000"],
    ),
    IbanCodeRecognizer: (
        [
            ("IBAN GB82WEST12345698765432 please", "GB82WEST12345698765432"),
            ("GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32"),
            ("my iban is gb82west12345698765432", "gb82west12345698765432"),
            ("DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"),
        ],
        ["GB82WEST12345698765431", "GB82 WEST", "XX82WEST12345698765432"],
    ),
    UkSortCodeRecognizer: (
        [
            ("sort code 12-34-56", "12-34-56"),
            ("my sort code is 123456", "123456"),
            ("transfer from 20-32-06 51473538 to my savings", "20-32-06"),
            ("20 32 06 51473538", "20 32 06"),
            ("203206 51473538", "203206"),
            ("20-32-06, 51473538", "20-32-06"),
            ("it's 20-32-06 acc 51473538", "20-32-06"),
            ("sort code 20.32.06", "20.32.06"),
            ("20.32.06 51473538", "20.32.06"),
            ("and 678491, acc 89648447", "678491"),
        ],
        [
            "12-34-56",
            "I paid 123456 last year",
            "on 20-03-06 I paid 4 pounds",
            "20-32-06 1234",
            "on 20.03.06",
        ],
    ),
    UkAccountNumberRecognizer: (
        [
            ("account number 12345678", "12345678"),
            ("acc no 1234 5678", "1234 5678"),
            ("transfer from 20-32-06 51473538 to my savings", "51473538"),
            ("20 32 06 51473538", "51473538"),
            ("sort code 20-32-06 and account 5147 3538", "5147 3538"),
            ("203206, 51473538", "51473538"),
            ("the payee's number is 51473538", "51473538"),
        ],
        ["reference 12345678", "account 1234567", "order 12345678 arrived", "20-32-06 123456789"],
    ),
    UsAccountNumberRecognizer: (
        [("checking account 000123456789", "000123456789")],
        ["invoice 000123456789", "account 1234567"],
    ),
    AbaRoutingRecognizer: (
        [("routing number 011000015", "011000015"), ("ABA 121000358", "121000358")],
        ["routing number 011000016", "order 011000015"],
    ),
    SwiftBicRecognizer: (
        [("SWIFT code NWBKGB2L", "NWBKGB2L"), ("BIC: DEUTDEFF500", "DEUTDEFF500")],
        ["swift nwbkgb2l", "PASSWORD", "INFORMATION about swift"],
    ),
    CvvRecognizer: (
        [("cvv 123", "123"), ("the security code is 4567", "4567"), ("my pin is 1234", "1234")],
        ["I paid 123 pounds", "room 123"],
    ),
    CardExpiryRecognizer: (
        [("expires 12/27", "12/27"), ("card valid thru 01/2029", "01/2029")],
        ["I was there 12/27 times", "ratio 3/4"],
    ),
    SocialSecurityNumberRecognizer: (
        [("my SSN: 123-45-6789", "123-45-6789"), ("social security 123456789", "123456789")],
        ["000-12-3456", "666-12-3456", "SSN 123-00-6789", "item 123456789"],
    ),
    NationalInsuranceNumberRecognizer: (
        [("NI number AB 12 34 56 C", "AB 12 34 56 C"), ("nino AB123456C", "AB123456C")],
        ["GB123456C", "AB123456E"],
    ),
    PassportRecognizer: (
        [
            ("passport number 123456789", "123456789"),
            ("passport: GK1234567", "GK1234567"),
            ("US passport no. 912803456", "912803456"),
            ("my passport is C03005988", "C03005988"),
            ("502135326 is my passport number", "502135326"),
            ("P47201938", "P47201938"),
            ("the number on it is K90531742, thanks", "K90531742"),
        ],
        [
            "ticket 123456789",
            "passport photo booth 12",
            "order 123456789 arrived, the passport one",
            "p47201938",
            "AB4720193",
            "KX9053174",
        ],
    ),
    DriverLicenseRecognizer: (
        [
            ("my driver's license number is 2270-66-1551", "2270-66-1551"),
            ("driving licence MORGA657054SM9IJ", "MORGA657054SM9IJ"),
            ("UK driving licence no. JONES710238HA3DX", "JONES710238HA3DX"),
            ("California driver license D1234567", "D1234567"),
            ("driver's licence number 123-456-789", "123-456-789"),
            ("MORGA657054SM9IJ is my driving licence", "MORGA657054SM9IJ"),
            ("SMYTH762147LK7QP", "SMYTH762147LK7QP"),
            ("copy attached: lee99803224w99tz.", "lee99803224w99tz"),
        ],
        [
            "licence to kill 007",
            "my licence expired in 2019",
            "D1234567",
            "SMYTH763147LK7QP",
            "ROSS9713317AB2CD",
            "SMYTH762007LK7QP",
            "SM9TH762147LK7QP",
        ],
    ),
    NhsNumberRecognizer: (
        [
            ("my NHS number is 943 476 5919", "943 476 5919"),
            ("NHS no: 9434765919", "9434765919"),
            ("nhs 401-023-2137", "401-023-2137"),
        ],
        ["my NHS number is 943 476 5918", "call 0943 476 5919", "I paid 1234567890 pounds"],
    ),
    ItinRecognizer: (
        [
            ("ITIN 912-70-1234", "912-70-1234"),
            ("my taxpayer id is 900 88 4567", "900 88 4567"),
            ("itin: 999991234", "999991234"),
        ],
        ["912-40-1234", "order 912701234", "123-70-1234"],
    ),
    CryptoWalletRecognizer: (
        [
            ("send it to 1BoatSLRHtKNngkdXEeobR76b53LETtpyT please", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"),
            (
                "btc wallet bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
                "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
            ),
            ("ETH 0x52908400098527886E0F7030069857D2E4169EE7", "0x52908400098527886E0F7030069857D2E4169EE7"),
        ],
        ["1BoatSLRHtKNngkdXEeobR76b53LETtpyX", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "0x1234"],
    ),
    DateOfBirthRecognizer: (
        [
            ("born 12/03/1985", "12/03/1985"),
            ("date of birth: 3 March 1985", "3 March 1985"),
            ("my birthday is March 3rd", "March 3rd"),
            ("date of birth: 12th Mar 85", "12th Mar 85"),
            ("born on March 3, '85", "March 3, '85"),
        ],
        ["paid on 12/03/2024", "last week", "paid on 12 Mar 24"],
    ),
    CalendarDateRecognizer: (
        [
            ("It's like that since 8/14/1996", "8/14/1996"),
            ("On 1970-09-24 09:34:31, it happened", "1970-09-24 09:34:31"),
            ("founded in 1988. Since", "1988"),
            ("on 3 March 2021", "3 March 2021"),
            ("logged at 2024-03-05T10:30:00Z", "2024-03-05T10:30:00Z"),
            ("on 03.05.2021 at 10:30", "03.05.2021 at 10:30"),
            ("on 12 Jan 2023 at 3pm", "12 Jan 2023 at 3pm"),
            ("sent Mon, 05 Jun 2019 10:30:00 +0000", "Mon, 05 Jun 2019 10:30:00 +0000"),
            ("dated 5-Jun-2019", "5-Jun-2019"),
            ("on June 5, 2019 14:00", "June 5, 2019 14:00"),
            ("Heat is a 1995 American crime film", "1995"),
            ("statement dated 21-May", "21-May"),
            ("Today is May-2021", "May-2021"),
            ("due Mar-15", "Mar-15"),
            ("issued 05/2021", "05/2021"),
            ("Today is,5/21,and it's sunny", "5/21"),
        ],
        [
            "last week",
            "in 5 years",
            "next Thursday",
            "I paid 2019 pounds",
            "in March",
            "at 3pm on Friday",
            "version 1.2.3",
            "can I have a 2000 limit please",
            "a 2000 Pounds transfer",
            "build v2023-11-02",
            "batch x12/08/2024",
            "the payment on 3 March was wrong",
            "how much did I spend in December 2025",
            "I paid 1/2 of it",
            "3/4 of my salary",
            "24/7 support",
            "Today is5/21",
            "may-be next week",
        ],
    ),
    UkPostcodeRecognizer: (
        [("post it to SW1A 1AA", "SW1A 1AA"), ("M1 1AE", "M1 1AE"), ("postcode b33 8th", "b33 8th")],
        ["Room 12", "ABC 123"],
    ),
    ZipCodeRecognizer: (
        [("Austin, TX 78701", "78701"), ("my zip code is 90210", "90210"), ("ZIP: 7412 SL", "7412 SL")],
        ["I paid 90210", "78701 people"],
    ),
    StreetAddressRecognizer: (
        [
            ("I live at 221 Baker Street, London", "221 Baker Street"),
            ("1600 Pennsylvania Avenue NW", "1600 Pennsylvania Avenue"),
            ("Hauptstraße 5, Berlin", "Hauptstraße 5"),
            ("at Rue de Piétrain 371, Noorderwijk", "Rue de Piétrain 371"),
            ("P.O. Box 149", "P.O. Box 149"),
            ("3657 Laukaantie 80\n Apt. 030", "3657 Laukaantie 80\n Apt. 030"),
            ("the corner of Mühlweg 4 and Hollis Pass", "the corner of Mühlweg 4 and Hollis Pass"),
            ("corner of 74 Elm Street and van Dam Trail.", "corner of 74 Elm Street and van Dam Trail"),
        ],
        ["I walked down the street", "5 years on Main", "round the corner of the shop and back"],
    ),
    PhoneNumberRecognizer: (
        [
            ("call me on 07700 900123", "07700 900123"),
            ("(579)888-3058 fax", "(579)888-3058"),
            ("+41 (0)38 549 02 90 mobile", "+41 (0)38 549 02 90"),
            ("my number is 943 476 5918", "943 476 5918"),
            ("Desk: (898)666-3621x0135", "(898)666-3621x0135"),
            ("541-714-1388", "541-714-1388"),
        ],
        [
            "I paid 250 pounds",
            "on 2024-03-12",
            "£1,000,000",
            "my address is 12 4410 Harbour Street",  # house and flat numbers
            "Flat 541 6343 Kirkgate Road",
            "my NHS number is 943 476 5919",  # an NHS number's
        ],
    ),
    EmailAddressRecognizer: (
        [("mail jo.bloggs+bank@example.co.uk now", "jo.bloggs+bank@example.co.uk")],
        ["jo at example dot com", "@handle"],
    ),
    IpAddressRecognizer: (
        [
            ("address 41.173.96.26 blocked", "41.173.96.26"),
            ("ip 2001:db8::1", "2001:db8::1"),
            ("from 2001:0db8:85a3:0000:0000:8a2e:0370:7334 today", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"),
            ("login from fe80::1ff:fe23:4567:890a", "fe80::1ff:fe23:4567:890a"),
            ("ip 10.0.0.1.", "10.0.0.1"),
            ("IP ::ffff:192.0.2.128", "::ffff:192.0.2.128"),
            ("router at fe80::2a1:b2ff:fe3c:4d5e%wlan0 today", "fe80::2a1:b2ff:fe3c:4d5e%wlan0"),
            ("it only answers on ::1", "::1"),
            ("gateway fd12:3456::7, retry", "fd12:3456::7"),
            ("block 203.0.113.0/24 now", "203.0.113.0/24"),
            ("prefix 2001:db8:abcd::/48.", "2001:db8:abcd::/48"),
            ("mask 198.51.100.7/40", "198.51.100.7"),
            ("relay 64:ff9b::203.0.113.9", "64:ff9b::203.0.113.9"),
        ],
        [
            "version 1.2.3",
            "999.1.1.1",
            "at 12:30:45",
            "1.2.3.4.5",
            "ratio 3:4:5",
            "code abc203.0.113.5",
            "ref 10.20.30.40x",
            "::ffff:300.1.2.3",
            "fd12::7zz",
            "Foo::bar",
        ],
    ),
    WebAddressRecognizer: (
        [
            ("see https://www.FarmerBuys.be/ now", "https://www.FarmerBuys.be/"),
            ("visit www.example.com.", "www.example.com"),
            ("example.org/profile", "example.org/profile"),
        ],
        ["end of sentence.Then", "jo@example.com"],
    ),
    AgeRecognizer: (
        [
            ("I'm 23 y/o.", "23"),
            ("a 62-year-old male", "62"),
            ("at the age of 72", "72"),
            ("I just turned 54", "54"),
            ("he is 46 years old", "46"),
            ("She wrote it when she was 71.", "71"),
        ],
        [
            "I've been a customer for 5 years",
            "2 years ago",
            "I'm 5 minutes away",
            "the bill was 65.",
            "I was 5 minutes late",
        ],
    ),
    NrpRecognizer: (
        [
            ("I am Cambodian but I live here", "Cambodian"),
            ("we are proud Sikhs", "Sikhs"),
            ("two Kenyans and a Sri Lankan", "Kenyans"),
        ],
        ["statements in French please", "Spanish speaking agent", "a green card", "South Park"],
    ),
    TitleRecognizer: (
        [("Dr. Anette Lahtela", "Dr."), ("Mrs Jennifer Alcaraz", "Mrs"), ("ms. Marcela", "ms.")],
        ["10 Oak Dr and more", "Mr"],
    ),
    LongNumberRecognizer: (
        [("4111 1111", "4111 1111"), ("reference 12345678", "12345678")],
        ["£1000000", "250000 pounds", "12345"],
    ),
}

CASES = [
    pytest.param(cls, text, value, id=f"{cls.__name__}-match-{i}")
    for cls, (matches, _) in TABLES.items()
    for i, (text, value) in enumerate(matches)
]
NON_CASES = [
    pytest.param(cls, text, id=f"{cls.__name__}-nomatch-{i}")
    for cls, (_, non_matches) in TABLES.items()
    for i, text in enumerate(non_matches)
]


def _found(cls: type[BankingPatternRecognizer], text: str) -> list[str]:
    recognizer = cls()
    return [text[r.start : r.end] for r in recognizer.analyze(text, [cls.ENTITY]) if r.score >= THRESHOLD]


@pytest.mark.parametrize(("cls", "text", "value"), CASES)
def test_recognizer_finds(cls: type[BankingPatternRecognizer], text: str, value: str) -> None:
    assert value in _found(cls, text)


@pytest.mark.parametrize(("cls", "text"), NON_CASES)
def test_recognizer_ignores(cls: type[BankingPatternRecognizer], text: str) -> None:
    assert _found(cls, text) == []


def test_every_recognizer_has_a_table() -> None:
    from privacy.recognizers import PATTERN_RECOGNIZERS

    assert set(PATTERN_RECOGNIZERS) == set(TABLES)


BITCOIN = "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"


@pytest.mark.parametrize(
    ("cls", "bare", "with_context"),
    [
        (NhsNumberRecognizer, "it is 943 476 5919", "my NHS number is 943 476 5919"),
        (ItinRecognizer, "it is 912701234", "my ITIN is 912701234"),
        (CryptoWalletRecognizer, BITCOIN, f"btc {BITCOIN}"),
        (UkAccountNumberRecognizer, "51473538", "20-32-06 51473538"),
        (PassportRecognizer, "502135326", "502135326 is my passport number"),
        (DriverLicenseRecognizer, "MORGA657054SM9IJ", "MORGA657054SM9IJ is my driving licence"),
        (IpAddressRecognizer, "10.0.0.1", "my ip is 10.0.0.1"),
    ],
)
def test_context_raises_confidence(cls: type[BankingPatternRecognizer], bare: str, with_context: str) -> None:
    def best(text: str) -> float:
        return max((r.score for r in cls().analyze(text, [cls.ENTITY])), default=0.0)

    assert best(with_context) > best(bare)
    assert best(with_context) >= THRESHOLD
