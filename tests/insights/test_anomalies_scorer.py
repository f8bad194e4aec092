"""The anomaly scorer's scores and reasons on hand-made histories, edge cases included."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from bank.enums import Category, TransactionKind
from insights.anomalies import AnomalyScorer, AnomalySettings, Baseline, ReasonCode, TransactionEvent

START = datetime(2024, 1, 1, tzinfo=UTC)
NOW = datetime(2025, 1, 10, 14, 30, tzinfo=UTC)


def event(at: datetime, amount: float, description: str, category: Category, currency: str = "GBP",
          kind: TransactionKind | None = None) -> TransactionEvent:
    return TransactionEvent(at, amount, description, category, currency, kind)


def regular_year() -> list[TransactionEvent]:
    """A year of a steady customer: salary, a direct debit, groceries twice a week, lunch, a trip to Spain."""
    events: list[TransactionEvent] = []
    for day in range(365):
        at = START + timedelta(days=day)
        if at.day == 25:
            events.append(event(at + timedelta(hours=6), 2500.0, "BGC ACME SALARY", Category.SALARY))
        if at.day == 3:
            events.append(event(at + timedelta(hours=5), -95.0, "DD OCTOPUS ENERGY", Category.UTILITIES,
                                kind=TransactionKind.DIRECT_DEBIT))
        if day % 3 == 0:
            events.append(event(at + timedelta(hours=10 + day % 9), -(25.0 + day % 11), "TESCO STORES 2231",
                                Category.GROCERIES))
        if day % 4 == 1:
            events.append(event(at + timedelta(hours=12, minutes=day % 50), -(8.0 + day % 5), "PRET A MANGER",
                                Category.EATING_OUT))
    for day in range(5):
        events.append(event(START + timedelta(days=200 + day, hours=13), -30.0, "RESTAURANTE EL FARO",
                            Category.EATING_OUT, "EUR"))
    return sorted(events, key=lambda e: e.booked_at)


@pytest.fixture(scope="module")
def baseline() -> Baseline:
    return Baseline.from_history(regular_year())


@pytest.fixture(scope="module")
def scorer() -> AnomalyScorer:
    return AnomalyScorer.from_settings(AnomalySettings(threshold=0.45))


def test_a_usual_payment_is_not_an_alert(baseline: Baseline, scorer: AnomalyScorer) -> None:
    result = scorer.score(baseline, event(NOW, -31.0, "TESCO STORES 2231", Category.GROCERIES))
    assert result.score < 0.1 and not result.alert and result.reasons == ()


def test_ten_times_the_usual_for_the_category_is_an_alert(baseline: Baseline, scorer: AnomalyScorer) -> None:
    result = scorer.score(baseline, event(NOW, -320.0, "TESCO STORES 2231", Category.GROCERIES))
    assert result.alert
    assert result.codes[0] is ReasonCode.AMOUNT
    assert "£320.00" in result.reasons[0].text and "groceries" in result.reasons[0].text


def test_a_large_purchase_at_a_new_merchant_at_3am_is_an_alert_with_three_reasons(
        baseline: Baseline, scorer: AnomalyScorer) -> None:
    result = scorer.score(baseline, event(NOW.replace(hour=3), -900.0, "GLOBAL GADGETS", Category.SHOPPING))
    assert result.score > 0.7 and result.alert
    assert set(result.codes) >= {ReasonCode.AMOUNT, ReasonCode.NEW_MERCHANT, ReasonCode.HOUR}
    assert any("03:" in reason.text for reason in result.reasons)


def test_a_new_merchant_alone_is_not_an_alert(baseline: Baseline, scorer: AnomalyScorer) -> None:
    result = scorer.score(baseline, event(NOW, -9.0, "LEON", Category.EATING_OUT))
    assert result.codes == (ReasonCode.NEW_MERCHANT,) and not result.alert


def test_a_currency_never_used_is_a_reason_and_one_used_before_is_not(
        baseline: Baseline, scorer: AnomalyScorer) -> None:
    new = scorer.score(baseline, event(NOW, -60.0, "SHOP BANGKOK", Category.SHOPPING, "THB"))
    seen = scorer.score(baseline, event(NOW, -30.0, "RESTAURANTE EL FARO", Category.EATING_OUT, "EUR"))
    assert ReasonCode.NEW_CURRENCY in new.codes
    assert "THB" in new.reasons[new.codes.index(ReasonCode.NEW_CURRENCY)].text
    assert ReasonCode.NEW_CURRENCY not in seen.codes and not seen.alert
    assert new.score > seen.score


def test_card_testing_burst_raises_the_score_payment_by_payment(scorer: AnomalyScorer) -> None:
    live = Baseline.from_history(regular_year())
    scores = []
    for n, name in enumerate(("QXJDKE", "PLMNBV", "ZZTOPA", "WERTYU", "ASDFGH")):
        payment = event(NOW + timedelta(minutes=n), -1.5, f"PAYPAL *{name}", Category.OTHER)
        scores.append(scorer.score(live, payment))
        live.update(payment)
    assert [s.score for s in scores] == sorted(s.score for s in scores)
    assert scores[-1].alert and ReasonCode.BURST in scores[-1].codes
    assert "5 payments within 10 minutes" in scores[-1].reasons[scores[-1].codes.index(ReasonCode.BURST)].text
    assert not scores[0].alert


def test_direct_debits_at_night_set_no_hour_or_burst(scorer: AnomalyScorer) -> None:
    live = Baseline.from_history(regular_year())
    bills = [event(NOW.replace(hour=5), -40.0 - n, f"DD BILLER {chr(65 + n)}", Category.UTILITIES,
                   kind=TransactionKind.DIRECT_DEBIT) for n in range(4)]
    for bill in bills[:-1]:
        live.update(bill)
    result = scorer.score(live, bills[-1])
    assert ReasonCode.HOUR not in result.codes and ReasonCode.BURST not in result.codes


@pytest.mark.parametrize("amount, description, category", [
    (5000.0, "AMAZON REFUND", Category.SHOPPING),  # a refund: money in, however large
    (2500.0, "BGC ACME SALARY", Category.SALARY),
    (12000.0, "FPI FROM J SMITH", Category.TRANSFER),
])
def test_money_in_is_never_an_anomaly(baseline: Baseline, scorer: AnomalyScorer, amount: float,
                                      description: str, category: Category) -> None:
    result = scorer.score(baseline, event(NOW.replace(hour=3), amount, description, category, "USD"))
    assert result.score == 0.0 and not result.alert and result.reasons == ()


def test_no_history_scores_everyday_payments_low_and_a_big_night_payment_high(scorer: AnomalyScorer) -> None:
    empty = Baseline()
    everyday = scorer.score(empty, event(NOW, -25.0, "TESCO STORES", Category.GROCERIES))
    night = scorer.score(empty, event(NOW.replace(hour=3), -2500.0, "LUX WATCHES", Category.SHOPPING))
    abroad = scorer.score(empty, event(NOW, -25.0, "CAFE DE FLORE", Category.EATING_OUT, "EUR"))
    assert not everyday.alert and not abroad.alert and night.alert
    assert 0.0 <= everyday.score < night.score <= 1.0


def test_only_income_then_a_first_payment_does_not_crash(scorer: AnomalyScorer) -> None:
    income = [event(START + timedelta(days=30 * n, hours=6), 1800.0, "BGC ACME SALARY", Category.SALARY)
              for n in range(12)]
    baseline = Baseline.from_history(income)
    assert baseline.debits == 0 and baseline.credits == 12
    result = scorer.score(baseline, event(NOW, -40.0, "TESCO STORES", Category.GROCERIES))
    assert 0.0 <= result.score < 0.45


def test_one_month_of_history_shrinks_toward_the_prior(scorer: AnomalyScorer) -> None:
    month = [e for e in regular_year() if e.booked_at < START + timedelta(days=31)]
    baseline = Baseline.from_history(month)
    usual = scorer.score(baseline, event(NOW, -30.0, "TESCO STORES 2231", Category.GROCERIES))
    huge = scorer.score(baseline, event(NOW, -600.0, "TESCO STORES 2231", Category.GROCERIES))
    assert not usual.alert and ReasonCode.AMOUNT in huge.codes and huge.score > usual.score


def test_an_amount_paid_at_the_merchant_before_weighs_less(scorer: AnomalyScorer) -> None:
    history = regular_year() + [event(START + timedelta(days=20, hours=4), -640.0, "AVIVA HOME INSURANCE",
                                      Category.OTHER)]
    renewal = event(NOW.replace(hour=11), -655.0, "AVIVA HOME INSURANCE", Category.OTHER)
    stranger = event(NOW.replace(hour=11), -655.0, "ACME INSURANCE", Category.OTHER)
    baseline = Baseline.from_history(sorted(history, key=lambda e: e.booked_at))
    assert not scorer.score(baseline, renewal).alert
    assert scorer.score(baseline, stranger).score > scorer.score(baseline, renewal).score


def test_scoring_takes_well_under_a_millisecond(baseline: Baseline, scorer: AnomalyScorer) -> None:
    payment = event(NOW.replace(hour=3), -900.0, "GLOBAL GADGETS", Category.SHOPPING, "USD")
    scorer.score(baseline, payment)
    start = time.perf_counter()
    for _ in range(1000):
        scorer.score(baseline, payment)
    assert (time.perf_counter() - start) / 1000 < 0.0005
