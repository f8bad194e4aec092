"""The bot's working vocabulary: words that look like names or places but must survive.

Product names, card networks, merchants as statements spell them, currencies, months and
banking words are what the bot works on; the tagger sometimes takes a capitalised product
name for an organisation or an amount for an address. A name-like span is dropped when
every word of it is in this vocabulary, when it is an amount, when it names a currency
("Russian" in "Russian Ruble") or when it is the country a payment or a trip goes to.

A merchant is kept in a message about money: its words are all merchant words, it is a
name listed in ``data/merchants.txt`` ("Octopus Energy"), or it stands where a merchant
does ("spent at Greggs", "my Vodafone bill", "a refund from ASOS"); "I work at Greggs" is
not one.
"""

import re
from pathlib import Path

from privacy.entities import Entity

NAME_LIKE_TYPES = frozenset(
    {Entity.PERSON, Entity.ORGANIZATION, Entity.LOCATION, Entity.TITLE, Entity.NRP, Entity.ADDRESS}
)

CURRENCY_WORDS = frozenset(
    """
    aud usd eur gbp cad jpy chf nzd sek nok dkk pln czk huf ron bgn hrk inr thb cny rmb hkd sgd
    myr idr php vnd krw twd zar ngn kes ghs egp mad aed sar qar try rub uah ils brl mxn ars clp
    cop pen btc eth usdt
    dollar dollars euro euros pound pounds sterling quid yen yuan renminbi rupee rupees franc
    francs krona kronor krone kroner peso pesos real reais rand dirham dirhams baht won lira
    zloty zlotys forint koruna ruble rubles rouble roubles hryvnia shekel shekels ringgit dong
    riyal riyals dinar dinars leu lev naira shilling shillings cedi rupiah cent cents pence
    """.split()
)
MERCHANT_WORDS = frozenset(
    """
    amzn mktp amazon prime tesco sainsbury's sainsburys uber eats netflix spotify deliveroo just
    eat airbnb booking booking.com ryanair easyjet tfl trainline steam costa starbucks mcdonald's boots
    argos ebay asos zara ikea lidl aldi waitrose pret shell bp currys primark disney etsy
    microsoft apple google play paypal sq coffee shop stores amazon.co.uk trip itunes xbox
    playstation nintendo deliveroo revolut monzo wise transferwise western union moneygram
    mcdonald mcdonalds sainsbury marks spencer m&s jd sports nike adidas h&m
    """.split()
)
MERCHANTS_FILE = Path(__file__).with_name("data") / "merchants.txt"


def _merchant_names(path: Path) -> re.Pattern[str]:
    """One pattern for the listed merchant names, whole words, any case."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    names = sorted({line for line in lines if line and not line.startswith("#")}, key=len, reverse=True)
    spelled = (r"\s+".join(re.escape(word) for word in name.split()) for name in names)
    return re.compile(r"(?<!\w)(?:" + "|".join(spelled) + r")(?:'s|’s)?(?!\w)", re.I)


MERCHANT_NAMES = _merchant_names(MERCHANTS_FILE)
MAJOR_CITIES_FILE = Path(__file__).with_name("data") / "major_cities.txt"
MAJOR_CITIES = frozenset(
    line.strip().casefold()
    for line in MAJOR_CITIES_FILE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)
KEEP_WORDS = (
    frozenset(
        """
        visa mastercard maestro amex american express discover apple google samsung pay paypal
        current savings saving saver account accounts isa cash stocks shares lifetime junior premier
        platinum gold silver classic reward rewards plus basic student graduate joint business
        personal mortgage mortgages loan loans overdraft credit debit card cards contactless
        chip pin online mobile banking app bank branch atm direct faster payment payments
        standing order orders transfer transfers bacs chaps swift sepa iban bic sort code
        statement statements balance interest rate rates fixed variable tracker term deposit bond
        bonds pension pensions insurance travel home car fraud dispute chargeback refund
        cheque cheques fee fees easy access regular virtual pot pots holiday fund
        monthly annual yearly weekly daily help support team customer service agent advisor
        hi hello hey thanks thank you please ok okay yes no sorry dear sir madam bot
        bye goodbye cheers cheerio ta cya later laters nothing else all good great done fine nah
        cool nice brilliant awesome perfect lovely sorted gracias merci danke ciao adios
        hmm hmmm hm um umm uh er erm ah oh ooh ugh meh huh dunno idk
        low medium high moderate cautious adventurous risk save borrow invest protect goal goals
        sure yeah yep nope maybe stop cancel never mind human person colleague someone
        tell me more interested not for the a an my your our this that it
        pend pending pended top top-up topup topped drawl withdrawal withdraw metro copy reverted
        declined exchange wire abroad machine reader ticket salary
        nhs hmrc dvla irs ssn itin nino ni dob cvv cvc pan sms otp id national social security tax
        january february march april may june july august september october november december
        jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
        saturday sunday today tomorrow yesterday week weekend month year morning night last next
        grand europe european asia africa america americas oceania uk usa us uae eu
        atm atms asap im i'm am services internet international urgent seller store merchant
        rang ring rings called call calls phoned phone texted text emailed messaged contacted
        said says told tells asked asks wrote
        """.split()
    )
    | CURRENCY_WORDS
)

_AMOUNT = re.compile(
    r"^(?:(?:about|around|roughly|approx\.?|approximately|circa|over|under|between|and|to|up|at|least|"
    r"most|nearly|almost|just|out|of|the|a|my|some|maybe|only|[£$€]|k|m|bn|grand|quid|pounds?|"
    r"euros?|dollars?|\d[\d,.]*(?:k|m|bn)?|[\-–/+~])\s*)+$",
    re.I,
)
_TRANSACTION = re.compile(
    r"[£$€]|\d|\b(?:charg\w*|pa(?:y|id|ying|yments?)|refund\w*|transactions?|subscriptions?|statements?|"
    r"debit\w*|pending|pend|bought|buy|order\w*|purchas\w*|spen[dt]\w*|cards?|dispute|recogni[sz]e|"
    r"cancel\w*|took|taken|cost|price|bill\w*|receipt|top.?up|fees?|cashback|money|account|balance|banks?|banking)\b",
    re.I,
)
# Where a merchant stands: after spending words and a preposition ("spent £4 at", "a refund
# from", "payment to"), or before the thing it bills ("Vodafone bill", "Netflix subscription").
_MERCHANT_BEFORE = re.compile(
    r"\b(?:spen[dt]\w*|shop\w*|bought|buy\w*|purchas\w*|paid|pay(?:ing|ments?)?|charge[sd]?|order\w*|"
    r"refund\w*|transactions?|debits?|took|taken)\b(?:\s+[\w£$€.,'’]+){0,4}?\s+(?P<preposition>at|on|from|with|by|to)"
    r"\s+(?:the\s+)?$",
    re.I,
)
_MERCHANT_AFTER = re.compile(
    r"(?:'s|’s)?\s+(?:bills?|subscriptions?|direct\s+debits?|dd|standing\s+orders?|payments?|charges?|"
    r"transactions?|refund(?:s|ed)?|orders?|purchases?|membership|invoices?|receipts?|delivery|deliveries)\b",
    re.I,
)
# Work said before a name, or time spent at it ("spent a year at Allstate"): no merchant.
_WORK = re.compile(r"\b(?:work\w*|employ\w*|job|boss|colleagues?|staff|manager|assistant|intern\w*)\b", re.I)
_DURATION = re.compile(r"\b(?:years?|months?|weeks?|days?|hours?|summers?|decades?|time|life|career)\b", re.I)
# Which name-like types may be a merchant, by where they stand: the tagger calls a merchant
# an organisation, a place ("British Gas") or, after "at", a person ("Pret A Manger").
_MERCHANT_AFTER_PREPOSITION: dict[str, frozenset[str]] = {
    Entity.ORGANIZATION: frozenset({"at", "on", "from", "with", "by", "to"}),
    Entity.LOCATION: frozenset({"at", "from", "with", "by"}),
    Entity.PERSON: frozenset({"at"}),
}
_MERCHANT_BEFORE_WORDS = frozenset({Entity.ORGANIZATION, Entity.LOCATION})
_CURRENCY_AFTER = re.compile(r"^\s+(\w+)")
_DESTINATION_BEFORE = re.compile(
    r"\b(?:to|in|into|from|for|visiting|visit|abroad|across)\s+(?:the\s+)?$", re.I
)
_TRIP_OR_PAYMENT = re.compile(
    r"\b(?:send|sent|sending|transfer\w*|pay\w*|wire|money|travel\w*|trips?|holidays?|vacation|going|"
    r"flying|fly|visit\w*|moving|move|abroad|cards?|cash|withdraw\w*|atms?|charged?|fees?|limits?|rates?|"
    r"currenc\w*|delivery|deliver\w*|"
    r"declined|work|use|spend\w*|cost|exchange|account|international|overseas|bank)\b",
    re.I,
)


def _words(text: str) -> list[str]:
    words = [w.strip(".,'’!?:;()*\"").casefold() for w in text.split()]
    return [w for w in words if w]


def is_working_vocabulary(text: str) -> bool:
    """True when every word of ``text`` (or its singular) is in the bot's vocabulary."""
    words = _words(text)
    return bool(words) and all(_kept_word(w) for w in words)


def _kept_word(word: str, merchants: bool = False) -> bool:
    """A vocabulary word or its singular; with ``merchants``, also a merchant or its domain."""
    return (
        word in KEEP_WORDS
        or word.removesuffix("s") in KEEP_WORDS
        or (merchants and (word in MERCHANT_WORDS or word.split(".")[0] in MERCHANT_WORDS or word.isdigit()))
    )


def _alone(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is the whole message (bar end punctuation)."""
    return not text[:start].strip() and not text[end:].strip(" .!?")


def is_merchant(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is a merchant or brand named in a message about a
    transaction ("AMZN MKTP charged me twice") or alone, as the answer to the bot's question;
    "I work for Microsoft" is not one."""
    words = _words(text[start:end])
    listed = all(_kept_word(w, merchants=True) for w in words) or any(
        m.start() <= start and end <= m.end() for m in MERCHANT_NAMES.finditer(text)
    )
    return (
        bool(words)
        and listed
        and (_TRANSACTION.search(text) is not None or _alone(text, start, end))
    )


def stands_as_merchant(text: str, start: int, end: int, entity_type: str) -> bool:
    """True when a span of ``entity_type`` stands where a merchant does: after spending words
    and a preposition ("how much did I spend at Greggs", "a payment to Ocado") or before what
    a merchant bills ("my Octopus Energy bill"), in a sentence that says nothing of work."""
    sentence_start = max(text.rfind(mark, 0, start) for mark in ".!?\n") + 1
    before = text[sentence_start:start]
    if _WORK.search(before):
        return False
    spent = _MERCHANT_BEFORE.search(before)
    if (
        spent is not None
        and not _DURATION.search(spent.group())
        and spent.group("preposition").lower() in _MERCHANT_AFTER_PREPOSITION.get(entity_type, frozenset())
    ):
        return True
    return entity_type in _MERCHANT_BEFORE_WORDS and _MERCHANT_AFTER.match(text, end) is not None


_TRIP = re.compile(
    r"\b(?:travel\w*|trips?|holidays?|vacation|going|flying|fly|flight|visit\w*|abroad|overseas|"
    r"cards?|cash|withdraw\w*|atms?|currenc\w*|exchange|spend\w*)\b",
    re.I,
)


def is_major_city(value: str) -> bool:
    """True for a city of 500,000 people or more, as GeoNames spells it ("Dubai", "New York")."""
    return " ".join(value.split()).strip(".,!?").casefold() in MAJOR_CITIES


def is_trip_destination(text: str, start: int) -> bool:
    """True when a place at ``start`` is where a trip goes ("flying to Dubai", "cash in
    Tokyo"); a payment's destination alone is not enough for a city."""
    return (
        _DESTINATION_BEFORE.search(text[max(0, start - 20) : start]) is not None
        and _TRIP.search(text) is not None
    )


def is_amount(text: str) -> bool:
    """True for an amount or a range of amounts ("about 20000", "£5k", "between 200 and 300")."""
    return any(ch.isdigit() for ch in text) and _AMOUNT.match(text.strip()) is not None


def names_currency(text: str, start: int, end: int) -> bool:
    """True when the span or the word after it ends in a currency ("Russian Ruble", "Russian"
    in "Russian Ruble")."""
    words = _words(text[start:end])
    after = _CURRENCY_AFTER.match(text[end : end + 20])
    return (bool(words) and words[-1] in CURRENCY_WORDS) or (
        after is not None and after.group(1).casefold() in CURRENCY_WORDS
    )


def is_destination(text: str, start: int) -> bool:
    """True when a place at ``start`` is where a payment or a trip goes ("send £50 to Spain")."""
    return (
        _DESTINATION_BEFORE.search(text[max(0, start - 20) : start]) is not None
        and _TRIP_OR_PAYMENT.search(text) is not None
    )
