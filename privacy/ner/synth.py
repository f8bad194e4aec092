"""Synthetic training sentences for the tagger, from our own templates and Faker values.

Only used at training time (``faker`` is a development dependency). Templates are
banking chat turns and common document shapes (signatures, forms, letters); values come
from Faker in many locales, so names and addresses are not only English.
"""

import random
import re
from collections.abc import Callable

from faker import Faker

from privacy.ner.tokens import Token, tokenize
from privacy.recognizers.nrp import NATIONALITIES, RELIGIONS

LOCALES = [
    "en_US",
    "en_GB",
    "en_AU",
    "en_CA",
    "en_IE",
    "en_NZ",
    "zu_ZA",
    "de_DE",
    "de_AT",
    "de_CH",
    "fr_FR",
    "fr_BE",
    "es_ES",
    "es_MX",
    "it_IT",
    "nl_NL",
    "nl_BE",
    "pt_PT",
    "pt_BR",
    "sv_SE",
    "da_DK",
    "no_NO",
    "fi_FI",
    "pl_PL",
    "cs_CZ",
    "sk_SK",
    "hu_HU",
    "ro_RO",
    "hr_HR",
    "sl_SI",
    "el_GR",
    "tr_TR",
    "ru_RU",
    "uk_UA",
    "et_EE",
    "lv_LV",
    "lt_LT",
    "is_IS",
    "ja_JP",
    "zh_CN",
    "ko_KR",
    "hi_IN",
    "id_ID",
    "th_TH",
    "vi_VN",
    "fil_PH",
    "tw_GH",
    "ar_AA",
    "he_IL",
    "fa_IR",
]
HONORIFICS = ["Mr.", "Mrs.", "Ms.", "Dr.", "Mr", "Mrs", "Ms", "Dr", "Miss", "Prof."]
SLOT = re.compile(r"\{(\w+)\}")

# Each {slot} becomes an entity of the slot's type; plain text stays outside.
TEMPLATES = [
    "My name is {PERSON}",
    "my name is {PERSON} and I need help with my card",
    "Hi, this is {PERSON}. I can't log in to the app",
    "{PERSON} here, can you check my balance?",
    "The account holder is {PERSON}",
    "Please add {PERSON} as a payee",
    "I want to send £200 to {PERSON}",
    "Transfer 50 euros to {PERSON} tomorrow",
    "Can {PERSON} be added to my joint account?",
    "I'd like to join accounts with {TITLE} {PERSON}",
    "{TITLE} {PERSON} called about a missing payment",
    "Dear {TITLE} {PERSON},",
    "Hello {TITLE} {PERSON}, how can I help?",
    "Who is {PERSON}? I don't know this payee",
    "{PERSON} and {PERSON} opened a savings account",
    "Thanks {PERSON}!",
    "I spoke to {PERSON} in your {LOCATION} branch yesterday",
    "I live at {ADDRESS}",
    "My address is {ADDRESS}",
    "Please send the new card to {ADDRESS}",
    "I moved to {ADDRESS} last month, can you update my address?",
    "Our office is at {ADDRESS}",
    "Deliver it to {ADDRESS} please",
    "{PERSON} lives at {ADDRESS}",
    "The statement went to {ADDRESS} instead of my new home",
    "{PERSON}\n{ADDRESS}",
    "{PERSON}\n{ORGANIZATION}\n{ADDRESS}",
    "{PERSON}\n{TITLE}\n{ORGANIZATION}\n{ADDRESS}",
    "Kind regards,\n{PERSON}\n{TITLE}, {ORGANIZATION}",
    "Name: {PERSON}\nAddress: {ADDRESS}\nEmployer: {ORGANIZATION}",
    "Name: {PERSON}\nOccupation: {TITLE}\nCity: {LOCATION}",
    "I work for {ORGANIZATION}",
    "I work at {ORGANIZATION} as a {TITLE}",
    "I used to work for {ORGANIZATION} as {TITLE} but I was made redundant",
    "My employer {ORGANIZATION} pays my salary on the 25th",
    "I'm a {TITLE} at {ORGANIZATION}",
    "I'm self-employed, I work as a {TITLE}",
    "My job title is {TITLE}",
    "Occupation: {TITLE}",
    "My salary from {ORGANIZATION} hasn't arrived",
    "{ORGANIZATION} charged me twice",
    "{PERSON} from {ORGANIZATION} will call you",
    "{ORGANIZATION} is based in {LOCATION}",
    "{ORGANIZATION} was founded in {LOCATION}",
    "I have a meeting with {ORGANIZATION} in {LOCATION}",
    "I will be travelling to {LOCATION} next week, please don't block my card",
    "I'm in {LOCATION} and my card was declined",
    "We moved here from {LOCATION}",
    "I was born in {LOCATION}",
    "I live in {LOCATION}",
    "Is there a branch in {LOCATION}?",
    "I'm flying from {LOCATION} to {LOCATION} on Friday",
    "She is from {LOCATION}, {LOCATION}",
    "{TITLE} {PERSON} flew to {LOCATION} on Monday",
    "I'm {NRP} but I live in {LOCATION}",
    "I am {NRP}",
    "There's a nice {NRP} restaurant near {ADDRESS}",
    "The {NRP} community centre",
    "As a {NRP} I want a sharia compliant account",
    "My husband is {NRP}",
    "I need a mortgage for a flat in {LOCATION}",
    "Send it to {PERSON}, {ADDRESS}",
    "{PERSON}'s card was stolen in {LOCATION}",
    "Is {PERSON} authorised on this account?",
    "Our company {ORGANIZATION} needs a business account",
    "I bank with {ORGANIZATION} too",
    "{PERSON} said the transfer would arrive today",
    "I gave {PERSON} my old phone last year",
    "Ask {PERSON} about the missing money",
    "{PERSON}, {PERSON} and {PERSON} share the account",
    "Yesterday {PERSON} told me to call you",
    "My daughter {PERSON} needs her own card",
    "Is it true that {PERSON} closed the account?",
    "I think {PERSON} is the beneficiary",
    "The payment to {PERSON} for the rent bounced",
    "{PERSON} works for {ORGANIZATION} in {LOCATION}",
    "We met {PERSON} at the {ORGANIZATION} event",
    "{ORGANIZATION} and {ORGANIZATION} both charged me",
    "Last summer in {LOCATION} my card stopped working",
    "{LOCATION} is where I grew up",
    "{TITLE} {PERSON} is our new adviser",
    "According to {PERSON}, the fee is waived",
]
NEGATIVES = [
    "What is my balance?",
    "I want to transfer £250 to my savings account",
    "How much interest does the Cash ISA pay?",
    "Can I get a Premier Current Account?",
    "I paid 500 pounds last week and it hasn't arrived",
    "My Visa debit card was declined",
    "I've been a customer for 5 years",
    "Freeze my card please",
    "Set up a standing order",
    "When will my Mastercard arrive?",
    "Can I use Apple Pay with my credit card?",
    "What's the exchange rate for US dollars?",
    "I lost my card yesterday",
    "Please cancel the direct debit",
    "How do I reset my PIN?",
    "Thanks, that's all",
    "Is the mobile banking app down?",
    "I want to dispute a transaction from last Monday",
    "Can I increase my overdraft limit?",
    "What are the fees for international transfers?",
    "Hello, I need help",
    "I'd like to speak to an agent",
    "Open a Junior ISA for my son",
    "The ATM ate my card",
    "My Google Pay isn't working",
    "I want a loan of 10,000 pounds over 3 years",
    "Where is my nearest branch?",
    "Do you offer a fixed rate mortgage?",
    "OK thank you very much",
    "I need a new statement for March",
    "My payment to the council tax was returned",
]


def _lower_some(text: str, rng: random.Random) -> str:
    return text.lower() if rng.random() < 0.1 else text


class SentenceFactory:
    """Makes (text, entity spans) pairs from the templates."""

    def __init__(self, seed: int = 0) -> None:
        self._rng = random.Random(seed)
        self._fakers = [Faker(locale) for locale in LOCALES]
        for index, faker in enumerate(self._fakers):
            faker.seed_instance(seed + index)
        self._english = [f for f, loc in zip(self._fakers, LOCALES, strict=True) if loc.startswith("en")]

    def _faker(self) -> Faker:
        pool = self._english if self._rng.random() < 0.4 else self._fakers
        return self._rng.choice(pool)

    def value(self, slot: str) -> str:
        """A random value for a slot type."""
        faker = self._faker()
        makers: dict[str, Callable[[], str]] = {
            "PERSON": lambda: self._rng.choice(
                [
                    faker.name,
                    faker.name,
                    lambda: f"{faker.first_name()} {faker.last_name()}",
                    faker.first_name,
                    faker.last_name,
                    lambda: f"{faker.first_name()} {faker.first_name()[0]}. {faker.last_name()}",
                ]
            )(),
            "ORGANIZATION": faker.company,
            "LOCATION": lambda: self._rng.choice(
                [faker.city, faker.city, faker.country, self._state(faker)]
            )(),
            "ADDRESS": lambda: self._address(faker),
            "TITLE": lambda: self._rng.choice(HONORIFICS) if self._rng.random() < 0.0 else faker.job(),
            "NRP": lambda: self._rng.choice(NATIONALITIES + RELIGIONS).capitalize(),
        }
        return _clean(makers[slot]())

    def _state(self, faker: Faker) -> Callable[[], str]:
        return getattr(faker, "state", faker.city)

    def _address(self, faker: Faker) -> str:
        choice = self._rng.random()
        if choice < 0.45:
            address = faker.address()
            if self._rng.random() < 0.5:
                address = address.replace("\n", ", ")
            if self._rng.random() < 0.3:
                address += ("\n" if "\n" in address else ", ") + faker.country()
            return address
        if choice < 0.8:
            return faker.street_address()
        return f"{faker.street_address()}, {faker.city()}"

    def _filler_template(self) -> str:
        """A random English sentence with one or two slots put between its words."""
        words = self._english[0].sentence(nb_words=self._rng.randint(6, 16)).split()
        for _ in range(self._rng.randint(1, 2)):
            slot = self._rng.choice(
                ["PERSON", "PERSON", "ORGANIZATION", "LOCATION", "ADDRESS", "NRP", "TITLE"]
            )
            words.insert(self._rng.randint(0, len(words)), "{" + slot + "}")
        return " ".join(words)

    def sentence(self) -> tuple[str, list[tuple[int, int, str]]]:
        """One sentence and its (start, end, type) spans."""
        draw = self._rng.random()
        if draw < 0.12:
            return _lower_some(self._rng.choice(NEGATIVES), self._rng), []
        if draw < 0.22:
            return self._english[0].sentence(nb_words=self._rng.randint(5, 18)), []
        template = self._filler_template() if draw < 0.5 else self._rng.choice(TEMPLATES)
        text, spans, cursor = "", [], 0
        for match in SLOT.finditer(template):
            text += template[cursor : match.start()]
            slot = match.group(1)
            value = (
                self._rng.choice(HONORIFICS)
                if slot == "TITLE" and "{PERSON}" in template[match.end() : match.end() + 10]
                else self.value(slot)
            )
            spans.append((len(text), len(text) + len(value), slot))
            text += value
            cursor = match.end()
        text += template[cursor:]
        if self._rng.random() < 0.1:
            text = text.lower()
        return text, spans


def _clean(value: str) -> str:
    return " ".join(part for part in value.replace("\r", "").split(" ") if part).strip()


def to_training_example(text: str, spans: list[tuple[int, int, str]]) -> tuple[list[Token], list[str]]:
    """Tokens and BIO labels of a sentence."""
    tokens = tokenize(text)
    labels = []
    for token in tokens:
        label = "O"
        for start, end, kind in spans:
            if (
                start <= token.start
                and token.end <= end
                and token.text != "\n"
                or (token.text == "\n" and start < token.start and token.end < end)
            ):
                first = not any(t.start >= start and t.end <= token.start for t in tokens if t.text != "\n")
                label = ("B-" if first else "I-") + kind
                break
        labels.append(label)
    return tokens, labels
