"""Whether a message is plausibly English: the assistant understands English only."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Common English words, typed or in text-speak, that are not everyday words of the other
# languages our customers write in ("no", "me", "a" are left out for that reason).
ENGLISH_WORDS = frozenset("""
i i'm i've im my me mine you your you're u ur we our us they their it it's its this that these
those the an and or but if so not isn't doesn't don't didn't can't cannot won't wasn't haven't
is are was were be been am have has had do does did will would should could can may might must
what why when where which who how much many any some all still yet just already again also only
to of for on at from by with about into out up off over after before than then there here
get got give want need like please pls plz thanks thank thx hi hello hey ok okay yes yeah
card cards money account accounts transfer transfers payment payments pay paid help bank balance
pin cash atm top fee fees charge charged charges refund app phone lost stolen send sent
receive received deposit withdraw withdrawal statement exchange rate limit verify identity
new old wrong still long time days week month today yesterday working arrive arrived delivery
""".split())
# Everyday small words of the other languages customers most often write in (Spanish, French,
# German, Italian, Portuguese, Dutch, Polish, Romanian, Turkish), none of them English words.
OTHER_LANGUAGES_WORDS = frozenset("""
el la los las del por para con una mi tu su que qué como cómo está esta tengo quiero puedo
tarjeta cuenta dinero hola gracias por favor
le les des du et est je tu il elle nous vous ils mon ma mes ton ta avec pour pas dans une sur
carte compte argent bonjour merci
der die das und ist ich du wir sie mein meine nicht mit für ein eine kann habe bitte danke
karte konto geld hallo
il lo gli della che non sono ho mio mia una per con carta conto soldi ciao grazie
não meu minha uma com para cartão conta dinheiro olá obrigado
ik je het een niet mijn met voor kaart rekening geld hallo bedankt
nie jest mam moja moje karta konto pieniądze dziękuję
nu este am meu mea card cont bani mulțumesc
bir ve bu için değil kartım hesap para merhaba teşekkürler
""".split())
MIN_WORDS = 3


def _latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    return latin / len(letters)


def looks_english(text: str) -> bool:
    """False for text mostly in a non-Latin script, or of three words or more with small words
    of another language and none of English; True otherwise (short text, typos and gibberish
    get the benefit: they are asked to rephrase)."""
    if _latin_share(text) < 0.5:
        return False
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < MIN_WORDS or any(w in ENGLISH_WORDS for w in words):
        return True
    return not any(w in OTHER_LANGUAGES_WORDS for w in words)
