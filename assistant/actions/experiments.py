"""The bot's side of the experiments: which recommendation strategy and which
introduction a customer gets, and the outcome of their answers.

An experiment takes effect once an analyst has created it (``POST /v1/analytics/experiments``
with a name from ``journeys.experiments.BOT_EXPERIMENTS``); until then, and whenever the
experiment store fails, the bot uses its defaults: an experiment never stops a reply.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from journeys.errors import ExperimentError, UnknownExperiment
from journeys.experiments import BOT_EXPERIMENTS

if TYPE_CHECKING:
    from journeys.experiments import Experiments

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def get_experiments() -> Experiments:
    """The process-wide experiment store on ``DATABASE_URL``, built on the first call."""
    from database.engine import get_engine
    from journeys.experiments import Experiments

    return Experiments(get_engine())


def arm_for(experiment: str, customer_id: str, default: str) -> str:
    """The customer's sticky arm (assigned and logged with its propensity on first use), or
    ``default`` when the experiment does not exist, every arm is stopped or the store fails."""
    try:
        arm = get_experiments().assign(experiment, customer_id).arm
    except UnknownExperiment:
        return default
    except (ExperimentError, SQLAlchemyError) as error:
        logger.warning("experiment %s unavailable: %s", experiment, type(error).__name__)
        return default
    return arm if arm in BOT_EXPERIMENTS.get(experiment, (arm,)) else default


def record_answer(customer_id: str, accepted: bool) -> None:
    """An answer to a suggestion is an outcome of every bot experiment the customer is in."""
    try:
        get_experiments().record_where_assigned(BOT_EXPERIMENTS, customer_id, 1.0 if accepted else 0.0)
    except (ExperimentError, SQLAlchemyError) as error:
        logger.warning("experiment outcome not recorded: %s", type(error).__name__)
