"""The engine end to end on fakes of its ports, the real catalogue, and the real journeys and
experiments tables for measurement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select

import journeys.models  # noqa: F401 - registers the journey tables on the metadata
from bank.nudge_facts import MoneyFacts, NudgeFactsStore
from database.base import Base
from insights.nudges import (
    Decision,
    MemoryNudgeHistory,
    NudgeEngine,
    NudgeEvent,
    NudgeEventName,
    NudgeKind,
    NudgeMeasurement,
    NudgeSettings,
    Verdict,
)
from insights.nudges.measurement import counts
from journeys.consumer import JourneyConsumer
from journeys.errors import UnknownExperiment
from journeys.events import Step
from journeys.experiments import Experiments
from journeys.models import JourneyStep
from recommender.catalogue import DEFAULT_CATALOGUE_PATH, Catalogue, load_catalogue
from recommender.profile import PROTECTED_ATTRIBUTES
from recommender.recommender import Recommender
from recommender.store_repository import StoreRepository
from tests.insights.nudge_factories import NOW, account, everyday_spending, facts, salary

CATALOGUE = load_catalogue(DEFAULT_CATALOGUE_PATH)
SETTINGS = NudgeSettings(max_per_day=3, max_per_week=5, max_per_kind_per_week=1)


@dataclass(frozen=True)
class Item:
    rec_id: str
    product_id: str
    product_name: str
    reasons: tuple[str, ...] = ("It keeps your money available whenever you need it.",)


@dataclass(frozen=True)
class Result:
    items: tuple[Item, ...]
    personalised: bool = True


@dataclass
class FakeRecommender:
    """Answers with the products given, as the recommender's suitability filters would have."""

    product_ids: Sequence[str]
    personalised: bool = True
    goals: list[Mapping[str, Any]] = field(default_factory=list)

    def recommend(
        self, customer_id: str, goal: Mapping[str, Any], k: int = 3, strategy: str = "score"
    ) -> Result:
        self.goals.append(goal)
        return Result(
            tuple(Item(f"rec_{p}", p, CATALOGUE.get(p).name) for p in self.product_ids), self.personalised
        )


@dataclass
class Consents:
    granted: set[str]

    def has_consent(self, customer_id: str, purpose: str) -> bool:
        return purpose in self.granted


@dataclass
class Facts:
    value: MoneyFacts
    reads: int = 0

    def money_facts(self, customer_id: str, since: datetime) -> MoneyFacts:
        self.reads += 1
        return self.value


RICH = facts([account("8000")], everyday_spending("20.00") + [salary(0.1)])


def engine(
    money: MoneyFacts = RICH,
    granted: set[str] | None = None,
    products: Sequence[str] = ("sav_easy_access",),
    personalised: bool = True,
    arm: str | None = None,
) -> tuple[NudgeEngine, Facts, FakeRecommender]:
    source = Facts(money)
    recommender = FakeRecommender(products, personalised)
    built = NudgeEngine(
        source,
        Consents({"marketing", "profiling"} if granted is None else granted),
        recommender,
        CATALOGUE,
        MemoryNudgeHistory(),
        (lambda _c: arm),
        SETTINGS,
    )
    return built, source, recommender


def of_kind(decisions: list[Decision], kind: NudgeKind) -> Decision:
    return next(d for d in decisions if d.kind == kind)


def test_salary_and_idle_cash_with_the_interest_from_the_catalogue() -> None:
    built, _, recommender = engine()
    decisions = built.evaluate("cus_001", NOW)
    assert {d.kind for d in decisions if d.verdict == Verdict.SEND} == {
        NudgeKind.SALARY_ARRIVED,
        NudgeKind.IDLE_CASH,
    }
    idle = of_kind(decisions, NudgeKind.IDLE_CASH).nudge
    assert idle is not None and idle.product_id == "sav_easy_access"
    rate = Decimal(str(CATALOGUE.get("sav_easy_access").rate_pct))
    amount = Decimal(idle.figures["amount"])
    assert Decimal(idle.figures["yearly_interest"]) == (amount * rate / 100).quantize(Decimal("0.01"))
    assert f"{rate}%" in " ".join(idle.assumptions) and "30 days" in idle.text
    assert idle.action == {
        "type": "open_product",
        "product_id": "sav_easy_access",
        "rec_id": "rec_sav_easy_access",
        "amount": idle.figures["amount"],
    }
    assert recommender.goals[0]["goal_type"] == "save" and recommender.goals[0]["risk_tolerance"] == "low"


def test_no_consent_reads_nothing_and_sends_nothing() -> None:
    built, source, recommender = engine(granted=set())
    assert built.evaluate("cus_001", NOW) == []
    assert source.reads == 0 and recommender.goals == []


def test_marketing_without_profiling_sends_no_product_nudge_and_asks_no_recommender() -> None:
    built, _, recommender = engine(granted={"marketing"})
    decisions = built.evaluate("cus_001", NOW)
    assert [d.kind for d in decisions] == [NudgeKind.SALARY_ARRIVED]
    assert recommender.goals == []


@pytest.mark.parametrize(
    "products, personalised, reason",
    [
        (("sav_regular",), True, "does not give instant access"),  # fixed term: money locked
        (("cc_purchase_0",), True, "not a savings account"),
        ((), True, "none recommended"),  # the recommender's filters found the customer eligible for nothing
        (("sav_easy_access",), False, "not personalised"),  # eligibility was not checked
    ],
)
def test_only_a_product_the_recommender_shows_and_that_fits_idle_cash(
    products: tuple[str, ...], personalised: bool, reason: str
) -> None:
    if products and products[0] not in CATALOGUE:
        pytest.skip(f"{products[0]} is not in this catalogue")
    built, _, _ = engine(products=products, personalised=personalised)
    idle = of_kind(built.evaluate("cus_001", NOW), NudgeKind.IDLE_CASH)
    assert idle.verdict == Verdict.SUPPRESS and idle.nudge is None and reason in (idle.reason or "")


def test_the_second_run_sends_no_duplicate_and_asks_no_recommender_again() -> None:
    built, _, recommender = engine()
    first = built.evaluate("cus_001", NOW)
    assert isinstance(built.history, MemoryNudgeHistory)
    built.history.add("cus_001", first)
    second = built.evaluate("cus_001", NOW + timedelta(hours=1))
    assert all(d.verdict == Verdict.SUPPRESS for d in second)
    assert len(recommender.goals) == 1


def test_the_experiment_arm_picks_the_wording_or_holds_the_nudge_off() -> None:
    plain = of_kind(engine(arm="plain")[0].evaluate("cus_001", NOW), NudgeKind.SALARY_ARRIVED).nudge
    first = of_kind(engine(arm="reasons_first")[0].evaluate("cus_001", NOW), NudgeKind.SALARY_ARRIVED).nudge
    assert plain is not None and first is not None and plain.text != first.text
    assert first.text.startswith("Your salary of £2,500.00") and first.variant == "reasons_first"
    off = of_kind(engine(arm="off")[0].evaluate("cus_001", NOW), NudgeKind.SALARY_ARRIVED)
    assert off.verdict == Verdict.SUPPRESS and off.nudge is not None and off.nudge.variant == "off"
    unknown = of_kind(engine(arm="shouty")[0].evaluate("cus_001", NOW), NudgeKind.SALARY_ARRIVED).nudge
    assert unknown is not None and unknown.variant == "plain"


def test_a_customer_with_nothing_gets_nothing() -> None:
    built, _, _ = engine(money=facts([], []))
    assert built.evaluate("cus_001", NOW) == []


def test_facts_carry_no_protected_attribute() -> None:
    names = set(MoneyFacts.__dataclass_fields__)
    assert not names & PROTECTED_ATTRIBUTES


def test_the_banks_and_recommenders_classes_fit_the_ports() -> None:
    def wire(
        store: NudgeFactsStore,
        repository: StoreRepository,
        recommender: Recommender,
        catalogue: Catalogue,
        experiments: Experiments,
    ) -> tuple[NudgeEngine, NudgeMeasurement]:
        return (
            NudgeEngine(store, repository, recommender, catalogue, MemoryNudgeHistory()),
            NudgeMeasurement(lambda rows: None, experiments),
        )  # checked by mypy

    assert callable(wire)


def test_measurement_goes_to_journey_steps_and_the_experiment(tmp_path: Path) -> None:
    database = create_engine(f"sqlite:///{tmp_path / 'nudges.db'}")
    Base.metadata.create_all(database)
    consumer, experiments = JourneyConsumer(database), Experiments(database)
    experiments.create("nudge_wording", "ab", ["plain", "reasons_first"])

    def arm_of(customer_id: str) -> str | None:
        try:
            return experiments.assign("nudge_wording", customer_id).arm
        except UnknownExperiment:
            return None

    built = NudgeEngine(
        Facts(RICH),
        Consents({"marketing", "profiling"}),
        FakeRecommender(["sav_easy_access"]),
        CATALOGUE,
        MemoryNudgeHistory(),
        arm_of,
        SETTINGS,
    )
    nudge = of_kind(built.evaluate("cus_001", NOW), NudgeKind.IDLE_CASH).nudge
    assert nudge is not None and nudge.variant in ("plain", "reasons_first")
    measurement = NudgeMeasurement(lambda rows: consumer.ingest_steps([Step(**r) for r in rows]), experiments)
    later = [NOW, NOW + timedelta(minutes=5), NOW + timedelta(minutes=6)]
    names = [NudgeEventName.SHOWN, NudgeEventName.OPENED, NudgeEventName.ACTED]
    measurement.record([NudgeEvent.of(n, nudge, at) for n, at in zip(names, later, strict=True)])
    measurement.record([NudgeEvent.of(NudgeEventName.SHOWN, nudge, NOW)])  # a replay changes nothing
    with database.connect() as connection:
        rows = [dict(r._mapping) for r in connection.execute(select(JourneyStep))]
    assert counts(rows) == {(n.value, "idle_cash", nudge.variant): 1 for n in names}
    assert {r["customer_id"] for r in rows} == {"cus_001"}
    arm = next(a for a in experiments.results("nudge_wording")["arms"] if a["arm"] == nudge.variant)
    assert arm["n"] == 1 and arm["reward_rate"] == 1.0
