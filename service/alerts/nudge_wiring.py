"""The nudge engine on the bank's tables, the stored history and the journeys' measurement."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from bank.nudge_facts import NudgeFactsStore
from insights.nudges import NudgeEngine, NudgeMeasurement, NudgeSettings
from insights.nudges.offers import ProductRecommender
from journeys.errors import UnknownExperiment
from journeys.events import Step
from journeys.wiring import Analytics
from recommender.catalogue import load_catalogue
from recommender.store_repository import StoreRepository
from service.alerts.nudge_delivery import LazyRecommender
from service.alerts.nudge_store import NudgeStore


@dataclass(frozen=True)
class Nudges:
    """What the service holds of the nudges."""

    engine: NudgeEngine
    store: NudgeStore
    measurement: NudgeMeasurement


def build_nudges(sessions: sessionmaker[Session], recommender: Callable[[], ProductRecommender],
                 analytics: Analytics, settings: NudgeSettings | None = None) -> Nudges:
    """The engine (consents from the ``consents`` table, products from the recommender built on
    first use, the wording arm from the nudge experiment when it runs), its stored history, and
    measurement into journey steps and the experiment's outcomes."""
    settings = settings or NudgeSettings()
    catalogue = load_catalogue()
    store = NudgeStore(sessions)
    experiments = analytics.experiments

    def arm_of(customer_id: str) -> str | None:
        try:
            return experiments.assign(settings.experiment, customer_id).arm
        except UnknownExperiment:
            return None

    engine = NudgeEngine(NudgeFactsStore(sessions), StoreRepository(sessions, catalogue),
                         LazyRecommender(recommender), catalogue, store, arm_of, settings)
    measurement = NudgeMeasurement(
        lambda rows: analytics.consumer.ingest_steps([Step(**row) for row in rows]), experiments,
        settings.experiment)
    return Nudges(engine, store, measurement)
