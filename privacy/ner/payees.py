"""Payees named in payment phrasing: "send £250 to Wei Nguyen", "pay harriet okonkwo back".

The tagger reads a name from the words around it; after "to", "from", "for" or "pay" in a
message about money a name often stands alone, lower case, or is a name the tagger has not
seen. A word after such a trigger counts as part of a name when it is written like one
(capitalised, and not a common English word unless it is also a first name or surname) or
when it is a known first name or surname that is no common word. The name runs over name
words and rare ones, and needs one name word or two rare ones ("esperanza donnelly").
"""

import re
from collections.abc import Iterator

from privacy.ner.gazetteer import Gazetteer
from privacy.vocabulary import KEEP_WORDS, MERCHANT_WORDS

_TRIGGER = re.compile(
    r"\b(?:to|from|for|pay|paid|paying|owe|payee|beneficiary|recipient|called|named)"
    r"(?:(?:'s)?\s+name)?(?:\s+is)?\s*[:,]?\s+",
    re.I,
)
_PAYMENT = re.compile(
    r"[£$€]|\d|\b(?:send|sent|sending|pay|paid|paying|payment|transfer\w*|wire|owe|payee|beneficiary|"
    r"recipient|refund\w*|money|cash|iban|account)\b",
    re.I,
)
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_NAME_LISTS = ("first", "last")
_COMMON = ("top1k", "top5k")
_HONORIFIC = "honorific"
_MAX_WORDS = 4


class PayeeFinder:
    """Finds payee names after payment triggers.

    Args:
        gazetteer: the tagger's word lists (first names, surnames, countries, frequent words).
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each payee name in ``text``."""
        if _PAYMENT.search(text) is None:
            return
        for trigger in _TRIGGER.finditer(text):
            span = self._name_after(text, trigger.end())
            if span is not None:
                yield span

    def _name_after(self, text: str, position: int) -> tuple[int, int] | None:
        start = end = position
        count = 0
        named = False
        for word in _WORD.finditer(text, position):
            if word.start() != end and text[end : word.start()].strip():
                break  # punctuation between words ends the name
            classes = self._classes(word.group())
            if count == 0 and _HONORIFIC in classes:
                end = word.end()
                continue
            is_name = self._is_name_word(word.group(), classes)
            if not (is_name or self._is_unknown(word.group(), classes)):
                break
            named = named or is_name
            end = word.end()
            count += 1
            if count == _MAX_WORDS:
                break
        return (start, end) if named or count >= 2 else None

    def _classes(self, word: str) -> set[str]:
        bare = word.casefold().removesuffix("'s").removesuffix("’s")
        return set(self._gazetteer.classes(bare).split("+")) - {""}

    @staticmethod
    def _is_name_word(word: str, classes: set[str]) -> bool:
        bare = word.casefold().removesuffix("'s").removesuffix("’s")
        if (
            bare in KEEP_WORDS
            or bare in MERCHANT_WORDS
            or classes & {"country", "state", "time", "company", "street"}
        ):
            return False
        named = bool(classes & set(_NAME_LISTS))
        common = bool(classes & set(_COMMON))
        if word[0].isupper() and not word.isupper():
            return named or not common
        return named and not common

    @staticmethod
    def _is_unknown(word: str, classes: set[str]) -> bool:
        bare = word.casefold()
        return (
            bare not in KEEP_WORDS
            and bare not in MERCHANT_WORDS
            and not classes & {"top1k", "top5k", "time", "country", "state", "company", "street"}
        )
