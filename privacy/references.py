"""Payment references: where in a message the customer writes the words the payee will see.

A reference is short and often upper case ("ELEC DEC", "RENT JAN", "Flat 2 rent"); the
tagger reads such words by their shape and takes them for places, organisations or people.
Inside a reference a name-like span needs real evidence of a name to be redacted (see
:class:`privacy.ner.recognizer.NerTaggerRecognizer`). A reference is:

* the words right after a cue: "reference ELEC DEC", "ref: XMAS", "the reference should be
  RENT JAN", "change the reference to COUNCIL TAX";
* the words right before "as the reference": "use ELEC DEC as the reference";
* a short reply to the bot's question for one ("What reference should they see?"): the
  redactor reads it after :data:`REFERENCE_CUE`.
"""

import re

# The longest reference the bot accepts (``assistant/actions/payments.py``) and a margin.
REFERENCE_CHARS = 24
# What the redactor writes before a reply to a question for a reference.
REFERENCE_CUE = "reference: "
_CUE_BEFORE = re.compile(
    r"\b(?:ref|reference|payment\s+ref(?:erence)?)\b\.?"
    r"(?:\s*(?:is|should\s+be|will\s+be|to\s+say|says?|as|to|of|like|[:=\-\u2013]))*\s*",
    re.I,
)
_CUE_AFTER = re.compile(r"\s+as\s+(?:the\s+|a\s+|my\s+|your\s+)?(?:payment\s+)?ref(?:erence)?\b", re.I)
# What a reference is made of (the bot allows letters, digits, spaces and . - / &).
_REFERENCE_TEXT = re.compile(rf"[\w .\-/&'’]{{1,{REFERENCE_CHARS}}}")
_WORDS_BEFORE = re.compile(
    r"(?:\b(?:use|put|write|add|have|with|just)\s+)?(?P<words>[\w.\-/&'’][\w .\-/&'’]*)$", re.I
)
_ASKS_FOR_A_REFERENCE = re.compile(r"\bref(?:erence)?s?\b", re.I)
# Words that start the rest of a sentence rather than the reference ("ref XMAS and pay ...").
_CLAUSE_BREAK = re.compile(r"\s+(?:and|then|please|pls|thanks|thank|but|so|to|from|for|on|by)\b.*$", re.I)


def asks_for_reference(question: str) -> bool:
    """True when the bot's question asks for a payment reference."""
    return _ASKS_FOR_A_REFERENCE.search(question) is not None


def reference_regions(text: str) -> list[tuple[int, int]]:
    """(start, end) of each reference written after or before a cue in ``text``."""
    regions = []
    for cue in _CUE_BEFORE.finditer(text):
        words = _REFERENCE_TEXT.match(text, cue.end())
        if words is not None:
            value = _CLAUSE_BREAK.sub("", words.group()).rstrip(" .-/&'’")
            if value:
                regions.append((cue.end(), cue.end() + len(value)))
    for cue in _CUE_AFTER.finditer(text):
        words = _WORDS_BEFORE.search(text, max(0, cue.start() - REFERENCE_CHARS), cue.start())
        if words is not None:
            regions.append((words.start("words"), cue.start()))
    return regions
