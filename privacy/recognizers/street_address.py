"""Street addresses: house number and street, unit, PO boxes and military addresses.

English ("221B Baker Street, Flat 2"), continental ("Rue de Piétrain 371",
"Kiannonkatu 98", "Hauptstraße 5"), box forms ("P.O. Box 149", "PSC 4095, Box 83") and
street corners ("the corner of Mühlweg 4 and Hollis Pass").
The tagger (``NerTaggerRecognizer``) also finds addresses; the overlap is resolved by score.
"""

from typing import ClassVar

import regex
from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer

_WORD = r"[^\W\d_][\w'’.\-]*"
_SUFFIX = (
    r"(?:Street|St|Str|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Place|Pl|Square|Sq"
    r"|Terrace|Ter|Way|Close|Crescent|Cres|Gardens|Gdns|Grove|Hill|Park|Parkway|Pkwy|Highway|Hwy"
    r"|Row|Mews|Walk|Circle|Cir|Trail|Trl|Alley|Green|View|Rise|Parade|Esplanade|Quay|Wharf"
    r"|Plaza|Loop|Pike|Turnpike|Expressway|Freeway|Route|Rte|Crossing|Point|Ridge|Heights|Estate)"
)
_CONTINENTAL_PREFIX = (
    r"(?:Rue|Rua|Via|Viale|Calle|Avenida|Av\.|Avda\.?|Paseo|Plaza|Piazza|Corso|Carrer|Strada"
    r"|Ulica|ul\.|Praça|Largo|Travessa|Camino|Ronda|Boulevard|Chaussée|Chemin|Allée|Quai|Avenue)"
)
_CONTINENTAL_SUFFIX = (
    r"(?:stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|ring|damm|laan|straat|gracht|plein|dijk|kade"
    r"|katu|tie|kuja|polku|gatan|vägen|gata|gränd|veien|vei|gate|vej|gade|vegur|gata|utca|u\.|tér"
    r"|körút|ut|cesta|ulice|náměstí|trida|třída|sokak|caddesi|odos|street)"
)
# A street name right after a number: the number is a house number (not a phone number).
STREET_AHEAD = regex.compile(
    r"[ \t]+(?:(?:" + _WORD + r"[ \t]+){0,4}?" + _SUFFIX + r"\b|" + _CONTINENTAL_PREFIX + r"[ \t]"
    r"|[^\W\d_][\w'’\-]*" + _CONTINENTAL_SUFFIX + r"\b)",
    regex.IGNORECASE,
)
UNIT_BEHIND = regex.compile(
    r"\b(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Box|No\.?|#)\s*$", regex.IGNORECASE
)
_UNIT = r"(?:,?\s*(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Floor|Fl\.?|Room|#)\s*\d+[A-Z]?)?"
_NUMBER = r"\d{1,5}[A-Za-z]?(?:[\-/]\d{1,4})?"
# English words that end like a continental street ("about 20000", "pulled out 30", "during 2020").
_NOT_STREETS = frozenset(
    """
    about out without throughout checkout payout layout cut but put shut during bring spring string
    ring gate delegate tie
    """.split()
)
_PARTICLE = r"(?:de|da|do|del|di|du|la|le|van|von|der|den|ten|ter)"
_CROSS_WORD = r"\p{Lu}[\w'’\-]*(?:\.\w[\w'’\-]*)*"
# The second street of a crossing: capitalised words, maybe a particle first and a number after.
_CROSS_STREET = (
    r"(?:" + _PARTICLE + r"\s+)?" + _CROSS_WORD
    + r"(?:[ \t]+" + _CROSS_WORD + r"){0,3}(?:[ \t]+\d{1,5}[A-Za-z]?\b)?"
)
_LAST_WORD_BEFORE_NUMBER = regex.compile(r"([^\W\d_][\w'’.\-]*)\s+\d{1,5}[A-Za-z]?\b[^\d]*$")


def is_house_number(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is followed by a street name or follows a unit word."""
    return bool(STREET_AHEAD.match(text, end, min(len(text), end + 60))) or bool(
        UNIT_BEHIND.search(text, max(0, start - 12), start)
    )


class StreetAddressRecognizer(BankingPatternRecognizer):
    """Finds the street part of an address (plus a unit number when one follows)."""

    ENTITY = Entity.ADDRESS
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "number_street_suffix",
            r"(?<![\w\-])"
            + _NUMBER
            + r",?\s+(?:"
            + _NUMBER
            + r"\s+)?(?:"
            + _WORD
            + r"\s+){0,4}"
            + _SUFFIX
            + r"\b\.?"
            + _UNIT,
            0.6,
        ),
        Pattern(
            "continental_prefix",
            r"(?<![\w\-])(?:"
            + _NUMBER
            + r",?\s+)?"
            + _CONTINENTAL_PREFIX
            + r"\s+(?:"
            + _WORD
            + r"\s+){0,4}?\d{1,5}[A-Za-z]?\b"
            + _UNIT,
            0.6,
        ),
        Pattern(
            "continental_suffix",
            r"(?<![\w\-])(?:"
            + _NUMBER
            + r"\s+)?(?:"
            + _WORD
            + r"\s+){0,2}[^\W\d_][\w'’\-]*"
            + _CONTINENTAL_SUFFIX
            + r"\s+\d{1,5}[A-Za-z]?\b"
            + _UNIT,
            0.55,
        ),
        Pattern(
            "street_corner",
            r"\b(?:[Tt]he\s+)?[Cc]orner\s+of\s+[^\n,;:!?]{2,60}?\s(?:and|&)\s+" + _CROSS_STREET,
            0.6,
        ),
        Pattern(
            "po_box",
            r"\b(?:P\.?\s?O\.?\s?Box|Post Office Box|PO Box|(?:PSC|Unit|CMR)\s\d{3,5},?\s(?:Box))\s\d{1,5}\b",
            0.7,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = ["address", "live", "lives", "living", "moved", "deliver", "send"]
    CONTEXT_BOOST = 0.2
    FLAGS = regex.MULTILINE

    def accept(self, text: str, start: int, end: int) -> bool:
        """Drops English words that merely end like a continental street name."""
        last = _LAST_WORD_BEFORE_NUMBER.search(text[start:end])
        return last is None or last.group(1).casefold() not in _NOT_STREETS
