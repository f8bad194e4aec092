"""Gauges of the handoff queue and the colleagues, read at scrape time from the supervisor
overview and served on the service's ``/metrics`` (``app.state.scrape_collectors``, so one
worker's scrape gives them whether or not the workers share a multiprocess registry).

Labels are closed sets: the policy's skills and the colleagues' statuses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from service.handoff.overview import SupervisorOverview

log = logging.getLogger(__name__)
OverviewSource = Callable[[], SupervisorOverview]


class HandoffQueueCollector(Collector):
    """Queued handoffs, oldest and breached waits per skill, and colleagues per status."""

    def __init__(self, source: OverviewSource | None = None) -> None:
        self.source = source

    def describe(self) -> Iterator[GaugeMetricFamily]:
        return iter(())

    def collect(self) -> Iterator[GaugeMetricFamily]:
        if self.source is None:
            return
        try:
            overview = self.source()
        except Exception:  # noqa: BLE001 - a scrape never fails for the handoff gauges
            log.warning("no handoff queue gauges this scrape", exc_info=True)
            return
        yield from gauges(overview)


def gauges(overview: SupervisorOverview) -> Iterator[GaugeMetricFamily]:
    """The gauge families of one overview."""
    queued = GaugeMetricFamily("handoff_queued", "Handoffs waiting for a colleague, by skill.",
                               labels=["skill"])
    oldest = GaugeMetricFamily("handoff_oldest_wait_seconds",
                               "Seconds the longest-waiting queued handoff has waited, by skill.",
                               labels=["skill"])
    breached = GaugeMetricFamily("handoff_breached_waits",
                                 "Queued handoffs waiting past breach_after_s for their priority, by skill.",
                                 labels=["skill"])
    for skill in overview.skills:
        queued.add_metric([skill.skill], skill.queued)
        oldest.add_metric([skill.skill], skill.oldest_wait_s)
        breached.add_metric([skill.skill], skill.breached)
    colleagues = GaugeMetricFamily("handoff_colleagues",
                                   "Colleagues who take conversations, by status.", labels=["status"])
    for status, count in overview.status_counts.items():
        colleagues.add_metric([status.value], count)
    yield from (queued, oldest, breached, colleagues)
