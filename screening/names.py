"""Names reduced to comparable tokens: Unicode normalisation, an ASCII fold, Cyrillic
romanisation, common transliteration equivalences and a spelling skeleton.

``tokens("Al-Qadiri, Muhammad")`` -> ``["al", "qadiri", "muhammad"]``;
``skeleton("Youssef")`` == ``skeleton("Yusuf")`` == ``"yusuf"``.
"""

from __future__ import annotations

import re
import unicodedata

# Romanisation of Cyrillic (Russian, Ukrainian, Belarusian, Serbian letters), BGN/PCGN-like.
CYRILLIC: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi",
    "є": "ye", "ґ": "g", "ў": "u", "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz",
}
# Letters that Unicode decomposition does not reduce to ASCII.
LATIN_EXTRA: dict[str, str] = {
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
    "ä": "ae", "ö": "oe", "ü": "ue",
}
_APOSTROPHES = re.compile(r"['’ʼ`´‘]")
_NOT_WORD = re.compile(r"[\W_]+")

# Spellings of the same name in common romanisations of Arabic, Persian, Russian and
# Ukrainian: each group reads as its first spelling.
EQUIVALENT_SPELLINGS: tuple[tuple[str, ...], ...] = (
    ("muhammad", "mohammed", "mohammad", "mohamed", "muhammed", "mohamad", "muhamad", "mohd",
     "muhamed", "mehmet", "mehmed", "mukhammad", "mokhammed", "mouhamed", "mohammadi"),
    ("ahmad", "ahmed", "akhmad", "akhmed", "achmed", "ahmet"),
    ("yusuf", "youssef", "yousef", "yusef", "yousuf", "jusuf", "yousif", "yussuf", "youcef"),
    ("aleksandr", "alexander", "alexandr", "aleksander", "oleksandr", "alexandre", "aleksandar",
     "alyaksandr"),
    ("aleksei", "alexei", "alexey", "aleksey", "oleksiy", "oleksii", "alexej", "aliaksei"),
    ("dmitri", "dmitry", "dmitriy", "dmitrii", "dmytro", "dzmitry", "dimitri"),
    ("sergei", "sergey", "serhiy", "serhii", "sergej", "serguei", "siarhei"),
    ("yuri", "yury", "yuriy", "iurii", "yurii", "jurij", "yuriy"),
    ("evgeny", "yevgeny", "evgeniy", "yevgeniy", "evgenii", "yevhen", "jewgeni", "evgeni",
     "yevgeni"),
    ("mikhail", "michail", "mykhailo", "mikhael"),
    ("nikolai", "nikolay", "mykola", "nicolai", "mikalai"),
    ("andrei", "andrey", "andriy", "andrii", "andrej"),
    ("vladimir", "volodymyr", "wladimir", "uladzimir"),
    ("pyotr", "petr", "petro"),
    ("fyodor", "fedor", "fiodor"),
    ("ibrahim", "ebrahim", "ibragim", "brahim", "ibraheem"),
    ("hussein", "husain", "hussain", "husein", "hossein", "houssein", "huseyn", "hosein",
     "hussien", "husayn"),
    ("hassan", "hasan"),
    ("abdullah", "abdallah", "abdulla", "abdollah"),
    ("abdulrahman", "abdurrahman", "abdirahman", "abderrahmane", "abdelrahman", "abdurahman"),
    ("omar", "umar", "omer"),
    ("osman", "uthman", "usman", "othman"),
    ("khalid", "khaled", "chaled", "halid"),
    ("mustafa", "mostafa", "moustafa", "mustapha", "mostapha"),
    ("mahmoud", "mahmud", "mahmood", "makhmud"),
    ("saleh", "salih", "salah"),
    ("said", "saeed", "sayed", "sayid", "saied"),
    ("jamal", "gamal", "djamal"),
    ("qasim", "kasim", "qassem", "kassem", "kasem", "qasem"),
    ("walid", "waleed", "oualid"),
    ("nabil", "nabeel"),
    ("hamid", "hamed"),
    ("tariq", "tarek", "tarik", "tareq"),
    ("rashid", "rachid", "rasheed"),
    ("fatima", "fatemeh", "fatma", "fatimah"),
    ("tatiana", "tatyana", "tetiana", "tatsiana", "tatjana"),
    ("olga", "olha", "volha"),
    ("natalia", "natalya", "nataliya"),
    ("igor", "ihor"),
    ("oleg", "oleh"),
    ("grigory", "grigori", "hryhoriy", "grigoriy"),
    ("vasily", "vasiliy", "vasyl", "vasili"),
    ("arkady", "arkadiy", "arkadii"),
    ("gennady", "gennadiy", "gennadii", "hennadiy"),
    ("farrukh", "farukh"),
    ("jurgen", "juergen", "jurgen"),
    ("zadeh", "zade"),
    ("nejad", "nezhad", "nejhad"),
    # Words of company names written in full or short.
    ("international", "intl"),
    ("group", "grp"),
    ("charitable", "charity"),
    ("defence", "defense"),
    ("services", "svcs"),
    ("brothers", "bros"),
    ("company", "co"),
    ("corporation", "corp"),
    ("limited", "ltd"),
)
CANONICAL: dict[str, str] = {
    spelling: group[0] for group in EQUIVALENT_SPELLINGS for spelling in group
}

# Ordered spelling rules of the skeleton: romanisations that write the same sound.
_SUFFIXES = (("skiy", "sky"), ("skii", "sky"), ("skyi", "sky"), ("ski", "sky"), ("off", "ov"),
             ("ow", "ov"), ("iy", "y"), ("ii", "y"), ("ij", "y"))
_HARD_C = re.compile(r"c(?=[aou]|$)")
_RULES = (("shch", "sh"), ("sch", "sh"), ("dzh", "j"), ("tch", "ch"), ("kh", "h"), ("zh", "j"),
          ("dj", "j"), ("gh", "g"), ("ph", "f"), ("ck", "k"), ("q", "k"), ("x", "ks"), ("w", "v"),
          ("ou", "u"), ("oo", "u"), ("ee", "i"), ("ue", "u"), ("oe", "o"), ("ye", "e"),
          ("yu", "iu"), ("ya", "ia"), ("y", "i"))


def fold(text: str) -> str:
    """Lower-case ASCII words of ``text``: accents dropped, Cyrillic romanised, apostrophes
    removed and any other punctuation a space; letters of other scripts are kept."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(CYRILLIC.get(char, LATIN_EXTRA.get(char, char)) for char in text)
    text = "".join(char for char in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(char))
    text = _APOSTROPHES.sub("", text).replace("&", " and ")
    return _NOT_WORD.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    """The folded words of a name, hyphenated parts apart."""
    return fold(text).split()


def skeleton(token: str) -> str:
    """A spelling key: equal for the usual romanisations of one name (Yusuf, Youssef)."""
    canonical = CANONICAL.get(token)
    if canonical is not None:
        return _spelt(canonical)
    spelt = _spelt(token)
    return _SPELT_CANONICAL.get(spelt, spelt)


def _spelt(token: str) -> str:
    for ending, replacement in _SUFFIXES:
        if token.endswith(ending) and len(token) > len(ending) + 2:
            token = token[: -len(ending)] + replacement
            break
    for old, new in _RULES:
        token = token.replace(old, new)
    token = _HARD_C.sub("k", token)
    return re.sub(r"(.)\1+", r"\1", token)


_SPELT_CANONICAL: dict[str, str] = {
    _spelt(spelling): _spelt(group[0]) for group in EQUIVALENT_SPELLINGS for spelling in group
}
