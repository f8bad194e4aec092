"""Every package's tables on the one metadata that Alembic migrates."""

from sqlalchemy import MetaData

import bank.models
import journeys.models
import privacy.models
import recommender.models
import service.alerts.models
import service.alerts.nudge_models
import service.handoff.models
import service.models
import service.staff.models
from database.base import Base

MODEL_MODULES = (
    bank.models,
    recommender.models,
    service.models,
    service.staff.models,
    service.handoff.models,
    privacy.models,
    journeys.models,
    service.alerts.models,
    service.alerts.nudge_models,
)

target_metadata: MetaData = Base.metadata
