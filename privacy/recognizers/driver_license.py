"""Driving licence numbers (UK DVLA format and US state formats) near "licence"."""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer


class DriverLicenseRecognizer(BankingPatternRecognizer):
    """Finds licence numbers; needs "driver's license", "driving licence" or "DL" context, before
    the number or just after it ("MORGA657054SM9IJ is my driving licence")."""

    ENTITY = Entity.DRIVER_LICENSE
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("dvla", r"\b[A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z]{2}\b", 0.6),
        Pattern("us_state", r"\b(?=(?:[A-Z\-]*\d){6})[A-Z]{0,2}\d[\d\-]{3,16}\d\b", 0.45),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "driver's licen",
        "drivers licen",
        "driver licen",
        "driving licen",
        "dl number",
        "dl#",
        "licence number",
        "license number",
        "licence no",
        "license no",
    ]
    CONTEXT_BEFORE = 40
    CONTEXT_AFTER = 20
    REQUIRES_CONTEXT = True
