"""Seeded synthetic customer histories with planted anomalies, for measuring the scorer.

    .venv/bin/python -m insights.anomalies.synthetic --seed 7 --customers 36 \
        --out bench/data/anomalies_dev.jsonl

Each customer has habits drawn from the seed: a salary, rent, bills and subscriptions on
fixed days, groceries at a few usual shops, eating out, transport, shopping, cash, now and then
a big purchase, an annual insurance renewal, refunds, and for some a holiday abroad once or
twice a year; December brings Christmas shopping. Some customers have one month of history,
a few only receive money. The last ``test_months`` are scored: anomalies are planted there
(card testing bursts, a large purchase at a new merchant in the small hours, a foreign
merchant in a currency never used, ten times the category's usual, a spree at new merchants,
a large cash withdrawal), and so are normal transactions that look unusual (the renewal a year
on, a holiday where the customer has been before, a first trip somewhere new, Christmas).
"""

from __future__ import annotations

import argparse
import math
import random
import string
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bank.enums import Category, TransactionKind
from insights.anomalies.events import TransactionEvent
from insights.anomalies.histories import History, LabelledEvent, write_histories

TEST_FROM = datetime(2024, 10, 1, tzinfo=UTC)

GROCERS = ("TESCO STORES", "SAINSBURYS S/MKTS", "ASDA STORES", "MORRISONS", "ALDI", "LIDL GB",
           "CO-OP GROUP", "WAITROSE", "M&S SIMPLY FOOD", "ICELAND")
EATERIES = ("PRET A MANGER", "GREGGS", "NANDOS", "WAGAMAMA", "PIZZA EXPRESS", "COSTA COFFEE",
            "STARBUCKS", "LEON", "FIVE GUYS", "DISHOOM", "FRANCO MANCA", "JD WETHERSPOON",
            "DELIVEROO", "UBER EATS", "JUST EAT", "SQ *THE CORNER CAFE", "SQ *BLUE DOOR BAKERY",
            "ZETTLE *MARKET KITCHEN", "TORTILLA", "HONEST BURGERS", "CAFFE NERO", "BYRON")
TRANSPORT = ("TFL TRAVEL CH", "TRAINLINE", "UBER *TRIP", "NATIONAL RAIL", "STAGECOACH", "FIRST BUS")
FUEL = ("SHELL", "BP", "ESSO", "TEXACO")
SHOPS = ("AMAZON MKTP UK", "ASOS", "ARGOS", "JOHN LEWIS", "NEXT", "BOOTS", "PRIMARK", "H&M", "ZARA",
         "TK MAXX", "WHSMITH", "WATERSTONES", "SUPERDRUG", "DECATHLON", "IKEA", "CURRYS", "UNIQLO",
         "SCREWFIX", "B&Q", "SPORTS DIRECT", "THE BODY SHOP", "EBAY")
BIG_SHOPS = ("CURRYS", "JOHN LEWIS", "IKEA", "APPLE STORE", "DFS", "HALFORDS", "AO.COM")
CHRISTMAS_SHOPS = ("HAMLEYS", "THE ENTERTAINER", "LUSH", "SMIGGLE", "NOTONTHEHIGHSTREET",
                   "FORTNUM & MASON", "SELFRIDGES", "MUJI", "THE WORKS", "HOTEL CHOCOLAT")
SUBSCRIPTIONS = (("NETFLIX.COM", 10.99, Category.ENTERTAINMENT), ("SPOTIFY", 11.99, Category.ENTERTAINMENT),
                 ("DISNEY PLUS", 7.99, Category.ENTERTAINMENT), ("AMAZON PRIME", 8.99, Category.SHOPPING),
                 ("PUREGYM", 24.99, Category.OTHER), ("AUDIBLE", 7.99, Category.ENTERTAINMENT),
                 ("APPLE.COM/BILL", 2.99, Category.ENTERTAINMENT))
BILLS = (("DD OCTOPUS ENERGY", 95.0), ("DD THAMES WATER", 38.0), ("DD COUNCIL TAX", 150.0),
         ("DD EE LIMITED", 28.0), ("DD VIRGIN MEDIA", 45.0), ("DD BRITISH GAS", 80.0))
INSURERS = ("AVIVA HOME INSURANCE", "DIRECT LINE CAR INS", "ADMIRAL INSURANCE", "LV= INSURANCE")
ABROAD = {
    "EUR": ("RESTAURANTE EL FARO", "CARREFOUR", "TAXI BARCELONA", "CAFE DE FLORE", "FARMACIA CENTRAL",
            "LIDL ESPANA", "HOTEL DEL MAR", "MUSEO DEL PRADO", "TRATTORIA DA MARIO", "RENFE VIAJEROS"),
    "USD": ("WHOLE FOODS MARKET", "UBER *TRIP HELP.UBER", "STARBUCKS NYC", "WALGREENS", "MTA NYCT",
            "SHAKE SHACK", "TARGET", "CVS PHARMACY"),
    "CHF": ("COOP PRONTO", "SBB CFF FFS", "MIGROS", "RESTAURANT ZUM ADLER"),
    "TRY": ("MIGROS TICARET", "BIM MAGAZALAR", "ISTANBUL KEBAP", "TAKSI ISTANBUL"),
}
FRAUD_CURRENCIES = ("USD", "HKD", "THB", "NGN", "TRY", "BRL", "AED", "INR", "CNY", "MXN")
FRAUD_SHOPS = ("ELECTRO MART ONLINE", "GLOBAL GADGETS", "LUX WATCHES", "PRIME DEALS STORE", "TECHZONE",
               "GOLDLINE JEWELLERS", "MEGA ELECTRONICS", "SKYTRADE", "BESTBUY DIRECT", "VOUCHER KING")
TESTING_PREFIXES = ("PAYPAL *", "GOOGLE *", "SQ *", "")


@dataclass
class Habits:
    """One synthetic customer's habits (amounts in pounds)."""

    kind: str  # "regular", "new" (one month of history) or "income_only"
    salary: float
    payday: int
    rent: float
    bills: list[tuple[str, float, int]]
    subscriptions: list[tuple[str, float, Category, int]]
    grocers: list[str]
    grocery_median: float
    grocery_per_week: float
    eateries: list[str]
    eating_median: float
    eating_per_week: float
    drives: bool
    transport_median: float
    shop_median: float
    shops_per_month: float
    cash_median: float
    night_owl: bool
    insurance: tuple[str, float, int, int] | None  # insurer, price, month, day
    home_currencies: list[str] = field(default_factory=list)  # where they have been on holiday


def _pick(rng: random.Random, options: tuple[str, ...], k: int) -> list[str]:
    return rng.sample(options, min(k, len(options)))


def _habits(rng: random.Random) -> Habits:
    roll = rng.random()
    kind = "income_only" if roll < 0.03 else "new" if roll < 0.13 else "regular"
    bills = [(name, price * rng.uniform(0.7, 1.4), rng.randint(1, 28)) for name, price in
             rng.sample(BILLS, rng.randint(2, 4))]
    subscriptions = [(name, price, category, rng.randint(1, 28)) for name, price, category in
                     rng.sample(SUBSCRIPTIONS, rng.randint(1, 4))]
    insurance = None
    if rng.random() < 0.6:
        month = rng.choice((10, 11, 12)) if rng.random() < 0.7 else rng.randint(1, 12)
        insurance = (rng.choice(INSURERS), rng.uniform(180, 900), month, rng.randint(1, 28))
    travelled = rng.sample(("EUR", "EUR", "USD", "CHF", "TRY"), rng.choice((0, 0, 1, 1, 2)))
    return Habits(
        kind=kind, salary=round(rng.uniform(1600, 5200), 2), payday=rng.randint(24, 28),
        rent=round(rng.uniform(550, 1700), 2), bills=bills, subscriptions=subscriptions,
        grocers=_pick(rng, GROCERS, rng.randint(2, 3)), grocery_median=rng.uniform(15, 70),
        grocery_per_week=rng.uniform(1.0, 3.0), eateries=_pick(rng, EATERIES, rng.randint(3, 7)),
        eating_median=rng.uniform(8, 35), eating_per_week=rng.uniform(0.3, 3.0), drives=rng.random() < 0.4,
        transport_median=rng.uniform(4, 30), shop_median=rng.uniform(15, 60),
        shops_per_month=rng.uniform(1, 6), cash_median=rng.choice((20.0, 30.0, 40.0, 50.0, 100.0)),
        night_owl=rng.random() < 0.1, insurance=insurance, home_currencies=list(dict.fromkeys(travelled)),
    )


class _Writer:
    """Collects one customer's transactions."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rows: list[LabelledEvent] = []
        self.incidents = 0

    def add(self, at: datetime, amount: float, description: str, category: Category, currency: str = "GBP",
            label: str | None = None, incident: int | None = None, note: str | None = None,
            kind: TransactionKind | None = None) -> None:
        event = TransactionEvent(at.replace(second=0, microsecond=0), round(amount, 2), description,
                                 category, currency, kind)
        self.rows.append(LabelledEvent(event, label, incident, note))

    def lognormal(self, median: float, sigma: float) -> float:
        return max(0.5, median * math.exp(self.rng.gauss(0.0, sigma)))

    def daytime(self, day: datetime, first: int = 8, last: int = 21, owl: bool = False) -> datetime:
        hour = self.rng.randint(first, last)
        if owl and self.rng.random() < 0.3:
            hour = self.rng.choice((22, 23, 0, 1))
        return day + timedelta(hours=hour, minutes=self.rng.randint(0, 59))


def _month_days(day: datetime) -> int:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return (following - timedelta(days=1)).day


def _fixed(w: _Writer, h: Habits, day: datetime) -> None:
    """Salary, rent, bills, subscriptions and the annual insurance on their days."""
    if day.day == min(h.payday, _month_days(day)):
        w.add(day + timedelta(hours=6), h.salary, "BGC ACME LTD SALARY", Category.SALARY,
              kind=TransactionKind.BANK_TRANSFER_IN)
    if h.kind == "income_only":
        if day.day == 15:
            w.add(day + timedelta(hours=9), w.rng.uniform(20, 300), "FPI FROM J SMITH", Category.TRANSFER)
        return
    if day.day == 1:
        w.add(day + timedelta(hours=7), -h.rent, "SO LANDLORD RENT", Category.RENT,
              kind=TransactionKind.PAYMENT)
    for name, price, when in h.bills:
        if day.day == when:
            w.add(day + timedelta(hours=5), -price * w.rng.uniform(0.9, 1.1), name, Category.UTILITIES,
                  kind=TransactionKind.DIRECT_DEBIT)
    for name, price, category, when in h.subscriptions:
        if day.day == when:
            w.add(day + timedelta(hours=w.rng.randint(0, 6)), -price, name, category)
    if h.insurance and (day.month, day.day) == h.insurance[2:]:
        insurer, price, _, _ = h.insurance
        note = "annual_renewal" if day >= TEST_FROM else None
        w.add(day + timedelta(hours=4), -price * w.rng.uniform(1.0, 1.12), insurer, Category.OTHER, note=note,
              kind=TransactionKind.DIRECT_DEBIT)


def _everyday(w: _Writer, h: Habits, day: datetime) -> None:
    """Groceries, eating out, transport, shopping and cash, by chance each day."""
    rng = w.rng
    christmas = day.month == 12 and day.day <= 24
    if rng.random() < h.grocery_per_week / 7 * (1.3 if christmas else 1.0):
        shop = rng.choice(h.grocers) if rng.random() < 0.9 else rng.choice(GROCERS)
        w.add(w.daytime(day, 8, 20), -w.lognormal(h.grocery_median * (1.4 if christmas else 1.0), 0.45),
              shop, Category.GROCERIES)
    if rng.random() < h.eating_per_week / 7:
        place = rng.choice(h.eateries) if rng.random() < 0.8 else rng.choice(EATERIES)
        w.add(w.daytime(day, 11, 21, h.night_owl), -w.lognormal(h.eating_median, 0.5), place,
              Category.EATING_OUT)
    if h.drives and rng.random() < 2 / 14:
        w.add(w.daytime(day, 7, 20), -w.lognormal(55, 0.25), rng.choice(FUEL), Category.TRANSPORT)
    elif not h.drives and rng.random() < 2.5 / 7:
        w.add(w.daytime(day, 7, 20), -w.lognormal(h.transport_median, 0.5), rng.choice(TRANSPORT),
              Category.TRANSPORT)
    rate = h.shops_per_month / 30 * (3.0 if christmas else 1.0)
    if rng.random() < rate:
        pool = CHRISTMAS_SHOPS if christmas and rng.random() < 0.4 else SHOPS
        note = "christmas" if christmas and day >= TEST_FROM else None
        median = h.shop_median * (1.5 if christmas else 1.0)
        w.add(w.daytime(day, 9, 21, h.night_owl), -w.lognormal(median, 0.7), rng.choice(pool),
              Category.SHOPPING, note=note)
    if rng.random() < 1.2 / 30:
        w.add(w.daytime(day, 9, 22), -h.cash_median * rng.choice((1, 1, 2)), "CASH WITHDRAWAL LINK ATM",
              Category.CASH)
    if rng.random() < 1.2 / 365:
        note = "big_purchase" if day >= TEST_FROM else None
        w.add(w.daytime(day, 10, 19), -rng.uniform(250, 1500), rng.choice(BIG_SHOPS), Category.SHOPPING,
              note=note)


def _refunds(w: _Writer) -> None:
    """Now and then a shop gives money back for an earlier purchase (always fully or in part)."""
    purchases = [row for row in w.rows if row.event.category == Category.SHOPPING and row.event.amount < 0]
    for row in purchases:
        if w.rng.random() < 0.06:
            back = -row.event.amount * (1.0 if w.rng.random() < 0.7 else w.rng.uniform(0.3, 0.9))
            at = row.event.booked_at + timedelta(days=w.rng.randint(2, 20), hours=w.rng.randint(0, 3))
            w.add(at, back, f"{row.event.description} REFUND", Category.SHOPPING,
                  note="refund" if at >= TEST_FROM else None)


def _trip(w: _Writer, h: Habits, start: datetime, currency: str, note: str | None) -> None:
    """A holiday: several days of foreign payments."""
    rng = w.rng
    merchants = ABROAD[currency]
    for offset in range(rng.randint(3, 9)):
        day = start + timedelta(days=offset)
        for _ in range(rng.randint(1, 4)):
            category = rng.choice((Category.EATING_OUT, Category.EATING_OUT, Category.TRANSPORT,
                                   Category.SHOPPING, Category.GROCERIES, Category.ENTERTAINMENT))
            w.add(w.daytime(day, 8, 23), -w.lognormal(25, 0.7), rng.choice(merchants), category, currency,
                  note=note)
        if rng.random() < 0.25:
            w.add(w.daytime(day, 9, 22), -rng.choice((50.0, 100.0, 150.0)), f"ATM {merchants[0]}",
                  Category.CASH, currency, note=note)


def _normal(rng: random.Random, h: Habits, begin: datetime, end: datetime) -> _Writer:
    w = _Writer(rng)
    day = begin
    while day < end:
        _fixed(w, h, day)
        if h.kind != "income_only":
            _everyday(w, h, day)
        day += timedelta(days=1)
    if h.kind == "income_only":
        return w
    _refunds(w)
    for currency in h.home_currencies:  # earlier trips, in the history
        for _ in range(rng.randint(1, 2)):
            start = begin + timedelta(days=rng.randint(0, max(1, (TEST_FROM - begin).days - 10)))
            _trip(w, h, start, currency, None)
    if h.home_currencies and rng.random() < 0.35:
        back_to = rng.choice(h.home_currencies)
        _trip(w, h, TEST_FROM + timedelta(days=rng.randint(0, 80)), back_to, "repeat_trip")
    elif rng.random() < 0.06:
        new = rng.choice([c for c in ABROAD if c not in h.home_currencies])
        _trip(w, h, TEST_FROM + timedelta(days=rng.randint(0, 80)), new, "new_trip")
    return w


def _random_name(rng: random.Random) -> str:
    letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(5, 9)))
    return rng.choice(TESTING_PREFIXES) + letters


def _card_testing(w: _Writer, h: Habits, at: datetime, incident: int) -> None:
    for _ in range(w.rng.randint(3, 8)):
        w.add(at, -round(w.rng.uniform(0.5, 4.99), 2), _random_name(w.rng),
              w.rng.choice((Category.SHOPPING, Category.ENTERTAINMENT, Category.OTHER)),
              label="card_testing", incident=incident)
        at += timedelta(minutes=w.rng.randint(0, 3), seconds=w.rng.randint(0, 59))


def _night_purchase(w: _Writer, h: Habits, at: datetime, incident: int) -> None:
    at = at.replace(hour=w.rng.randint(1, 4))
    w.add(at, -w.rng.uniform(400, 2500), w.rng.choice(FRAUD_SHOPS), Category.SHOPPING,
          label="night_purchase", incident=incident)


def _foreign_new(w: _Writer, h: Habits, at: datetime, incident: int) -> None:
    currency = w.rng.choice([c for c in FRAUD_CURRENCIES if c not in h.home_currencies])
    category = w.rng.choice((Category.SHOPPING, Category.OTHER))
    w.add(at, -w.rng.uniform(40, 900), w.rng.choice(FRAUD_SHOPS), category, currency, label="foreign_new",
          incident=incident)


def _amount_spike(w: _Writer, h: Habits, at: datetime, incident: int) -> None:
    category, median, places = w.rng.choice((
        (Category.GROCERIES, h.grocery_median, h.grocers),
        (Category.EATING_OUT, h.eating_median, h.eateries),
        (Category.SHOPPING, h.shop_median, list(SHOPS)),
    ))
    w.add(at, -median * w.rng.uniform(8, 15), w.rng.choice(places), category, label="amount_spike",
          incident=incident)


def _spree(w: _Writer, h: Habits, at: datetime, incident: int) -> None:
    for name in w.rng.sample(FRAUD_SHOPS, w.rng.randint(2, 4)):
        w.add(at, -w.rng.uniform(150, 700), name, Category.SHOPPING, label="spree", incident=incident)
        at += timedelta(minutes=w.rng.randint(8, 40))


def _cash_out(w: _Writer, h: Habits, at: datetime, incident: int) -> None:
    w.add(at, -w.rng.choice((300.0, 400.0, 500.0)), "CASH WITHDRAWAL NOTEMACHINE", Category.CASH,
          label="cash_out", incident=incident)


PLANTS: dict[str, Callable[[_Writer, Habits, datetime, int], None]] = {
    "card_testing": _card_testing, "night_purchase": _night_purchase, "foreign_new": _foreign_new,
    "amount_spike": _amount_spike, "spree": _spree, "cash_out": _cash_out,
}


def _plant(w: _Writer, h: Habits, end: datetime) -> None:
    span = (end - TEST_FROM).total_seconds()
    for _ in range(w.rng.choice((0, 0, 1, 1, 1, 2, 3))):
        at = TEST_FROM + timedelta(seconds=w.rng.uniform(0, span * 0.98))
        w.incidents += 1
        PLANTS[w.rng.choice(sorted(PLANTS))](w, h, at, w.incidents)


def customer_history(rng: random.Random, customer: str, history_months: int = 12,
                     test_months: int = 3) -> History:
    """One synthetic customer: ``history_months`` before ``TEST_FROM`` and ``test_months`` after."""
    habits = _habits(rng)
    months = 1 if habits.kind == "new" else history_months
    begin = TEST_FROM - timedelta(days=round(30.44 * months))
    end = TEST_FROM + timedelta(days=round(30.44 * test_months))
    writer = _normal(rng, habits, begin, end)
    if habits.kind != "income_only":
        _plant(writer, habits, end)
    rows = sorted((row for row in writer.rows if begin <= row.event.booked_at < end),
                  key=lambda row: row.event.booked_at)
    return History(customer, TEST_FROM, tuple(rows))


def generate(seed: int, customers: int, history_months: int = 12, test_months: int = 3) -> list[History]:
    """``customers`` histories, the same for the same arguments."""
    rng = random.Random(seed)
    return [customer_history(rng, f"s{seed}c{number:04d}", history_months, test_months)
            for number in range(1, customers + 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--customers", type=int, default=32)
    parser.add_argument("--history-months", type=int, default=12)
    parser.add_argument("--test-months", type=int, default=3)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    histories = generate(args.seed, args.customers, args.history_months, args.test_months)
    write_histories(args.out, histories)
    rows = sum(len(h.transactions) for h in histories)
    planted = sum(row.anomaly for h in histories for row in h.transactions)
    print(f"wrote {args.out}: {len(histories)} customers, {rows} transactions, {planted} planted anomalies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
