"""Nationality, religion and political group (GDPR special categories): "I am Cambodian".

A word list, matched as whole words; a language name after "in", "speak" or before
"language"/"speaking" is a language preference, not a nationality, and is kept.
"""

from typing import ClassVar

from presidio_analyzer import Pattern

from privacy.entities import Entity
from privacy.recognizers.base import BankingPatternRecognizer

NATIONALITIES = """
afghan albanian algerian american andorran angolan argentine argentinian armenian australian
austrian azerbaijani bahamian bahraini bangladeshi barbadian belarusian belgian belizean
beninese bhutanese bolivian bosnian botswanan brazilian british bruneian bulgarian burkinabe
burmese burundian cambodian cameroonian canadian chadian chilean chinese colombian congolese
croatian cuban cypriot czech danish djiboutian dominican dutch ecuadorian egyptian emirati
english eritrean estonian ethiopian fijian filipino finnish french gabonese gambian georgian
german ghanaian greek grenadian guatemalan guinean guyanese haitian honduran hungarian
icelandic indian indonesian iranian iraqi irish israeli italian ivorian jamaican japanese
jordanian kazakh kenyan korean kosovar kuwaiti kyrgyz lao laotian latvian lebanese liberian
libyan lithuanian luxembourgish macedonian malagasy malawian malaysian maldivian malian
maltese mauritanian mauritian mexican moldovan monegasque mongolian montenegrin moroccan
mozambican namibian nepalese nepali nicaraguan nigerian nigerien norwegian omani pakistani
palestinian panamanian paraguayan persian peruvian polish portuguese qatari romanian russian
rwandan salvadoran samoan saudi scottish senegalese serbian singaporean slovak slovakian
slovenian somali south_african spanish sri_lankan sudanese surinamese swazi swedish swiss
syrian taiwanese tajik tanzanian thai togolese tongan trinidadian tunisian turkish turkmen
ugandan ukrainian uruguayan uzbek venezuelan vietnamese welsh yemeni zambian zimbabwean
arab arabic asian african european latino latina hispanic caucasian kurdish roma romani
basque catalan flemish walloon greenlandic faroese
""".split()
NATIONALITIES = [word.replace("_", " ") for word in NATIONALITIES]  # "sri_lankan" -> "sri lankan"
# "Saudis", "Americans", "Czechs": plural forms of the nationalities.
NATIONALITY_PLURALS = [word + "s" for word in NATIONALITIES if not word.endswith(("s", "sh", "se", "x", "z"))]
RELIGIONS = """
christian christians catholic catholics protestant protestants anglican orthodox methodist
baptist lutheran presbyterian mormon evangelical muslim muslims islamic sunni sunnis shia
shiite shiites shiis jewish jew jews hindu hindus buddhist buddhists sikh sikhs jain jains
atheist atheists agnostic agnostics pagan zoroastrian bahai rastafarian taoist quaker
""".split()
POLITICAL = """
democrat democrats republican republicans conservative conservatives labour liberal liberals
socialist socialists communist communists libertarian libertarians tory tories
""".split()
_LANGUAGE_BEFORE = ("in ", "speak ", "speaks ", "speaking ", "into ", "learn ", "learning ")
_LANGUAGE_AFTER = (" language", " speaking", " speaker", " translation", " version")


def _words_regex(words: list[str]) -> str:
    return r"\b(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\b"


class NrpRecognizer(BankingPatternRecognizer):
    """Finds nationalities, religions and political groups from a word list."""

    ENTITY = Entity.NRP
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("nationality", _words_regex(NATIONALITIES + NATIONALITY_PLURALS), 0.6),
        Pattern("religion", _words_regex(RELIGIONS), 0.6),
        Pattern(
            "political", r"(?<=\b(?:a|an|am|vote|voted|voting|support|as) )" + _words_regex(POLITICAL), 0.55
        ),
    ]

    def accept(self, text: str, start: int, end: int) -> bool:
        """Keeps language names out ("in French", "Spanish speaking")."""
        before = text[max(0, start - 10) : start].lower()
        after = text[end : end + 12].lower()
        return not (before.endswith(_LANGUAGE_BEFORE) or after.startswith(_LANGUAGE_AFTER))
