"""Payees named in payment phrasing: "send £250 to Wei Nguyen", "pay harriet okonkwo back".

The tagger reads a name from the words around it; after "to", "from", "for" or "pay" in a
message about money a name often stands alone, lower case, or is a name the tagger has not
seen. A word after such a trigger counts as part of a name when it is written like one
(capitalised, and not a common English word unless it is also a first name or surname) or
when it is a known first name or surname that is no common word. The name runs over name
words and rare ones, and needs one name word or two rare ones ("esperanza donnelly"). After
the first word, a first name or surname that is no everyday word counts even where it is
also common or part of a country's name ("mohammed ali", "ana lucia costa"). A lone first
name that is also a common word counts right after "pay", "owe" or "to" when an amount, "back"
or the end of the message follows it ("pay dave 20", "I owe sarah £15").
"""

import re
from collections.abc import Iterator

from privacy.ner.gazetteer import Gazetteer
from privacy.vocabulary import KEEP_WORDS, MERCHANT_WORDS

_TRIGGER = re.compile(
    r"\b(?:to|from|for|pay(?:\s+back)?|paid(?:\s+back)?|paying|owe|payee|beneficiary|recipient|called|named)"
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
# Where a lone, common first name is read as a payee: after these words, before an amount.
_DIRECT_TRIGGER = re.compile(r"\b(?:pay|paid|paying|owe|owes|owed|to)(?:\s+back)?\s+$", re.I)
_AMOUNT_AFTER = re.compile(r"\s*(?:$|[£$€]\s?\d|\d|back\b)", re.I)
# First names that are also words of amounts and limits ("pay max 500").
_QUANTITY_WORDS = frozenset({"max", "min", "per", "more", "less", "extra", "over", "under", "half"})


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
            is_name = self._is_name_word(word.group(), classes) or (
                count > 0 and self._continues_name(word.group(), classes)
            )
            if not (is_name or self._is_unknown(word.group(), classes)):
                if count == 0 and self._lone_payee(text, position, word, classes):
                    return word.start(), word.end()
                break
            named = named or is_name
            end = word.end()
            count += 1
            if count == _MAX_WORDS:
                break
        return (start, end) if named or count >= 2 else None

    @staticmethod
    def _continues_name(word: str, classes: set[str]) -> bool:
        """A first name or surname that is no everyday word, after a name word ("ali")."""
        bare = word.casefold().removesuffix("'s").removesuffix("’s")
        return (
            bool(classes & set(_NAME_LISTS))
            and not classes & {"top1k", "time", "state", "company", "street"}
            and bare not in KEEP_WORDS
            and bare not in MERCHANT_WORDS
            and bare not in _QUANTITY_WORDS
        )

    @staticmethod
    def _lone_payee(text: str, position: int, word: "re.Match[str]", classes: set[str]) -> bool:
        """A common first name alone, right after "pay", "owe" or "to" and before an amount,
        "back" or the end ("pay dave 20", "I owe jack £40 back")."""
        bare = word.group().casefold().removesuffix("'s").removesuffix("’s")
        return (
            "first" in classes
            and not classes & {"top1k", "time", "country", "state", "company", "street"}
            and bare not in KEEP_WORDS
            and bare not in MERCHANT_WORDS
            and bare not in _QUANTITY_WORDS
            and _DIRECT_TRIGGER.search(text[max(0, position - 12) : position]) is not None
            and _AMOUNT_AFTER.match(text, word.end()) is not None
        )

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
