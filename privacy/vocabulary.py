"""The bot's working vocabulary: words that look like names or organisations but must survive.

Product names, card networks, account types and banking words are what the bot works
on; the tagger sometimes takes a capitalised product name for an organisation. Spans of
the name-like types whose every word is in this list are dropped.
"""

from privacy.entities import Entity

NAME_LIKE_TYPES = frozenset(
    {Entity.PERSON, Entity.ORGANIZATION, Entity.LOCATION, Entity.TITLE, Entity.NRP, Entity.ADDRESS}
)

KEEP_WORDS = frozenset(
    """
    visa mastercard maestro amex american express discover apple google samsung pay paypal
    current savings saving account accounts isa cash stocks shares lifetime junior premier
    platinum gold silver classic reward rewards plus basic student graduate joint business
    personal mortgage mortgages loan loans overdraft credit debit card cards contactless
    chip pin online mobile banking app bank branch atm direct faster payment payments
    standing order orders transfer transfers bacs chaps swift sepa iban bic sort code
    statement statements balance interest rate rates fixed variable tracker term deposit bond
    bonds pension pensions insurance travel home car fraud dispute chargeback refund
    cheque cheques euro euros pound pounds sterling dollar dollars gbp usd eur fee fees
    monthly annual yearly weekly daily help support team customer service agent advisor
    hi hello hey thanks thank you please ok okay yes no sorry dear sir madam bot
    low medium high moderate cautious adventurous risk save borrow invest protect goal goals
    sure yeah yep nope maybe stop cancel never mind human person colleague someone
    tell me more interested not for
    """.split()
)


def is_working_vocabulary(text: str) -> bool:
    """True when every word of ``text`` is in the bot's vocabulary."""
    words = [w.strip(".,'’!?:;()\"").casefold() for w in text.split()]
    words = [w for w in words if w]
    return bool(words) and all(w in KEEP_WORDS for w in words)
