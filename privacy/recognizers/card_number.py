"""Payment card numbers: 12 to 19 digits, any grouping (even one digit at a time), Luhn-valid."""

import re
from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer, digits_of, luhn_valid

_GROUP = re.compile(r"\d+")
# A sort code and an account number written together ("20-32-06 51473538"), not a card.
_SORT_CODE_AND_ACCOUNT = re.compile(r"\d{2}([- ]?)\d{2}\1\d{2}[ ,/]{1,3}\d{4}[ \-]?\d{4}")


class CardNumberRecognizer(BankingPatternRecognizer):
    """Finds card numbers; a run of digit groups is split at group boundaries until a
    Luhn-valid number of 12 to 19 digits is found (so "4111 1111 1111 1111 12/27" works)."""

    ENTITY = Entity.CARD
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("digit_run", r"(?<![\w+\-./])\d(?:[ \-.]{0,2}\d|\n\d){11,40}(?![\w\-])", 0.6),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "card",
        "credit",
        "debit",
        "visa",
        "mastercard",
        "amex",
        "maestro",
        "cc",
        "pan",
    ]
    CONTEXT_BEFORE = 50
    CONTEXT_BOOST = 0.1
    # Issuer first digits without context: 1 (JCB 1800), 2 (Mastercard), 3-6.
    _ISSUER_FIRST_DIGITS = frozenset("123456")

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Splits each digit run into Luhn-valid card numbers."""
        results = []
        for run in self.pattern_results(text):
            if _SORT_CODE_AND_ACCOUNT.fullmatch(text, run.start, run.end) and not self.has_context(
                text, run.start, run.end
            ):
                continue
            results.extend(self._cards_in_run(text, run))
        return results

    def _cards_in_run(self, text: str, run: RecognizerResult) -> list[RecognizerResult]:
        groups = [
            (m.start() + run.start, m.end() + run.start) for m in _GROUP.finditer(text[run.start : run.end])
        ]
        found: list[RecognizerResult] = []
        first = 0
        while first < len(groups):
            match = self._longest_card_from(text, groups, first)
            if match is None:
                first += 1
                continue
            last, score = match
            found.append(self._result(groups[first][0], groups[last][1], score, run))
            first = last + 1
        return found

    def _longest_card_from(
        self, text: str, groups: list[tuple[int, int]], first: int
    ) -> tuple[int, float] | None:
        digits = ""
        best = None
        for last in range(first, len(groups)):
            digits += text[groups[last][0] : groups[last][1]]
            if len(digits) > 19:
                break
            if len(digits) >= 12 and luhn_valid(digits) and len(set(digits)) > 1:
                best = last
        if best is None:
            return None
        number = digits_of(text[groups[first][0] : groups[best][1]])
        context = self.has_context(text, groups[first][0], groups[best][1])
        if number[0] not in self._ISSUER_FIRST_DIGITS and not context:
            return None
        return best, 1.0 if context else 0.9

    def _result(self, start: int, end: int, score: float, run: RecognizerResult) -> RecognizerResult:
        return RecognizerResult(
            entity_type=self.ENTITY,
            start=start,
            end=end,
            score=score,
            analysis_explanation=run.analysis_explanation,
            recognition_metadata=run.recognition_metadata,
        )
