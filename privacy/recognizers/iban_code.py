"""IBANs: country code, check digits and BBAN, validated by length per country and mod-97."""

import re
from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer

# IBAN length per country (ISO 13616 registry).
IBAN_LENGTHS = {
    "AD": 24,
    "AE": 23,
    "AL": 28,
    "AT": 20,
    "AZ": 28,
    "BA": 20,
    "BE": 16,
    "BG": 22,
    "BH": 22,
    "BR": 29,
    "BY": 28,
    "CH": 21,
    "CR": 22,
    "CY": 28,
    "CZ": 24,
    "DE": 22,
    "DK": 18,
    "DO": 28,
    "EE": 20,
    "EG": 29,
    "ES": 24,
    "FI": 18,
    "FO": 18,
    "FR": 27,
    "GB": 22,
    "GE": 22,
    "GI": 23,
    "GL": 18,
    "GR": 27,
    "GT": 28,
    "HR": 21,
    "HU": 28,
    "IE": 22,
    "IL": 23,
    "IQ": 23,
    "IS": 26,
    "IT": 27,
    "JO": 30,
    "KW": 30,
    "KZ": 20,
    "LB": 28,
    "LC": 32,
    "LI": 21,
    "LT": 20,
    "LU": 20,
    "LV": 21,
    "MC": 27,
    "MD": 24,
    "ME": 22,
    "MK": 19,
    "MR": 27,
    "MT": 31,
    "MU": 30,
    "NL": 18,
    "NO": 15,
    "PK": 24,
    "PL": 28,
    "PS": 29,
    "PT": 25,
    "QA": 29,
    "RO": 24,
    "RS": 22,
    "SA": 24,
    "SC": 31,
    "SE": 24,
    "SI": 19,
    "SK": 24,
    "SM": 27,
    "ST": 25,
    "SV": 28,
    "TL": 23,
    "TN": 24,
    "TR": 26,
    "UA": 29,
    "VA": 22,
    "VG": 24,
    "XK": 20,
}
_ALNUM = re.compile(r"[A-Za-z0-9]")


def iban_valid(iban: str) -> bool:
    """True when ``iban`` (no separators) has its country's length and passes mod-97."""
    iban = iban.upper()
    if IBAN_LENGTHS.get(iban[:2]) != len(iban) or not iban[2:4].isdigit():
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


class IbanCodeRecognizer(BankingPatternRecognizer):
    """Finds IBANs written compact, in groups of four, or one character at a time."""

    ENTITY = Entity.IBAN
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("iban_run", r"\b[A-Z][ \-]?[A-Z][ \-]?\d[ \-]?\d(?:[ \-\n]?[A-Z0-9]){10,30}", 0.5),
    ]

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Cuts each candidate run at its country's IBAN length and checks mod-97.

        A run that is no IBAN ("LS6 2AB I can confirm the IBAN GB82 ...") would swallow the real
        IBAN after it, and a run going on past a found IBAN would swallow the next one. So such a
        run's start (or the IBAN found) is masked and the text scanned again (offsets unchanged),
        until no run is left unexplained.
        """
        results: dict[tuple[int, int], RecognizerResult] = {}
        masked = text
        while True:
            again = False
            for run in self.pattern_results(masked):
                end = self._iban_end(text, run.start, run.end)
                if end is None:
                    masked = masked[: run.start] + " " + masked[run.start + 1 :]
                    again = True
                    continue
                if run.end > end:  # the run went on past the IBAN: look there again
                    masked = masked[: run.start] + " " * (end - run.start) + masked[end:]
                    again = True
                run.end = end
                run.score = 1.0
                results.setdefault((run.start, run.end), run)
            if not again:
                return sorted(results.values(), key=lambda r: r.start)

    @staticmethod
    def _iban_end(text: str, start: int, end: int) -> int | None:
        """Where the IBAN starting at ``start`` ends, or ``None`` when there is none."""
        chars = list(_ALNUM.finditer(text, start, end))
        length = IBAN_LENGTHS.get((chars[0].group() + chars[1].group()).upper())
        if length is None or len(chars) < length:
            return None
        iban_end = chars[length - 1].end()
        if iban_end < len(text) and text[iban_end].isalnum() and text[iban_end - 1].isalnum():
            return None  # the IBAN would end inside a word
        if not iban_valid("".join(m.group() for m in chars[:length])):
            return None
        return iban_end
