"""The analytics parts the API holds: reader, consumer, tracker polling and experiments."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from journeys.consumer import IngestReport, JourneyConsumer
from journeys.experiments import Experiments
from journeys.leader import Leadership
from journeys.live_segments import Refresh, SegmentReport, SegmentWatcher
from journeys.metrics import JourneyAnalytics
from journeys.settings import JourneySettings
from journeys.sources import HandoffSource, TrackerStoreSource

log = logging.getLogger(__name__)


@dataclass
class Analytics:
    """What ``app.state.analytics`` holds."""

    settings: JourneySettings
    reader: JourneyAnalytics
    consumer: JourneyConsumer
    experiments: Experiments
    tracker: TrackerStoreSource | None = None
    handoffs: HandoffSource | None = None
    segments: SegmentWatcher | None = None
    leader: Leadership | None = None  # None: this process always runs the loops
    _tasks: list[asyncio.Task[None]] = field(default_factory=list, repr=False)
    _polling: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def poll_once(self) -> IngestReport:
        """Ingest what Rasa's tracker store (when configured) and the service's handoffs have
        written since the last poll (one poll at a time: the loop and ``POST /ingest``)."""
        with self._polling:
            report = self.tracker.poll() if self.tracker else IngestReport()
            if self.handoffs is not None:
                report.add(self.handoffs.poll())
            return report

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Hold this process's ingest (erasure, retention): nothing read before the block is
        written after it."""
        with self._polling:
            yield

    def refresh_segments(self) -> SegmentReport:
        """Re-profile the customers whose data changed since the last call (live segments)."""
        return self.segments.poll() if self.segments else SegmentReport()

    def start(self) -> None:
        """Poll the event sources, and watch the profiles, in the background (two loops, so a
        slow first re-profiling, which loads the recommender, never holds journeys back); with
        several workers, only the leader's loops work."""
        self._tasks.append(asyncio.create_task(self._forever(self.poll_once, self.settings.poll_interval_s)))
        if self.segments is not None:
            self._tasks.append(asyncio.create_task(
                self._forever(self.refresh_segments, self.settings.segment_poll_interval_s)))

    def _leads(self) -> bool:
        return self.leader is None or self.leader.leads()

    async def _forever(self, work: Callable[[], object], interval_s: float) -> None:
        while True:
            try:
                if await run_in_threadpool(self._leads):
                    await run_in_threadpool(work)
            except Exception:  # noqa: BLE001 - the loop must survive any one failure
                log.exception("journey analytics background work failed")
            await asyncio.sleep(interval_s)

    async def aclose(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.tracker is not None:
            self.tracker.close()
        if self.leader is not None:
            self.leader.release()


def build_analytics(engine: Engine, settings: JourneySettings | None = None,
                    refresh: Refresh | None = None) -> Analytics:
    """Analytics over ``engine``'s journey tables (``JOURNEYS_*`` settings); with ``refresh``
    (the recommender's re-profiling), live segments too."""
    settings = settings or JourneySettings()
    consumer = JourneyConsumer(engine, settings.fallback_confidence)
    tracker = TrackerStoreSource(consumer, settings.tracker_db, settings.batch_size) \
        if settings.tracker_db else None
    return Analytics(settings, JourneyAnalytics(engine, settings.k_min, settings.repeat_contact_days),
                     consumer, Experiments(engine, k=settings.k_min), tracker,
                     HandoffSource(consumer, settings.batch_size),
                     SegmentWatcher(engine, refresh) if refresh and settings.live_segments else None,
                     Leadership(engine))
