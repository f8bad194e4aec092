"""The base class of our pattern recognizers: Presidio patterns plus a fast context check.

Presidio's own context enhancer needs lemmas from a spaCy pipeline; ours looks for the
``CONTEXT`` words in a character window around the match, so it also works with the
no-op NLP engine and costs one regex search.

The patterns run as Presidio's ``PatternRecognizer`` runs them (the same regex flags and
timeout, validation and invalidation, duplicates removed) without what it adds per pattern
and match for its decision-process log (two clock reads, a debug record, an explanation
object): with some thirty recognizers on every message that overhead was a third of the
redaction time.
"""

import re
from typing import ClassVar

import regex
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.pattern_recognizer import REGEX_TIMEOUT_SECONDS


class BankingPatternRecognizer(PatternRecognizer):
    """A PatternRecognizer configured by class attributes.

    Attributes:
        ENTITY: the entity type produced.
        PATTERNS: Presidio patterns (name, regex, score).
        CONTEXT: words that make a match more likely when found near it.
        CONTEXT_BEFORE, CONTEXT_AFTER: window sizes in characters.
        CONTEXT_BOOST: added to the score when a context word is near.
        REQUIRES_CONTEXT: drop matches with no context word near, unless ``stands_alone`` says
            the value is unmistakable by itself.
        FLAGS: regex flags of the patterns.
    """

    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[list[Pattern]]
    CONTEXT: ClassVar[list[str]] = []
    CONTEXT_BEFORE: ClassVar[int] = 40
    CONTEXT_AFTER: ClassVar[int] = 0
    CONTEXT_BOOST: ClassVar[float] = 0.4
    REQUIRES_CONTEXT: ClassVar[bool] = False
    FLAGS: ClassVar[int] = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE

    def __init__(self) -> None:
        patterns = [Pattern(p.name, p.regex, p.score) for p in self.PATTERNS]
        super().__init__(
            supported_entity=self.ENTITY,
            name=type(self).__name__,
            patterns=patterns,
            global_regex_flags=self.FLAGS,
        )
        self._context_regex = (
            re.compile(r"\b(?:" + "|".join(re.escape(w) for w in self.CONTEXT) + r")", re.I)
            if self.CONTEXT
            else None
        )
        self._compiled = [(p.score, regex.compile(p.regex, flags=self.FLAGS)) for p in patterns]
        self._metadata = {
            RecognizerResult.RECOGNIZER_NAME_KEY: type(self).__name__,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
        }

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Runs the patterns, then adjusts each score by the context around it."""
        kept = []
        for result in self.pattern_results(text):
            if not self.accept(text, result.start, result.end):
                continue
            if self._context_regex is not None:
                start, end = result.start, result.end
                if self.has_context(text, start, end) or self.beside(text, start, end):
                    result.score = min(EntityRecognizer.MAX_SCORE, result.score + self.CONTEXT_BOOST)
                elif self.REQUIRES_CONTEXT and not self.stands_alone(text, start, end):
                    continue
            kept.append(result)
        return kept

    def pattern_results(self, text: str) -> list[RecognizerResult]:
        """Every pattern's matches that validation and invalidation leave a score above the
        minimum, duplicates removed (``PatternRecognizer.analyze`` without its log)."""
        results = []
        for score, compiled in self._compiled:
            for match in compiled.finditer(text, timeout=REGEX_TIMEOUT_SECONDS):
                start, end = match.span()
                if start == end:
                    continue
                value = text[start:end]
                valid = self.validate_result(value)
                if valid is not None:
                    score_now = EntityRecognizer.MAX_SCORE if valid else EntityRecognizer.MIN_SCORE
                else:
                    score_now = score
                if self.invalidate_result(value):
                    score_now = EntityRecognizer.MIN_SCORE
                if score_now > EntityRecognizer.MIN_SCORE:
                    results.append(RecognizerResult(self.ENTITY, start, end, score_now,
                                                    recognition_metadata=dict(self._metadata)))
        return EntityRecognizer.remove_duplicates(results)

    def has_context(self, text: str, start: int, end: int) -> bool:
        """True when a ``CONTEXT`` word occurs in the window around ``[start, end)``."""
        if self._context_regex is None:
            return False
        window = text[max(0, start - self.CONTEXT_BEFORE) : start]
        if self.CONTEXT_AFTER:
            window += " " + text[end : end + self.CONTEXT_AFTER]
        return self._context_regex.search(window) is not None

    def beside(self, text: str, start: int, end: int) -> bool:
        """Hook: True when a neighbouring value counts as context (an account number after a
        sort code); none by default."""
        return False

    def stands_alone(self, text: str, start: int, end: int) -> bool:
        """Hook: True when a match needs no context word even though ``REQUIRES_CONTEXT`` is set
        (a value whose format and check fields leave no doubt); False by default."""
        return False

    def accept(self, text: str, start: int, end: int) -> bool:
        """Hook for checks that need the surrounding text; keeps every match by default."""
        return True


def digits_of(value: str) -> str:
    """The digits of ``value``, in order."""
    return "".join(ch for ch in value if ch.isdigit())


def luhn_valid(number: str) -> bool:
    """True when the digit string passes the Luhn checksum."""
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0
