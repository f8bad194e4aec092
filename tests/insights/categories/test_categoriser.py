"""The committed model with its rule fallback: the demo bank's merchants, refunds, salaries,
and input that leaves nothing to go on."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bank.demo_customers import CREDIT_CARD_SPENDING, CUSTOMERS, EVERYDAY_SPENDING, MONTHLY_BILLS
from bank.enums import Category
from insights.categories import Categoriser, Source
from insights.categories.categoriser import RULE_CONFIDENCE
from insights.categories.model import MODEL_PATH

DEMO_SPENDING = sorted(
    {(m, c) for m, c, *_ in EVERYDAY_SPENDING}
    | {(m, c) for m, c, *_ in MONTHLY_BILLS}
    | {(m, c) for m, c, *_ in CREDIT_CARD_SPENDING}
    | {(s.housing[0], s.housing[2]) for s in CUSTOMERS}
)


@pytest.mark.parametrize(("merchant", "category"), DEMO_SPENDING)
def test_the_demo_banks_merchants_land_in_their_category(
    categoriser: Categoriser, merchant: str, category: Category
) -> None:
    assert categoriser.categorise(merchant, Decimal("-24.50")).category == category


@pytest.mark.parametrize(
    ("description", "category"),
    [
        ("AMZN MKTP UK*2K4AB12C", Category.SHOPPING),
        ("TFL TRAVEL CH", Category.TRANSPORT),
        ("SQ *COFFEE SHOP", Category.EATING_OUT),
        ("TESCO STORES 2234 LONDON GB", Category.GROCERIES),
        ("CARD PAYMENT TO SAINSBURYS S/MKTS ON 03 MAR", Category.GROCERIES),
        ("UBER EATS", Category.EATING_OUT),
        ("UBER TRIP", Category.TRANSPORT),
        ("LINK ATM 123 LEEDS", Category.CASH),
        ("Transfer to Savings", Category.TRANSFER),
    ],
)
def test_statement_styles(categoriser: Categoriser, description: str, category: Category) -> None:
    assert categoriser.categorise(description, -12.80).category == category


@pytest.mark.parametrize(
    ("description", "category"),
    [
        ("TESCO STORES REFUND", Category.GROCERIES),
        ("AMAZON MARKETPLACE", Category.SHOPPING),
        ("ZARA", Category.SHOPPING),
        ("TRAINLINE", Category.TRANSPORT),
    ],
)
def test_a_refund_at_a_shop_is_not_income(
    categoriser: Categoriser, description: str, category: Category
) -> None:
    found = categoriser.categorise(description, Decimal("34.99"))
    assert found.category == category
    assert found.category != Category.SALARY


@pytest.mark.parametrize("payer", sorted({s.monthly_income[0] for s in CUSTOMERS}))
def test_the_demo_customers_income_is_salary(categoriser: Categoriser, payer: str) -> None:
    assert categoriser.categorise(payer, Decimal("2450.00")).category == Category.SALARY


@pytest.mark.parametrize("description", ["BGC ACME LTD SALARY", "NHS PAYROLL", "FPI BRIGHTWAVE LTD SALARY"])
def test_salary_credits_are_income(categoriser: Categoriser, description: str) -> None:
    assert categoriser.categorise(description, 2100.0).category == Category.SALARY


@pytest.mark.parametrize("description", ["", "   ", "🙂🍕💳", "0000 1111 2222"])
def test_nothing_to_go_on_is_other_from_the_fallback(categoriser: Categoriser, description: str) -> None:
    assert tuple(categoriser.categorise(description, -5)) == (Category.OTHER, 0.0, Source.FALLBACK)


def test_a_5000_character_description_gets_an_answer(categoriser: Categoriser) -> None:
    found = categoriser.categorise("X" * 5000, -10)
    assert isinstance(found.category, Category)
    assert 0.0 <= found.confidence <= 1.0


def test_an_answer_says_where_it_came_from(categoriser: Categoriser) -> None:
    pairs = [(merchant, -20.0) for merchant, _ in DEMO_SPENDING] + [("zzqx", -3.0), ("", 1.0)]
    for found in categoriser.categorise_many(pairs):
        if found.source == Source.MODEL:
            assert found.confidence >= categoriser.threshold
        elif found.source == Source.MODEL_UNSURE:
            assert found.confidence < categoriser.threshold
        elif found.source == Source.RULES:
            assert found.confidence == RULE_CONFIDENCE
        else:
            assert found == (Category.OTHER, 0.0, Source.FALLBACK)


def test_below_the_threshold_the_rules_answer(categoriser: Categoriser) -> None:
    unsure = Categoriser(categoriser.model, encoder=categoriser.encoder, threshold=1.01)
    assert unsure.categorise("SOMEWHERE SUPERMARKET", -20) == (Category.GROCERIES, 0.5, Source.RULES)


def test_a_batch_answers_like_single_calls(categoriser: Categoriser) -> None:
    pairs = [("TESCO STORES", -20.0), ("", 3.0), ("NHS PAYROLL", 1800.0)]
    assert categoriser.categorise_many(pairs) == [categoriser.categorise(*p) for p in pairs]


def test_the_committed_model_is_small() -> None:
    assert MODEL_PATH.stat().st_size < 2 * 1024 * 1024
