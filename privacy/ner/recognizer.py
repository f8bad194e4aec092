"""Presidio recognizer around our tagger: persons, organisations, places, titles, addresses."""

import re
from pathlib import Path

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from privacy.entities import Entity
from privacy.errors import ConfigurationError
from privacy.ner.full_names import full_name
from privacy.ner.payees import PayeeFinder
from privacy.ner.tagger import PerceptronTagger
from privacy.recognizers.nrp import NATIONALITIES, NATIONALITY_PLURALS, RELIGIONS
from privacy.references import reference_regions
from privacy.vocabulary import KEEP_WORDS, MERCHANT_WORDS, is_destination, is_major_city, is_trip_destination

# Nationalities and religions are the NrpRecognizer's: a tagger span of one such word is
# dropped ("the Russian government" is not a place).
_NRP_WORDS = frozenset(NATIONALITIES + NATIONALITY_PLURALS + RELIGIONS)

MODEL_PATH = Path(__file__).with_name("tagger_model.gz")
TAGGER_ENTITIES = [
    Entity.PERSON.value,
    Entity.ORGANIZATION.value,
    Entity.LOCATION.value,
    Entity.ADDRESS.value,
    Entity.TITLE.value,
]
PAYEE_SCORE = 0.7
# A capitalised word other than the pronoun "I" ("I'm", "I've"): the text uses capitals.
_CAPITALISED_WORD = re.compile(r"\b(?!I\b|I['’])[A-Z]\w*")
# One letter or a Roman numeral is no name ("currency Y", "Title IX").
_LETTER_OR_NUMERAL = re.compile(r"[A-Za-z]|M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})")
_PUNCTUATION = ".,!?;:\"'()[]"
# The tagger sometimes calls a country an organisation ("the USA").
_PLACE_LIKE = frozenset({Entity.LOCATION, Entity.ORGANIZATION})
# Word lists that make a word evidence of a name or a place ("time" overrides them: "JAN").
_NAMES_AND_PLACES = frozenset({"first", "last", "city", "country", "state"})
_FREQUENT = frozenset({"top1k", "top5k", "top30k"})
# Street words that name a unit only: "Flat 2" or "UNIT 7" alone is no address.
_UNIT_WORDS = frozenset({"flat", "apt", "apartment", "unit", "suite", "ste", "room", "floor", "fl"})
_LETTERS = re.compile(r"[^\W\d_][\w'’\-]*")


class NerTaggerRecognizer(EntityRecognizer):
    """Runs the perceptron tagger over the whole text (it needs no NLP artifacts).

    Args:
        tagger: a trained tagger; see :meth:`from_package` for the shipped one.
    """

    def __init__(self, tagger: PerceptronTagger) -> None:
        self._tagger = tagger
        self._payees = PayeeFinder(tagger.gazetteer)
        super().__init__(supported_entities=TAGGER_ENTITIES, name="NerTaggerRecognizer")

    @classmethod
    def from_package(cls, path: Path = MODEL_PATH) -> "NerTaggerRecognizer":
        """Loads the weights shipped with the package.

        Raises:
            ConfigurationError: the model file is missing (run ``python -m privacy.ner.train``).
        """
        if not path.exists():
            raise ConfigurationError(f"tagger model not found at {path}: run `python -m privacy.ner.train`")
        return cls(PerceptronTagger.load(path))

    def load(self) -> None:
        """Nothing to load: the tagger is passed in."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Tags ``text`` and returns the requested entity types, with payees named in payment
        phrasing as persons (in place of the tagger's spans they overlap, over the whole of a
        person the tagger read around them), persons widened to their whole name, and without
        countries a payment or a trip goes to, spans of a message in capitals found by their
        shape alone ("RENT JAN") or, inside a payment reference
        (:func:`privacy.references.reference_regions`), spans with no name in them."""
        wanted = set(entities) if entities else set(TAGGER_ENTITIES)
        found = [
            (start, end, kind, score)
            for start, end, kind, score in self._tagger.entities(text)
            if kind in wanted
            and text[start:end].lower() not in _NRP_WORDS
            and not (kind in _PLACE_LIKE and self._destination(text, start, end))
            and not (kind == Entity.ADDRESS and not self._address_like(text[start:end]))
            and not self._common_word(text[start:end])
            and not self._plain_words(text, start, end)
            and not _LETTER_OR_NUMERAL.fullmatch(text[start:end].strip(_PUNCTUATION))
        ]
        if Entity.PERSON in wanted:
            for start, end in self._payees.spans(text):
                overlapping = [f for f in found if f[0] < end and start < f[1]]
                score = max([PAYEE_SCORE] + [f[3] for f in overlapping])
                persons = [f for f in overlapping if f[2] == Entity.PERSON]
                start = min([start] + [f[0] for f in persons])
                end = max([end] + [f[1] for f in persons])
                found = [f for f in found if f not in overlapping]
                found.append((start, end, Entity.PERSON.value, score))
        references = reference_regions(text)
        shouted = not any(ch.islower() for ch in text) and "\n" not in text.strip()
        found = [
            (start, end, kind, score)
            for start, end, kind, score in found
            if not (shouted and self._shape_only(text[start:end], kind))
            and not (_inside(references, start, end) and not self.names_someone(text[start:end], kind))
        ]
        return [
            self._result(*full_name(text, start, end, self._tagger.gazetteer), kind, score)
            if kind == Entity.PERSON
            else self._result(start, end, kind, score)
            for start, end, kind, score in found
        ]

    def _destination(self, text: str, start: int, end: int) -> bool:
        """A country named as where money or a trip goes ("send £50 to Spain"), or a large
        city that is no first name as where a trip goes ("flying to Dubai")."""
        words = [w.strip(".,!?").lower() for w in text[start:end].split()]
        classes = [set(self._tagger.gazetteer.classes(w).split("+")) for w in words]
        countries = any(c & {"country", "state"} for c in classes) and all(
            c & {"country", "state", "top1k", "top5k"} for c in classes
        )
        if countries and is_destination(text, start):
            return True
        city = is_major_city(text[start:end]) and not any("first" in c for c in classes)
        return city and is_trip_destination(text, start)

    def _common_word(self, value: str) -> bool:
        """One of the thousand most frequent English words that is no name or place ("Am")."""
        if " " in value.strip():
            return False
        classes = set(self._tagger.gazetteer.classes(value.strip(".,!?").lower()).split("+"))
        return "top1k" in classes and not classes & {"first", "last", "country", "state"}

    def _plain_words(self, text: str, start: int, end: int) -> bool:
        """Lower-case words, none a first name or a surname, in a text that capitalises its
        words ("a banjo solo", "The card is non-functional"); in a text written all in
        lower case ("pay jon smith") a lower-case span may still be a name."""
        value = text[start:end]
        if value != value.lower() or not _CAPITALISED_WORD.search(text):
            return False
        classes = (self._tagger.gazetteer.classes(w.strip(_PUNCTUATION).lower()) for w in value.split())
        return not any(set(c.split("+")) & {"first", "last"} for c in classes)

    def _address_like(self, value: str) -> bool:
        """An address has a street word ("Grove", "Apt"), a capitalised name beside a number or
        two capitalised names ("Los Angeles, United States"); "I pulled out 30" has none."""
        words = value.replace(",", " ").split()
        if any("street" in self._tagger.gazetteer.classes(w.strip(".").lower()).split("+") for w in words):
            return True
        named = sum(w[:1].isupper() and w.strip(".,").lower() not in KEEP_WORDS for w in words)
        return named >= 2 or (named == 1 and any(ch.isdigit() for ch in value))

    def names_someone(self, value: str, kind: str, upper_case_counts: bool = False) -> bool:
        """Evidence that ``value`` names someone or somewhere: a known first name, surname or
        place that is no month or day, a street word other than a unit's (for an address), or
        a rare word written like a name ("Okonkwo"; an upper-case one only with
        ``upper_case_counts``: "ELEC" may be an abbreviation), or a first name that is also a
        month or a day before a surname or a rare word ("JAN KOWALSKI", not "JAN RENT")."""
        after_first_name = False
        for match in _LETTERS.finditer(value):
            word = match.group()
            bare = word.lower().removesuffix("'s").removesuffix("’s")
            classes = set(self._tagger.gazetteer.classes(bare).split("+"))
            if after_first_name and ("last" in classes or not classes & _FREQUENT):
                return True
            after_first_name = "first" in classes
            if bare in KEEP_WORDS or bare in MERCHANT_WORDS or "time" in classes:
                continue
            names = classes & _NAMES_AND_PLACES
            if names and not (names == {"last"} and "top1k" in classes):  # "HOUSE", "WATER"
                return True
            if kind == Entity.ADDRESS and "street" in classes and bare not in _UNIT_WORDS:
                return True
            if not classes & _FREQUENT and (upper_case_counts or not word.isupper()):
                return True
        return False

    def _shape_only(self, value: str, kind: str) -> bool:
        """In a line written all in upper case, a span found by its shape alone: no address,
        and none of its words a name, a place or a rare word ("RENT JAN", "COUNCIL TAX")."""
        return kind != Entity.ADDRESS and not self.names_someone(value, kind, upper_case_counts=True)

    def _result(self, start: int, end: int, kind: str, score: float) -> RecognizerResult:
        return RecognizerResult(
            entity_type=kind,
            start=start,
            end=end,
            score=score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: "NerTaggerRecognizer",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


def _inside(regions: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when ``[start, end)`` lies within one of ``regions``."""
    return any(first <= start and end <= last for first, last in regions)
