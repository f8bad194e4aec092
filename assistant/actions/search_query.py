"""Reading a customer's question about their transactions into a ``TransactionQuery``.

"how much did I spend at Tesco last month", "show my Uber payments since payday", "what did
I spend on groceries in January", "how much did I earn in January", "payments to Latisha",
"all transactions over £100 this year". The message arrives redacted: a name the privacy
layer replaced (``<PERSON_1>``) cannot be searched for, and the request says so
(``hidden_name``). Rasa's ``date`` and ``account_type`` entities, when the model found any, are
used before the words of the message; merchants, payees and categories are read from the words.
Pure: no store, no clock.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from assistant import names
from assistant.actions.parsing import ParseError, parse_amount
from bank.enums import Category
from bank.matching import KIND_PHRASES
from bank.periods import PaydaySource, Period, find_period, normalise_text, parse_period
from bank.search import DEFAULT_PAGE_SIZE, MAX_TEXT, Direction, TransactionQuery

MAX_MESSAGE = 1000  # a question about transactions is short: the rest of a long message is not read

# What customers call each category; a whole phrase must match ("trainline" is no "train").
CATEGORY_PHRASES: dict[Category, tuple[str, ...]] = {
    Category.GROCERIES: (
        "groceries", "grocery", "grocery shopping", "food shopping", "food shop", "supermarket",
        "supermarkets", "food",
    ),
    Category.EATING_OUT: (
        "eating out", "eat out", "restaurants", "restaurant", "takeaways", "takeaway", "take away",
        "takeout", "dining", "dining out", "meals out", "coffee", "coffees", "cafes", "cafe", "lunch",
        "lunches", "dinners", "pubs", "pub", "bars", "drinks", "food delivery",
    ),
    Category.TRANSPORT: (
        "transport", "transportation", "public transport", "travel", "travelling", "commuting",
        "commute", "trains", "train tickets", "train fares", "buses", "bus fares", "the tube",
        "taxis", "taxi", "cabs", "fuel", "petrol", "diesel", "parking",
    ),
    Category.UTILITIES: (
        "bills", "utilities", "utility", "utility bills", "household bills", "energy", "gas",
        "electricity", "electric", "water", "water bill", "phone bill", "broadband", "internet",
    ),
    Category.RENT: ("rent", "mortgage", "housing"),
    Category.SALARY: ("salary", "wages", "wage", "pay cheque", "paycheck", "payslip"),
    Category.ENTERTAINMENT: (
        "entertainment", "subscriptions", "subscription", "streaming", "cinema", "movies", "films",
        "gym", "going out", "gigs", "concerts",
    ),
    Category.SHOPPING: ("shopping", "clothes", "clothing", "online shopping", "shops"),
    Category.CASH: ("cash", "cash withdrawals", "withdrawals", "atm", "cash machine"),
    Category.TRANSFER: ("transfers", "own transfers"),
}  # fmt: skip
CATEGORY_LABELS: dict[Category, str] = {
    Category.GROCERIES: "groceries",
    Category.RENT: "rent",
    Category.SALARY: "salary",
    Category.TRANSPORT: "transport",
    Category.EATING_OUT: "eating out",
    Category.UTILITIES: "bills",
    Category.ENTERTAINMENT: "entertainment",
    Category.SHOPPING: "shopping",
    Category.TRANSFER: "transfers",
    Category.CASH: "cash",
    Category.OTHER: "other",
}

_OUT = re.compile(
    r"\b(?:spen[dt]|spending|bought|buy|buying|purchas\w*|costs?|outgoings?|went\s+out|gone\s+out|"
    r"came\s+out|come\s+out|charged|charges|debits?|pa(?:y|id|ying|yments?)\s+(?:to|for|at)|"
    r"pa(?:id|yments?|y)|sent|send|bills?|subscriptions?|direct\s+debits?)\b"
)
_EARNED = re.compile(
    r"\b(?:earn\w*|salary|wages?|pay\s*(?:cheque|check|slip)|(?:got|get|been|was|were|being)\s+paid)\b"
)
_IN = re.compile(
    r"\b(?:income|received?|receiving|paid\s+in(?:to)?|came\s+in|come\s+in|gone\s+in|went\s+in|incoming|"
    r"credits|credited|credit(?!\s*cards?)|refunds?|refunded|deposits?|money\s+in|pa(?:id|yments?)\s+from)\b"
)
_BOTH = re.compile(r"\b(?:in\s+and\s+out|ins?\s+and\s+outs?|coming\s+and\s+going)\b")
_AMOUNT = r"(?P<{name}>[£$€]?\s?\d[\d,]*(?:\.\d{{1,2}})?\s?(?:k|pounds?|quid|gbp)?)"
_BETWEEN_AMOUNTS = re.compile(
    r"\b(?:between|from)\s+"
    + _AMOUNT.format(name="low")
    + r"\s+(?:and|to|-)\s+"
    + _AMOUNT.format(name="high")
)
_AT_LEAST = re.compile(
    r"(?:\b(?P<word>over|above|more\s+than|greater\s+than|bigger\s+than|larger\s+than|exceeding|"
    r"at\s+least|min(?:imum)?(?:\s+of)?)\s+|(?P<sign>>=?)\s*)" + _AMOUNT.format(name="amount")
)
_AT_MOST = re.compile(
    r"(?:\b(?P<word>under|below|less\s+than|smaller\s+than|up\s+to|at\s+most|no\s+more\s+than|"
    r"max(?:imum)?(?:\s+of)?)\s+|(?P<sign><=?)\s*)" + _AMOUNT.format(name="amount")
)
_TOKEN = re.compile(r"<[A-Z_]+_\d+>|[^\W_][\w&'.\-]*")
_PREPOSITIONS = frozenset({"at", "to", "from", "with", "in", "on", "for", "into", "of"})
# How a name is tied to the money in the answer ("at Tesco"); None: as the direction says.
_PREPOSITION_SAID: dict[str, str | None] = {
    "in": "at", "into": "to", "for": None, "of": None,
    "pay": "to", "paid": "to", "paying": "to", "sent": "to", "send": "to",
}  # fmt: skip
_BREAK = re.compile(r"[,.;:?!|()\[\]\"]")
_PAYING = frozenset({"pay", "paid", "paying", "sent", "send"})  # "did I pay Thames Water"
_NOUNS = frozenset(
    """
    payment payments transaction transactions purchase purchases spending spend charge charges bill
    bills order orders subscription subscriptions debit debits trip trips ride rides fare fares
    receipt receipts
    """.split()
)
MAX_NAME_WORDS = 5
# Words that end a name, or that are no name at all.
_STOP = frozenset(
    """
    last this next since in on at over under between during and or so please for from to with that
    these those each every per did do does done i i've ive have has had was were how much many what
    when where which who total altogether overall recently lately is are be been it its me my mine
    you your we our us them they sum thanks thank any all some there here than more less above below
    least most up the a an by of about around roughly ago today yesterday week weeks month months
    year years day days weekend payday spent spend spending paid pay payment payments transaction
    transactions purchases purchase bought charged money show list tell give find see look recent
    latest direct monthly regular online contactless big large small biggest largest smallest
    outgoing incoming standing other earn earned earning earnings income received receive refund
    refunds came come went gone got get can could would should will just only also too
    """.split()
)
_NOT_NAMES = frozenset(
    """
    everything anything stuff things thing money it them all total average everyone anyone someone
    myself me this that recent latest last
    """.split()
)
_ACCOUNT_WORDS = frozenset({"account", "acct", "card", "credit card", "debit card"}) | {
    phrase for phrases in KIND_PHRASES.values() for phrase in phrases
}
_PLACEHOLDER = re.compile(r"<([A-Z_]+)_\d+>")


@dataclass(frozen=True)
class SearchRequest:
    """A question read into a query, and what the query alone cannot say.

    Attributes:
        query: what to search (the account is left to the action: see ``account``).
        account: the account as the customer named it ("savings", "credit card"), if any.
        hidden_name: the customer named someone whose name was redacted, so the query
            searches without it.
        name_preposition: how the customer tied the name to the money ("at", "to", "from").
    """

    query: TransactionQuery
    account: str | None = None
    hidden_name: bool = False
    name_preposition: str | None = None


def read_query(
    text: str,
    *,
    today: date,
    entities: Iterable[Mapping[str, Any]] = (),
    payday: PaydaySource = None,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> SearchRequest:
    """Read a customer's (redacted) message and Rasa's entities into a search request.

    Args:
        text: the message; only its first ``MAX_MESSAGE`` characters are read.
        today: the customer's today (periods are relative to it).
        entities: Rasa's entities of the message (``{"entity": ..., "value": ...}``).
        payday: the latest salary credit, for "since payday" (see ``bank.periods``).
        page_size: transactions per page.

    Raises:
        PaydayUnknown: the message says "since payday" and ``payday`` gives no date.
    """
    found = _entities(entities)
    working = _without_emoji(_lowered(text[:MAX_MESSAGE]))
    period = _period(working, found.get(names.ENTITY_DATE, []), today, payday)
    if period is not None:
        working = _blank(working, _after_preposition(working, period[1], period[2]))
    min_amount, max_amount, working = _amount_bounds(working)
    direction, earned = _direction(working)
    candidates = _name_candidates(working)
    name, preposition, hidden = _name(candidates)
    category = _category(working, name, candidates, earned)
    account = _first(found.get(names.ENTITY_ACCOUNT_TYPE, [])) or _account(candidates)
    if direction == Direction.BOTH and (earned or category == Category.SALARY):
        direction = Direction.IN
    if preposition == "from" and direction == Direction.BOTH:
        direction = Direction.IN
    query = TransactionQuery(
        text=name[:MAX_TEXT] if name else None,
        category=category,
        period=period[0] if period else None,
        direction=direction,
        min_amount=min_amount,
        max_amount=max_amount,
        exclude_own_transfers=direction != Direction.BOTH and category != Category.TRANSFER,
        page=1,
        page_size=page_size,
    )
    return SearchRequest(query=query, account=account, hidden_name=hidden, name_preposition=preposition)


def next_page(query: TransactionQuery) -> TransactionQuery:
    """The same query, one page further."""
    return replace(query, page=query.page + 1)


# -- the query in a slot (between "show my Tesco payments" and "show more") ------------------------


def query_to_slot(request: SearchRequest, account_id: str | None) -> dict[str, Any]:
    """A JSON-safe form of the request's query (with the account resolved) for a slot."""
    query = request.query
    period = query.period
    return {
        "text": query.text,
        "category": query.category.value if query.category else None,
        "period": [period.start.isoformat(), period.end.isoformat(), period.label] if period else None,
        "direction": query.direction.value,
        "account_id": account_id,
        "min_amount": str(query.min_amount) if query.min_amount is not None else None,
        "max_amount": str(query.max_amount) if query.max_amount is not None else None,
        "exclude_own_transfers": query.exclude_own_transfers,
        "page": query.page,
        "page_size": query.page_size,
        "hidden_name": request.hidden_name,
        "name_preposition": request.name_preposition,
    }


def query_from_slot(value: object) -> SearchRequest | None:
    """The request ``query_to_slot`` stored (its account resolved), or None if unreadable."""
    if not isinstance(value, dict):
        return None
    try:
        period = value.get("period")
        query = TransactionQuery(
            text=_optional_str(value.get("text")),
            category=Category(value["category"]) if value.get("category") else None,
            period=Period(date.fromisoformat(period[0]), date.fromisoformat(period[1]), str(period[2]))
            if period
            else None,
            direction=Direction(value.get("direction", Direction.BOTH)),
            account_id=_optional_str(value.get("account_id")),
            min_amount=Decimal(value["min_amount"]) if value.get("min_amount") else None,
            max_amount=Decimal(value["max_amount"]) if value.get("max_amount") else None,
            exclude_own_transfers=bool(value.get("exclude_own_transfers")),
            page=max(1, int(value.get("page", 1))),
            page_size=int(value.get("page_size", DEFAULT_PAGE_SIZE)),
        )
    except (KeyError, TypeError, ValueError, ArithmeticError, IndexError):
        return None
    return SearchRequest(
        query=query,
        hidden_name=bool(value.get("hidden_name")),
        name_preposition=_optional_str(value.get("name_preposition")),
    )


# -- the parts of a question ------------------------------------------------------------------------


def _entities(entities: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for entity in entities:
        name, value = entity.get("entity"), entity.get("value")
        if isinstance(name, str) and isinstance(value, str) and value.strip():
            found.setdefault(name, []).append(value.strip()[:MAX_TEXT])
    return found


def _period(
    working: str, dates: list[str], today: date, payday: PaydaySource
) -> tuple[Period, int, int] | None:
    """The period of a ``date`` entity, else the one written in the message (and where)."""
    for value in dates:
        period = parse_period(value, today, payday)
        if period is not None:
            where = working.find(normalise_text(value))
            return (period, where, where + len(value)) if where >= 0 else (period, 0, 0)
    found = find_period(working, today, payday)
    return (found.period, found.start, found.end) if found else None


def _amount_bounds(working: str) -> tuple[Decimal | None, Decimal | None, str]:
    """Bounds on the size of the amounts ("over £100", "under 20 pounds", "between £10 and
    £50"), both included, and the text without them."""
    low: Decimal | None = None
    high: Decimal | None = None
    between = _BETWEEN_AMOUNTS.search(working)
    if between and _looks_like_money(between["low"], between["high"]):
        low, high = _amount(between["low"]), _amount(between["high"])
        working = _blank(working, between.span())
    for pattern, is_low in ((_AT_LEAST, True), (_AT_MOST, False)):
        match = pattern.search(working)
        if match is None or (is_low and low is not None) or (not is_low and high is not None):
            continue
        amount = _amount(match["amount"])
        if amount is None:
            continue
        if is_low:
            low = amount
        else:
            high = amount
        working = _blank(working, match.span())
    return low, high, working


def _looks_like_money(*texts: str) -> bool:
    return any(re.search(r"[£$€]|k\b|pounds?|quid|gbp|\.\d\d", t) for t in texts)


def _amount(text: str) -> Decimal | None:
    try:
        return parse_amount(text, allow_zero=True)
    except ParseError:
        return None


def _direction(working: str) -> tuple[Direction, bool]:
    """Money in, out or both, and whether the customer asked what they earned."""
    if _BOTH.search(working):
        return Direction.BOTH, False
    earned = bool(_EARNED.search(working))
    money_in = earned or bool(_IN.search(working))
    money_out = bool(_OUT.search(_EARNED.sub(" ", _IN.sub(" ", working))))
    if money_in and not money_out:
        return Direction.IN, earned
    if money_out and not money_in:
        return Direction.OUT, False
    return Direction.BOTH, earned


def _name(candidates: list[tuple[str, str | None]]) -> tuple[str | None, str | None, bool]:
    """The merchant or payee asked about, the preposition before it ("at", "to", "from"), and
    whether a name was asked about that redaction hid. An account or a category the customer
    wrote where a name goes ("on my credit card", "on groceries") is left to ``_category``
    and ``_account``."""
    hidden = False
    for name, preposition in candidates:
        if _PLACEHOLDER.search(name):
            hidden = True
        elif not _names_account(name) and category_of(name) is None and name not in _NOT_NAMES:
            return name, preposition, False
    return None, None, hidden


def _account(candidates: list[tuple[str, str | None]]) -> str | None:
    """The account the customer named where a name goes ("on my credit card")."""
    for name, _preposition in candidates:
        if _names_account(name) and name not in ("card", "account", "accounts", "cards"):
            return name
    return None


def _name_candidates(working: str) -> list[tuple[str, str | None]]:
    """Names written after a preposition or a paying verb ("at tesco", "paid latisha"), then
    names written before a noun ("my uber payments"), in the order written. A name ends at
    punctuation, a stop word or a removed period or amount."""
    tokens: list[str] = []
    last_end = 0
    for match in _TOKEN.finditer(working):
        if tokens and _BREAK.search(working, last_end, match.start()):
            tokens.append(",")
        tokens.append(match.group(0).strip(".'-") or match.group(0))
        last_end = match.end()
    after: list[tuple[str, str | None]] = []
    before: list[tuple[str, str | None]] = []
    for n, token in enumerate(tokens):
        if token in _PREPOSITIONS or token in _PAYING:
            words = _words_from(tokens, n + 1, step=1)
            if words:
                after.append((" ".join(words), _PREPOSITION_SAID.get(token, token)))
        elif token in _NOUNS:
            direct_debit = token.startswith("debit") and n > 0 and tokens[n - 1] == "direct"
            words = _words_from(tokens, n - 2 if direct_debit else n - 1, step=-1)
            if words:
                before.append((" ".join(words), None))
    return after + before


def _words_from(tokens: list[str], start: int, step: int) -> list[str]:
    """Up to ``MAX_NAME_WORDS`` name words from ``start`` onwards (or backwards), skipping a
    leading "the" or "my"."""
    words: list[str] = []
    n = start
    while 0 <= n < len(tokens) and len(words) < MAX_NAME_WORDS:
        token = tokens[n]
        if step > 0 and not words and token in ("the", "my", "our"):
            n += step
            continue
        if _PLACEHOLDER.fullmatch(token):
            words.append(token)
        elif token == "," or token in _STOP or token in _NOT_NAMES or token in _NOUNS:
            break
        else:
            words.append(token)
        n += step
    if step < 0:
        words.reverse()
    return words


def _category(
    working: str,
    name: str | None,
    candidates: list[tuple[str, str | None]],
    earned: bool,
) -> Category | None:
    """The category asked about: a category written where a name goes ("spend on
    groceries"), else the longest category phrase written outside the name; salary for
    "what did I earn"."""
    for candidate, _preposition in candidates:
        category = category_of(candidate)
        if category is not None:
            return category
    found = category_in(working.replace(name, " ") if name else working)
    if found is not None:
        return found
    return Category.SALARY if earned and name is None else None


def category_in(text: str) -> Category | None:
    """The category of the longest category phrase written in ``text`` (the first of equal
    ones): "keep my takeaway spending down" is eating out."""
    lowered = text.lower()
    best: tuple[int, int, Category] | None = None
    for category, pattern, phrase in _PHRASE_PATTERNS:
        match = pattern.search(lowered)
        if match and (best is None or (len(phrase), -match.start()) > (best[0], best[1])):
            best = (len(phrase), -match.start(), category)
    return best[2] if best is not None else None


def category_mentions(text: str) -> list[tuple[int, int, Category]]:
    """Every category phrase written in ``text`` as (start, end, category), in order; where
    phrases overlap, the longest ("eating out", not "out")."""
    lowered = text.lower()
    hits = [(m.start(), m.end(), category)
            for category, pattern, _ in _PHRASE_PATTERNS for m in pattern.finditer(lowered)]
    found = sorted(hits, key=lambda hit: (hit[0], -(hit[1] - hit[0])))
    kept: list[tuple[int, int, Category]] = []
    for hit in found:
        if not kept or hit[0] >= kept[-1][1]:
            kept.append(hit)
    return kept


def category_of(text: str) -> Category | None:
    """The category a phrase names in full ("groceries", "eating out", "Eating_out"), if any."""
    written = " ".join(re.findall(r"[a-z]+", text.lower().replace("_", " ")))
    for phrase in (written, written.removeprefix("the ").removeprefix("my ")):
        for category in Category:
            if phrase in (category.value.replace("_", " "), CATEGORY_LABELS[category]):
                return category
        for category, phrases in CATEGORY_PHRASES.items():
            if phrase in phrases:
                return category
    return None


def _names_account(name: str) -> bool:
    padded = f" {name} "
    return any(f" {word} " in padded for word in _ACCOUNT_WORDS)


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _blank(text: str, span: tuple[int, int]) -> str:
    """``text`` with ``span`` blanked to a comma and spaces: the words on either side stay apart
    ("at tesco last month please" is no shop called "tesco please")."""
    start, end = span
    if end <= start:
        return text
    return text[:start] + "," + " " * (end - start - 1) + text[end:]


def _after_preposition(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without a leading "in", "for", "during", "over" or "from": "came in last
    month" still says that money came in."""
    leading = re.match(r"(?:in|for|during|over|from)\s+", text[start:end])
    return (start + leading.end(), end) if leading else (start, end)


def _without_emoji(text: str) -> str:
    """Symbols and emoji blanked (one space each, so positions stay); £, $, € and < > kept."""
    return "".join(ch if ch.isalnum() or ch.isspace() or ch in "£$€<>_.,'&/-:?!" else " " for ch in text)


def _lowered(text: str) -> str:
    """``text`` in lower case, its placeholders (``<PERSON_1>``) kept as they are."""
    parts: list[str] = []
    last = 0
    for match in _PLACEHOLDER.finditer(text):
        parts += [text[last : match.start()].lower(), match.group(0)]
        last = match.end()
    return "".join([*parts, text[last:].lower()])


_PHRASE_PATTERNS = [
    (category, re.compile(rf"\b{re.escape(phrase)}\b"), phrase)
    for category, phrases in CATEGORY_PHRASES.items()
    for phrase in phrases
]
