"""Synthetic training sentences for the tagger: our templates filled with Faker values.

Only used at training time (``faker`` is a development dependency). Three sources, mixed:

* the templates of :mod:`privacy.ner.templates` (chat, emails, forms, news, stories);
* generated blocks: signatures and address blocks, one item a line, sometimes quoted
  with ``>`` or indented, as pasted into a chat;
* filler: a random English sentence with entities put between its words, so that the
  tagger does not lean on the templates' wording.

Values come from Faker in many locales, so names and addresses are not only English; places
also from GeoNames (real towns of every country, US counties), organisations also in forms
of our own (invented brands, legal suffixes, "Hale & Sons", acronyms, capitalised common
words). A whole postal address is one ``ADDRESS`` entity; honorifics and job titles are
``TITLE``.
"""

import random
import re
from collections.abc import Callable
from datetime import date, timedelta

from faker import Faker
from wordfreq import top_n_list

from privacy.ner.gazetteer import WORLD_CITIES, fold, geonames_places
from privacy.ner.templates import ALL
from privacy.ner.tokens import tokenize
from privacy.recognizers.nrp import NATIONALITIES, RELIGIONS

LOCALES = [
    "en_US", "en_GB", "en_AU", "en_CA", "en_IE", "en_NZ", "en_IN", "de_DE", "de_AT", "de_CH",
    "fr_FR", "fr_CH", "es_ES", "es_MX", "it_IT", "nl_NL", "nl_BE", "pt_PT", "pt_BR", "sv_SE",
    "da_DK", "no_NO", "fi_FI", "pl_PL", "cs_CZ", "sk_SK", "hu_HU", "ro_RO", "hr_HR", "sl_SI",
    "tr_TR", "et_EE", "lv_LV", "lt_LT", "is_IS", "id_ID", "fil_PH", "zu_ZA", "bg_BG", "uk_UA",
    "ru_RU", "el_GR", "he_IL", "ar_AA", "fa_IR", "hi_IN", "vi_VN", "th_TH", "ja_JP", "zh_CN",
]  # fmt: skip
# Locales whose names are in Latin letters (most chat text we see).
LATIN = [
    loc
    for loc in LOCALES
    if loc[:2] not in {"bg", "uk", "ru", "el", "he", "ar", "fa", "hi", "th", "ja", "zh"}
]
HONORIFICS = ["Mr.", "Mrs.", "Ms.", "Dr.", "Mr", "Mrs", "Ms", "Dr", "Miss", "Prof.", "Sir", "Mx."]
ENTITY_OF_SLOT = {
    "PERSON": "PERSON",
    "FIRST": "PERSON",
    "LAST": "PERSON",
    "HON": "TITLE",
    "JOB": "TITLE",
    "ORG": "ORGANIZATION",
    "CITY": "LOCATION",
    "COUNTRY": "LOCATION",
    "STATE": "LOCATION",
    "GPE": "LOCATION",
    "ADDRESS": "ADDRESS",
    "STREET": "ADDRESS",
}
# Well-known company names, written for this project (brands the bot treats as products,
# such as Visa or Apple Pay, are left to the vocabulary list).
KNOWN_COMPANIES = (
    """
Amazon|Microsoft|Netflix|Spotify|Siemens|Unilever|Nestle|Shell|BP|Toyota|Honda|Volkswagen|BMW
Tesco|Sainsbury's|Barclays|HSBC|Lloyds|NatWest|Santander|Deutsche Bank|ING|Rabobank|BNP Paribas
Vodafone|Deloitte|KPMG|Accenture|Oracle|Salesforce|Adobe|Intel|IBM|Nokia|Ericsson|Philips
Airbus|Boeing|Ryanair|easyJet|Lufthansa|Uber|Airbnb|Stripe|Revolut|Monzo|Klarna|Wise|eBay
Walmart|Costco|IKEA|Zara|H&M|Aldi|Lidl|Carrefour|Pfizer|Novartis|Roche|Bayer|Sony|Samsung
Goldman Sachs|Morgan Stanley|JPMorgan Chase|Wells Fargo|Citigroup|BlackRock|Vanguard|Fidelity
General Electric|Procter & Gamble|Johnson & Johnson|Coca-Cola|PepsiCo|McDonald's|Starbucks
Reuters|Bloomberg|The Guardian|BBC|Rolls-Royce|Jaguar Land Rover|Aviva|Prudential|AXA|Zurich
Dropbox|Slack|Zoom|Shopify|Atlassian|GitHub|Mozilla|Wikimedia Foundation|Red Cross|Oxfam
""".replace("\n", "|")
    .strip("|")
    .split("|")
)
INDUSTRY = """
Solutions Systems Technologies Analytics Labs Partners Associates Group Holdings Capital
Investments Insurance Consulting Services Media Networks Health Bioscience Logistics Energy
Resources Ventures Foundation Institute Software Data Digital Global International Works
Studio Design Research Finance Advisors Trust Bank Motors Foods Pharma Robotics Dynamics
""".split()
# Capitalised phrases that are not personal data (headings, products, days, genres).
CAPS = (
    """
Customer Service|Human Resources|Terms and Conditions|Privacy Policy|Annual Report|Black Friday
Christmas Eve|New Year's Day|Easter Monday|Bank Holiday|Summer Sale|Premium Plus|Documentary
Frequently Asked Questions|Drama|Thriller|Romance|Jazz|Classical|Hip Hop|Rock & Roll|Folk
Top Stories|Breaking News|Getting Started|Quick Start Guide|Release Notes|Weekly Digest
Account Settings|Security Centre|Help Centre|Card Controls|Spending Insights|Round Ups
Direct Debits|Standing Orders|Open Banking|Two Factor Authentication|One Time Passcode|PIN
March|April|August|Monday|Friday|Q3 Results|Board Meeting|Team Update|Greatest Hits
Live At Dawn|Midnight Blues|Summer Nights|Golden Hour|Broken Strings|Hidden Gems|Rainy Days
Road Trip Songs|Chill Vibes|Morning Coffee|Article 12|Chapter 11|Section 8|Top 10 Tips
7 Things To Know Before You Buy|Windows 11|Formula 1|Terminal 5|Gate 22|Platform 9|Level 3
Room 101|Volume 2|Part 4|Season 3|Episode 12|Page 42|Model 3|Series 9|Form P60|Schedule 2
Clause 14|Rule 7|Grade 8|Year 11|Phase 2|Stage 4|Figure 3|Table 1|Step 5
""".replace("\n", "|")
    .strip("|")
    .split("|")
)
PRODUCTS = (
    """
Cash ISA|Stocks and Shares ISA|Lifetime ISA|Junior ISA|Premier Current Account|Student Account
Graduate Account|Platinum Credit Card|Gold Card|Rewards Credit Card|Fixed Rate Bond
Easy Access Saver|Regular Saver|Business Account|Joint Account|Basic Account|Travel Insurance
Home Insurance|Personal Loan|Car Loan|Tracker Mortgage|Fixed Rate Mortgage|Overdraft
""".replace("\n", "|")
    .strip("|")
    .split("|")
)
# Pieces of invented brand names ("Brightloop", "Cloudnest"), written for this project.
BRAND_HEADS = """
acme alpha apex aqua arc astro atlas aura axis beacon bright blue bold byte cedar clear cloud
code cobalt core crest cyber data delta echo eco ever fin flex fox fusion geo gold green grid
harbor hyper info iron jet kite leaf level lumen lunar magna maple matrix meta mind mint nexus
north nova omni open orbit peak pixel prime pulse quant quick rapid red river rock sage shift
silver smart snap solar spark spring star stone sun swift terra true uni vector velo vita wave
west wild zen zeta
""".split()
BRAND_TAILS = """
ly ify io ix iq hub base works soft wave stack lab labs flow verse ware point line logic grid
scape nest box cast mark path gate field bridge craft forge cell bit loop sync port scope tek
metrics sight ly mind shop wise
""".split()
# Legal forms and group words that end organisation names.
LEGAL_SUFFIXES = [
    "Inc", "Inc.", "LLC", "Ltd", "Ltd.", "Limited", "PLC", "plc", "LLP", "Corp.", "Corporation",
    "Incorporated", "Group", "Holdings", "& Co.", "& Sons", "Partners", "GmbH", "AG", "S.A.",
    "SA", "B.V.", "Pty Ltd", "Co.", "Company", "Brothers", "International", "Trust",
]  # fmt: skip
GROUP_WORDS = ["Group", "Company", "Trust", "Partnership", "Foundation"]
# Words that often start multi-word organisation names.
ORG_QUALIFIERS = """
American British National United First General Royal Pacific Atlantic Northern Southern
Eastern Western Central Global International Metropolitan Federal Continental Allied
""".split()
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIV", "XX"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SLOT = re.compile(r"\{(\w+)\}")
LIST_WORDS = """
apples pears plums books pens chairs tables lamps cups plates shoes hats coats bags boxes
lemurs camels zebras otters owls foxes wolves bears horses goats ducks geese rivers lakes
hills forests beaches songs poems films games maps stamps coins cards shells stones tools
""".split()
FILLER_SLOTS = ["PERSON", "PERSON", "FIRST", "LAST", "ORG", "ORG", "CITY", "COUNTRY", "ADDRESS"]

Spans = list[tuple[int, int, str]]


class SentenceFactory:
    """Makes (text, entity spans) pairs.

    Args:
        seed: every draw (templates, Faker values) follows from it.
        names: words to leave out of the random-word filler (the gazetteer's names and
            places), so that filler words are never names.
    """

    def __init__(self, seed: int = 0, names: frozenset[str] = frozenset()) -> None:
        self._rng = random.Random(seed)
        self._fakers = {locale: Faker(locale) for locale in LOCALES}
        for index, locale in enumerate(LOCALES):
            self._fakers[locale].seed_instance(seed * 1000 + index)
        self._english = [self._fakers[loc] for loc in LOCALES if loc.startswith("en")]
        self._latin = [self._fakers[loc] for loc in LATIN]
        self._templates = [t for group in ALL.values() for t in group]
        self._catch_words = sorted(
            {
                w
                for w in " ".join(self._fakers["en_US"].catch_phrase() for _ in range(400)).split()
                if w.isalpha()
            }
        )
        self._lorem = self._fakers["en_US"]
        # GeoNames' larger towns, countries and US states and counties (real names, every
        # country; Faker's English locales invent town names).
        self._places = geonames_places(min_population=15_000)
        # In filler sentences a lower-case name is indistinguishable from the words around
        # it, so values keep their case there.
        self._keep_case = False
        self._vocabulary = [w for w in top_n_list("en", 30_000) if w.isalpha() and w not in names]
        # Word pools drawn from for every organisation, list and capitalised phrase: built once.
        self._brand_tails = BRAND_TAILS + [w for w in self._vocabulary[:3000] if len(w) >= 4]
        self._name_words = self._vocabulary[:8000]
        self._plurals = LIST_WORDS + [w for w in self._vocabulary[:6000] if len(w) > 4 and w.endswith("s")]
        self._caps_words = self._vocabulary[:5000]

    # ---- values -------------------------------------------------------------------------
    def _faker(self, english_share: float = 0.45) -> Faker:
        draw = self._rng.random()
        if draw < english_share:
            return self._rng.choice(self._english)
        if draw < 0.93:
            return self._rng.choice(self._latin)
        return self._rng.choice(list(self._fakers.values()))

    def _case(self, value: str, lower: float = 0.05, upper: float = 0.02) -> str:
        if self._keep_case:
            return value
        draw = self._rng.random()
        if draw < lower:
            return value.lower()
        if draw < lower + upper:
            return value.upper()
        return value

    def person(self, form: str = "any") -> str:
        """A person's name: full, first only, surname only, with a middle name or initial."""
        faker = self._faker()
        first, last = faker.first_name(), faker.last_name()
        if form == "first":
            return self._case(first)
        if form == "last":
            return self._case(last)
        draw = self._rng.random()
        if draw < 0.5:
            name = f"{first} {last}"
        elif draw < 0.62:
            name = f"{first} {faker.first_name()[0]}. {last}"
        elif draw < 0.67:
            name = f"{first} {faker.first_name()[0]} {last}"
        elif draw < 0.77:
            name = f"{first} {faker.first_name()} {last}"
        elif draw < 0.82:
            name = f"{first} {last}-{faker.last_name()}"
        elif draw < 0.91:
            name = first
        else:
            name = last
        return self._case(name, lower=0.06, upper=0.03)

    def organization(self) -> str:
        """A company or organisation name in one of several styles."""
        draw = self._rng.random()
        words = self._catch_words
        if draw < 0.26:
            name = self._faker(0.6).company()
        elif draw < 0.35:
            name = " ".join(self._rng.choice(words).capitalize() for _ in range(self._rng.randint(1, 2)))
            name += " " + self._rng.choice(INDUSTRY)
        elif draw < 0.41:
            name = f"{self._faker().last_name()} {self._rng.choice(INDUSTRY)}"
        elif draw < 0.53:
            name = self._brand()
        elif draw < 0.65:
            name = self._rng.choice(KNOWN_COMPANIES)
        elif draw < 0.72:
            name = f"{self._rng.choice(words).capitalize()} {self._rng.choice(words).capitalize()}"
            name += " " + self._rng.choice(LEGAL_SUFFIXES)
        elif draw < 0.82:
            name = self._common_words_name()
        elif draw < 0.88:
            name = self._family_firm()
        elif draw < 0.93:
            name = self._acronym()
            if self._rng.random() < 0.4:
                name += " " + self._rng.choice(INDUSTRY + LEGAL_SUFFIXES)
        elif draw < 0.96:
            name = f"{self._rng.randint(1, 99)} {self._common_words_name(qualifier=False)}"
        else:
            body = self._common_words_name(qualifier=False)
            name = f"The {body} {self._rng.choice(GROUP_WORDS)}"
        # lower-case organisation names only come with wholly lower-case sentences
        return self._case(_clean(name), lower=0.0, upper=0.03)

    def _brand(self) -> str:
        """An invented brand: two words run together, a made-up word or a head and a tail."""
        words = self._catch_words
        draw = self._rng.random()
        if draw < 0.3:
            name = self._rng.choice(words).capitalize() + self._rng.choice(words).lower()
            if self._rng.random() < 0.3:
                name = name[: len(name) // 2] + name[len(name) // 2 :].capitalize()
            return name
        if draw < 0.5:
            return self._made_up_word()
        head = self._rng.choice(BRAND_HEADS)
        tail = self._rng.choice(self._brand_tails)
        name = head.capitalize() + (tail.capitalize() if self._rng.random() < 0.3 else tail)
        return name if self._rng.random() < 0.75 else f"{name} {self._rng.choice(INDUSTRY)}"

    def _common_words_name(self, qualifier: bool = True) -> str:
        """Capitalised common words, sometimes with a qualifier and a trade or legal word
        ("Walnut Street Capital", "National Blue Harbour Insurance")."""
        count = self._rng.choice([1, 2, 2, 3])
        parts = [self._rng.choice(self._name_words).capitalize() for _ in range(count)]
        if qualifier and self._rng.random() < 0.25:
            parts.insert(0, self._rng.choice(ORG_QUALIFIERS))
        draw = self._rng.random()
        if draw < 0.45:
            parts.append(self._rng.choice(INDUSTRY))
        elif draw < 0.85 or count == 1:
            parts.append(self._rng.choice(LEGAL_SUFFIXES))
        return " ".join(parts)

    def _family_firm(self) -> str:
        """Surnames joined as firms are ("Hale & Sons", "Ortiz & Brandt", "Kim, Lee & Park");
        "Ortiz and Brandt" is as often two people, and Faker's companies have that form."""
        faker = self._faker(0.6)
        first, second, third = faker.last_name(), faker.last_name(), faker.last_name()
        draw = self._rng.random()
        if draw < 0.35:
            return f"{first} & {self._rng.choice(['Sons', 'Co.', 'Partners', 'Associates', 'Daughters'])}"
        if draw < 0.55:
            return f"{first} & {second}"
        if draw < 0.7:
            return f"{first}, {second} & {third}"
        if draw < 0.88:
            return f"{first}-{second}"
        return f"{first} {self._rng.choice(['Brothers', 'Bros.', 'Family Trust'])}"

    def _acronym(self) -> str:
        letters = "".join(chr(65 + self._rng.randrange(26)) for _ in range(self._rng.randint(2, 4)))
        return ".".join(letters) + "." if self._rng.random() < 0.15 else letters

    def _made_up_word(self) -> str:
        syllables = [
            "ka",
            "zo",
            "lin",
            "tra",
            "vex",
            "ora",
            "mi",
            "pax",
            "ta",
            "quo",
            "ri",
            "sen",
            "dyn",
            "el",
            "ix",
        ]
        word = "".join(self._rng.choice(syllables) for _ in range(self._rng.randint(2, 3)))
        return word.capitalize()

    def place(self, kind: str) -> str:
        """A city, country, state or any of them."""
        faker = self._faker()
        if kind == "GPE":
            kind = self._rng.choice(["CITY", "CITY", "CITY", "COUNTRY", "COUNTRY", "STATE"])
        draw = self._rng.random()
        if kind == "COUNTRY":
            value = self._rng.choice(self._places["country"] if draw < 0.3 else [""]) or (
                self._rng.choice(self._english).country()
            )
        elif kind == "STATE" and draw < 0.15:
            value = self._rng.choice(self._places["state"])
        elif kind == "STATE" and hasattr(faker, "state"):
            value = faker.state()
        elif draw < 0.15:
            value = self._rng.choice(WORLD_CITIES)
        elif draw < 0.4:
            value = self._rng.choice(self._places["city"])
        else:
            value = faker.city()
        if self._rng.random() < 0.1:
            value = fold(value)
        return self._case(_clean(value), lower=0.05, upper=0.08)

    def job(self) -> str:
        """A job title, sometimes in lower case."""
        value = self._rng.choice(self._english).job()
        return value.lower() if self._rng.random() < 0.15 else value

    def street(self) -> str:
        """The street line of an address, sometimes with a flat or suite."""
        faker = self._faker(0.5)
        value = faker.street_address()
        if self._rng.random() < 0.25:
            secondary = getattr(faker, "secondary_address", self._lorem.secondary_address)()
            value = f"{value} {secondary}" if self._rng.random() < 0.6 else f"{secondary}, {value}"
        return value

    def address(self) -> str:
        """A whole postal address in a local or international layout, on one line or several."""
        faker = self._faker(0.5)
        draw = self._rng.random()
        if draw < 0.3:
            value = _clean_lines(faker.address())
            if self._rng.random() < 0.3:
                value = value.replace("\n", ", ")
        elif draw < 0.85:
            value = self._address_lines(faker)
        elif draw < 0.93:
            value = f"{self.street()}, {self._case(_clean(faker.city()), 0.0, 0.1)}"
        else:
            value = self.street()
        return self._case(value, lower=0.05, upper=0.03)

    def _address_lines(self, faker: Faker) -> str:
        """Street, flat, town, region, country and postcode, joined by commas or line breaks."""
        lines = [_clean(self.street())]
        if self._rng.random() < 0.3:
            lines.append(_clean(getattr(faker, "secondary_address", self._lorem.secondary_address)()))
        city = self._case(_clean(faker.city()), lower=0.0, upper=0.2)
        postcode = _clean(self._local("postcode"))
        draw = self._rng.random()
        if draw < 0.3:
            us = self._fakers["en_US"]
            city_line = f"{city}, {us.state_abbr()} {postcode}"
        elif draw < 0.55:
            city_line = f"{postcode} {city}"
        elif draw < 0.8:
            city_line = f"{city} {postcode}"
        else:
            city_line = city
        lines.append(city_line)
        if self._rng.random() < 0.4:
            country = self._rng.choice(self._english).country()
            lines.append(
                f"{country} {postcode}" if city_line == city and self._rng.random() < 0.6 else country
            )
        separator = self._rng.choice([", ", ", ", "\n", "\n", "\n ", "\n    ", ",\n"])
        return separator.join(lines)

    def other(self, slot: str) -> str:
        """A value for an unlabelled slot."""
        faker = self._rng.choice(self._english)
        makers: dict[str, Callable[[], str]] = {
            "ZIP": lambda: self._local("postcode"),
            "PHONE": lambda: self._local("phone_number"),
            "EMAIL": faker.email,
            "DATE": self._date,
            "YEAR": lambda: str(self._rng.randint(1950, 2024)),
            "WEEKDAY": lambda: self._rng.choice(WEEKDAYS),
            "AMOUNT": lambda: (
                self._rng.choice(["£", "$", "€", ""])
                + f"{self._rng.randint(5, 5000):,}"
                + self._rng.choice(["", "", " pounds", " euros", ".50"])
            ),
            "CARD": faker.credit_card_number,
            "IBAN": faker.iban,
            "NRP": lambda: self._rng.choice(NATIONALITIES + RELIGIONS).capitalize(),
            "URL": lambda: self._rng.choice([faker.url(), faker.domain_name()]),
            "AGE": lambda: str(self._rng.randint(18, 90)),
            "PRODUCT": lambda: self._rng.choice(PRODUCTS),
            "CAPS": self._caps,
            "NUM": lambda: str(self._rng.randint(1000, 99999999)),
            "LIST": self._plain_list,
        }
        return makers[slot]()

    def _date(self) -> str:
        """A calendar date or a weekday (drawn from our seed: Faker's dates depend on today)."""
        day = date(1950, 1, 1) + timedelta(days=self._rng.randrange(27_000))
        pattern = self._rng.choice(["%Y-%m-%d", "%d %B %Y", "%m/%d/%Y", "%B %d, %Y", ""])
        return day.strftime(pattern) if pattern else self._rng.choice(WEEKDAYS)

    def _local(self, method: str) -> str:
        """A value from a random locale's provider, or en_US's where that locale has none."""
        faker = self._faker()
        if not hasattr(faker, method):
            faker = self._fakers["en_US"]
        return str(getattr(faker, method)())

    def _plain_list(self) -> str:
        """Common nouns in a list ("owls, foxes, and more"), which are no organisation."""
        items = self._rng.sample(self._plurals, k=self._rng.randint(2, 5))
        joiner = self._rng.choice([" and ", ", and ", " & ", ", "])
        return ", ".join(items[:-1]) + joiner + items[-1] + self._rng.choice(["", "", ", and more", " etc"])

    def _caps(self) -> str:
        draw = self._rng.random()
        if draw < 0.1:
            word = self._rng.choice(["Title", "Part", "Volume", "Chapter", "Article", "Book", "Act", "Level"])
            return f"{word} {self._rng.choice(ROMAN)}"
        if draw < 0.2:
            # a list of capitalised common words (genres, categories), no organisation
            count = self._rng.randint(2, 5)
            items = [self._rng.choice(self._caps_words).capitalize() for _ in range(count)]
            return self._rng.choice([", ", " & ", " and "]).join(items)
        if draw < 0.65:
            return self._rng.choice(CAPS)
        return " ".join(w.capitalize() for w in self._lorem.words(self._rng.randint(1, 4)))

    def value(self, slot: str) -> str:
        """A value for any slot."""
        if slot == "PERSON":
            return self.person()
        if slot == "FIRST":
            return self.person("first")
        if slot == "LAST":
            return self.person("last")
        if slot == "HON":
            hon = self._rng.choice(HONORIFICS)
            return hon.lower() if self._rng.random() < 0.1 else hon
        if slot == "JOB":
            return self.job()
        if slot == "ORG":
            return self.organization()
        if slot in {"CITY", "COUNTRY", "STATE", "GPE"}:
            return self.place(slot)
        if slot == "ADDRESS":
            return self.address()
        if slot == "STREET":
            return self.street()
        return self.other(slot)

    # ---- sentences ----------------------------------------------------------------------
    def fill(self, template: str) -> tuple[str, Spans]:
        """Fills a template's slots; returns the text and the labelled spans."""
        text, spans, cursor = "", [], 0
        for match in SLOT.finditer(template):
            text += template[cursor : match.start()]
            slot = match.group(1)
            value = self.value(slot)
            if slot in ENTITY_OF_SLOT:
                spans.append((len(text), len(text) + len(value), ENTITY_OF_SLOT[slot]))
            text += value
            cursor = match.end()
        return text + template[cursor:], spans

    def _block(self) -> str:
        """A signature or address block template, one item a line."""
        lines = ["{PERSON}"]
        if self._rng.random() < 0.6:
            lines.append("{JOB}")
        if self._rng.random() < 0.7:
            lines.append("{ORG}")
        if self._rng.random() < 0.2:
            lines.append("{PERSON}")
        if self._rng.random() < 0.7:
            lines.append("{ADDRESS}")
        for label in self._rng.sample(
            ["Mobile: ", "Tel: ", "Phone: ", "Fax: ", "", "Email: "], k=self._rng.randint(0, 3)
        ):
            lines.append(label + ("{EMAIL}" if label == "Email: " else "{PHONE}"))
        if self._rng.random() < 0.15:
            self._rng.shuffle(lines)
        prefix = self._rng.choice(["", "", "", "> ", ">", "    ", "  "])
        head = self._rng.choice(["", "", "", "--\n", "Regards,\n", "Thanks\n\n", "Sent by\n"])
        return head + "\n".join(prefix + line for line in lines)

    def _filler(self) -> str:
        """A random English sentence with one to three entity slots between its words.

        Half are Faker's lorem sentences, half are words drawn from the 30,000 most frequent
        English ones, a few of them capitalised, so that the tagger sees that a common word
        is not a name even with a capital letter.
        """
        if self._rng.random() < 0.5:
            words = self._lorem.sentence(nb_words=self._rng.randint(6, 16)).split()
        else:
            words = [
                w.capitalize() if self._rng.random() < 0.08 else w
                for w in self._rng.choices(self._vocabulary, k=self._rng.randint(6, 16))
            ]
            words[0] = words[0].capitalize()
            words[-1] += self._rng.choice([".", ".", "?", "!", ""])
        for _ in range(self._rng.randint(1, 3)):
            words.insert(self._rng.randint(0, len(words)), "{" + self._rng.choice(FILLER_SLOTS) + "}")
        return " ".join(words)

    def sentence(self) -> tuple[str, Spans]:
        """One training sentence and its (start, end, type) spans."""
        draw = self._rng.random()
        if draw < 0.2:
            self._keep_case = True
            text, spans = self.fill(self._filler())
            self._keep_case = False
            return text, spans
        if draw < 0.24:
            return self._lorem.sentence(nb_words=self._rng.randint(5, 18)), []
        template = self._block() if draw < 0.36 else self._rng.choice(self._templates)
        text, spans = self.fill(template)
        draw = self._rng.random()
        if draw < 0.06:
            text = text.lower()
        elif draw < 0.08:
            text = text.upper()
        return text, spans


def _clean(value: str) -> str:
    return " ".join(value.replace("\r", "").split())


def _clean_lines(value: str) -> str:
    return "\n".join(_clean(line) for line in value.split("\n") if line.strip())


def to_training_example(text: str, spans: Spans) -> tuple[list[str], list[str]]:
    """Token texts and BIO labels of a sentence (tokens wholly inside a span are labelled)."""
    tokens = tokenize(text)
    labels = []
    previous_span = None
    for token in tokens:
        label = "O"
        for number, (start, end, kind) in enumerate(spans):
            if start <= token.start and token.end <= end:
                label = ("I-" if previous_span == number else "B-") + kind
                previous_span = number
                break
        else:
            previous_span = None
        labels.append(label)
    return [t.text for t in tokens], labels
