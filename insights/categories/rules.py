"""Keyword rules: the benchmark's baseline and the categoriser's fallback when the model is
unsure.

A rule matches a whole word or phrase of the normalised merchant text (``tesco`` matches
"tesco express", not "tescoe"); the first matching rule in ``RULES`` wins. Rules for money
coming in (salary, transfers in) only look at credits; the spending rules look at both
signs, so a refund from a shop stays in the shop's category.
"""

from __future__ import annotations

import re

from bank.enums import Category
from insights.categories.normalise import Description

# (category, applies to: "credit", "debit" or "any", words and phrases)
RULES: tuple[tuple[Category, str, tuple[str, ...]], ...] = (
    (Category.SALARY, "credit", (
        "salary", "wages", "payroll", "pay", "pension", "earnings", "dwp", "benefit",
    )),
    (Category.TRANSFER, "any", (
        "transfer to", "transfer from", "transfer", "pot", "isa", "from account", "to account",
        "credit card payment", "card payment", "top up",
    )),
    (Category.CASH, "debit", ("atm", "cash", "cashpoint", "cash machine", "link", "notemachine")),
    (Category.RENT, "debit", ("rent", "mortgage", "lettings", "letting", "housing", "landlord")),
    (Category.UTILITIES, "debit", (
        "energy", "water", "gas", "electric", "electricity", "power", "council tax", "council",
        "broadband", "mobile", "vodafone", "bt", "sky", "virgin media", "talktalk", "ee", "o2", "three",
        "tv licence", "tv licensing",
    )),
    (Category.GROCERIES, "any", (
        "tesco", "sainsburys", "asda", "morrisons", "aldi", "lidl", "waitrose", "co-op", "iceland",
        "ocado", "supermarket", "supermarkets", "grocer", "grocers", "groceries", "butcher", "butchers",
        "food", "foods", "spar", "nisa", "londis", "farm shop",
    )),
    (Category.EATING_OUT, "any", (
        "restaurant", "cafe", "coffee", "pizza", "burger", "kitchen", "grill", "bar", "pub", "inn",
        "arms", "takeaway", "deliveroo", "just eat", "uber eats", "mcdonalds", "kfc", "nandos",
        "greggs", "pret", "costa", "starbucks", "nero", "sushi", "chicken", "kebab", "bakery",
    )),
    (Category.TRANSPORT, "any", (
        "tfl", "rail", "railway", "trains", "train", "trainline", "bus", "buses", "coach", "taxi",
        "cabs", "uber", "parking", "car park", "petrol", "fuel", "shell", "bp", "esso", "texaco",
        "toll", "metro", "tram",
    )),
    (Category.ENTERTAINMENT, "any", (
        "cinema", "cinemas", "netflix", "spotify", "disney", "gym", "fitness", "leisure", "games",
        "tickets", "ticket", "theatre", "steam", "playstation", "xbox", "nintendo", "odeon", "vue", "bowl",
    )),
    (Category.SHOPPING, "any", (
        "amazon", "ebay", "argos", "boots", "john lewis", "next", "primark", "marketplace", "store",
        "stores", "shop", "retail", "clothing", "fashion", "books", "toys", "home", "diy",
    )),
    (Category.OTHER, "any", (
        "interest", "fee", "fees", "charge", "insurance", "airways", "airlines", "hotel", "holidays",
        "charity", "donation", "opening balance", "cheque", "deposit",
    )),
)


class KeywordRules:
    """The first rule whose words appear in the merchant text, for the sign of the amount."""

    def __init__(self, rules: tuple[tuple[Category, str, tuple[str, ...]], ...] = RULES) -> None:
        self._patterns = [
            (category, applies, re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, words))})(?![\w-])"))
            for category, applies, words in rules
        ]

    def match(self, description: Description, amount: float) -> Category | None:
        """The category of the first matching rule, or None."""
        side = "credit" if amount > 0 else "debit"
        if "cash" in description.markers and side == "debit":
            return Category.CASH
        for category, applies, pattern in self._patterns:
            if applies in ("any", side) and pattern.search(description.merchant):
                return category
        return None

    def categorise(self, description: Description, amount: float) -> Category:
        """The baseline: the matching rule's category, else other."""
        found = self.match(description, amount)
        return Category.OTHER if found is None else found
