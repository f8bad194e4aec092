"""Our Presidio recognizers, one class per module; :func:`pattern_recognizers` lists them."""

from presidio_analyzer import EntityRecognizer

from privacy.recognizers.aba_routing import AbaRoutingRecognizer
from privacy.recognizers.age import AgeRecognizer
from privacy.recognizers.calendar_date import CalendarDateRecognizer
from privacy.recognizers.card_expiry import CardExpiryRecognizer
from privacy.recognizers.card_number import CardNumberRecognizer
from privacy.recognizers.crypto_wallet import CryptoWalletRecognizer
from privacy.recognizers.cvv import CvvRecognizer
from privacy.recognizers.date_of_birth import DateOfBirthRecognizer
from privacy.recognizers.driver_license import DriverLicenseRecognizer
from privacy.recognizers.email_address import EmailAddressRecognizer
from privacy.recognizers.iban_code import IbanCodeRecognizer
from privacy.recognizers.ip_address import IpAddressRecognizer
from privacy.recognizers.long_number import LongNumberRecognizer
from privacy.recognizers.national_insurance_number import NationalInsuranceNumberRecognizer
from privacy.recognizers.nhs_number import NhsNumberRecognizer
from privacy.recognizers.nrp import NrpRecognizer
from privacy.recognizers.passport import PassportRecognizer
from privacy.recognizers.phone_number import PhoneNumberRecognizer
from privacy.recognizers.social_security_number import SocialSecurityNumberRecognizer
from privacy.recognizers.street_address import StreetAddressRecognizer
from privacy.recognizers.swift_bic import SwiftBicRecognizer
from privacy.recognizers.title import TitleRecognizer
from privacy.recognizers.uk_account_number import UkAccountNumberRecognizer
from privacy.recognizers.uk_postcode import UkPostcodeRecognizer
from privacy.recognizers.uk_sort_code import UkSortCodeRecognizer
from privacy.recognizers.us_account_number import UsAccountNumberRecognizer
from privacy.recognizers.us_itin import ItinRecognizer
from privacy.recognizers.web_address import WebAddressRecognizer
from privacy.recognizers.zip_code import ZipCodeRecognizer

PATTERN_RECOGNIZERS = (
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
    LongNumberRecognizer,
    NhsNumberRecognizer,
    NrpRecognizer,
    PassportRecognizer,
    PhoneNumberRecognizer,
    StreetAddressRecognizer,
    SwiftBicRecognizer,
    TitleRecognizer,
    UkAccountNumberRecognizer,
    NationalInsuranceNumberRecognizer,
    UkPostcodeRecognizer,
    UkSortCodeRecognizer,
    WebAddressRecognizer,
    UsAccountNumberRecognizer,
    ItinRecognizer,
    SocialSecurityNumberRecognizer,
    ZipCodeRecognizer,
)


__all__ = [cls.__name__ for cls in PATTERN_RECOGNIZERS] + ["PATTERN_RECOGNIZERS", "pattern_recognizers"]


def pattern_recognizers() -> list[EntityRecognizer]:
    """New instances of every pattern recognizer."""
    return [recognizer() for recognizer in PATTERN_RECOGNIZERS]
