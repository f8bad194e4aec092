"""The analytics parts the API holds: reader, consumer, tracker polling and experiments."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from journeys.consumer import IngestReport, JourneyConsumer
from journeys.experiments import Experiments
from journeys.metrics import JourneyAnalytics
from journeys.settings import JourneySettings
from journeys.sources import TrackerStoreSource

log = logging.getLogger(__name__)


@dataclass
class Analytics:
    """What ``app.state.analytics`` holds."""

    settings: JourneySettings
    reader: JourneyAnalytics
    consumer: JourneyConsumer
    experiments: Experiments
    tracker: TrackerStoreSource | None = None
    _task: asyncio.Task[None] | None = field(default=None, repr=False)

    def poll_once(self) -> IngestReport:
        """Ingest what Rasa's tracker store has written since the last poll (embedded profile)."""
        return self.tracker.poll() if self.tracker else IngestReport()

    def start(self) -> None:
        """Poll the tracker store in the background when one is configured."""
        if self.tracker is not None:
            self._task = asyncio.create_task(self._poll_forever())

    async def _poll_forever(self) -> None:
        while True:
            try:
                await run_in_threadpool(self.poll_once)
            except Exception:  # noqa: BLE001 - the loop must survive any one failure
                log.exception("journey ingest failed")
            await asyncio.sleep(self.settings.poll_interval_s)

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.tracker is not None:
            self.tracker.close()


def build_analytics(engine: Engine, settings: JourneySettings | None = None) -> Analytics:
    """Analytics over ``engine``'s journey tables (``JOURNEYS_*`` settings)."""
    settings = settings or JourneySettings()
    consumer = JourneyConsumer(engine, settings.fallback_confidence)
    tracker = TrackerStoreSource(consumer, settings.tracker_db, settings.batch_size) \
        if settings.tracker_db else None
    return Analytics(settings, JourneyAnalytics(engine, settings.k_min, settings.repeat_contact_days),
                     consumer, Experiments(engine), tracker)
