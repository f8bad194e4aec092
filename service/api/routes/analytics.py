"""Journey analytics (``/v1/analytics``) and the ``/analytics`` dashboard page.

Analysts (and admins) see aggregates only: every group under k journeys is suppressed, and a
filter that selects such a group is refused with 403 ``group_below_k``.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from journeys.filters import Filters
from journeys.friction import control_chart, find_friction
from journeys.wiring import Analytics
from service.api.routes.web import STATIC_DIR
from service.schemas import ErrorResponse
from service.staff.deps import require_role
from service.staff.roles import READS_ANALYTICS
from service.staff.schemas import StaffPublic

router = APIRouter(prefix="/v1/analytics", tags=["analytics"])
page_router = APIRouter(include_in_schema=False)
ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (401, 403, 404, 422)}
NAME = r"^[A-Za-z0-9_\- ]{1,60}$"


class FilterQuery(BaseModel):
    """Dashboard filters: start day range (inclusive), channel and segment."""

    date_from: date | None = None
    date_to: date | None = None
    channel: Literal["web", "app"] | None = None
    segment: str | None = Field(default=None, max_length=60, pattern=NAME)

    def filters(self) -> Filters:
        return Filters(self.date_from, self.date_to, self.channel, self.segment)


class ExperimentIn(BaseModel):
    name: str = Field(max_length=60, pattern=NAME)
    kind: Literal["ab", "bandit"]
    arms: list[str] = Field(max_length=20)


def get_analytics(request: Request) -> Analytics:
    return request.app.state.analytics


AnalyticsDep = Annotated[Analytics, Depends(get_analytics)]
Analyst = Annotated[StaffPublic, Depends(require_role(*READS_ANALYTICS))]
FilterDep = Annotated[FilterQuery, Query()]
Metric = Literal["escalation_rate", "fallback_rate", "abandonment_rate"]


@router.get("/overview", responses=ERRORS)
async def overview(query: FilterDep, staff: Analyst, analytics: AnalyticsDep) -> dict[str, Any]:
    """Containment, escalations by reason, the goal-form funnel, fallbacks per intent, time to
    resolution, sentiment, recommendation acceptance, repeat contact, and payments and card
    repayments started, warned, stopped and completed (``payments``)."""
    return await run_in_threadpool(analytics.reader.overview, query.filters())


@router.get("/breakdown", responses=ERRORS)
async def breakdown(
    query: FilterDep, staff: Analyst, analytics: AnalyticsDep,
    by: Annotated[Literal["segment", "channel", "day"], Query()] = "segment",
) -> list[dict[str, Any]]:
    """Figures per segment, channel or day (trends); groups under k suppressed."""
    return await run_in_threadpool(analytics.reader.breakdown, query.filters(), by)


@router.get("/paths", responses=ERRORS)
async def paths(query: FilterDep, staff: Analyst, analytics: AnalyticsDep) -> dict[str, Any]:
    """Flows between consecutive steps and the most common paths."""
    return await run_in_threadpool(analytics.reader.paths, query.filters())


@router.get("/friction", responses=ERRORS)
async def friction(query: FilterDep, staff: Analyst, analytics: AnalyticsDep) -> list[dict[str, Any]]:
    """Steps with unusual drop-off, rephrasing loops or negative sentiment, ranked."""
    return await run_in_threadpool(find_friction, analytics.reader, query.filters())


@router.get("/alerts", responses=ERRORS)
async def alerts(
    query: FilterDep, staff: Analyst, analytics: AnalyticsDep,
    metric: Annotated[Metric, Query()] = "escalation_rate",
    baseline_days: Annotated[int, Query(ge=1, le=90)] = 7,
) -> dict[str, Any]:
    """A control chart of a daily rate, with the days outside its limits."""
    def chart() -> dict[str, Any]:
        filters = query.filters()
        with analytics.reader.engine.connect() as connection:
            analytics.reader.check_group(connection, filters)
        series = [d for d in analytics.reader.daily_series(filters) if d["journeys"] >= analytics.reader.k]
        return control_chart(series, metric, baseline_days)
    return await run_in_threadpool(chart)


@router.get("/drift", responses=ERRORS)
async def drift(query: FilterDep, staff: Analyst, analytics: AnalyticsDep) -> dict[str, Any]:
    """Segment drift (live segments): changes per day, moves between segments, customers per
    segment now; groups under k suppressed. The date range and segment filters apply."""
    return await run_in_threadpool(analytics.reader.drift, query.filters())


@router.get("/segments", responses=ERRORS)
async def segments(staff: Analyst, analytics: AnalyticsDep) -> list[str]:
    """Segments with at least k journeys (the filter menu)."""
    return await run_in_threadpool(analytics.reader.segments)


@router.get("/ingest", responses=ERRORS)
async def ingest_status(staff: Analyst, analytics: AnalyticsDep) -> dict[str, Any]:
    """Each event source's cursor and counts (received, inserted, duplicates, malformed, ...)."""
    def status() -> dict[str, Any]:
        from sqlalchemy import select

        from journeys.models import IngestState
        with analytics.reader.engine.connect() as connection:
            rows = connection.execute(select(IngestState.source, IngestState.counts)).all()
        return {"sources": [{"source": s.split(":", 1)[0], "counts": c} for s, c in rows]}
    return await run_in_threadpool(status)


@router.post("/ingest", responses=ERRORS)
async def ingest_now(staff: Analyst, analytics: AnalyticsDep) -> dict[str, Any]:
    """Read Rasa's tracker store now (the background poll does it every second)."""
    report = await run_in_threadpool(analytics.poll_once)
    return report.as_dict()


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    columns = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.DictWriter(buffer, fieldnames=columns or ["empty"])
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@router.get("/export", responses={**ERRORS, 200: {"content": {"text/csv": {}, "application/json": {}}}})
async def export(
    query: FilterDep, staff: Analyst, analytics: AnalyticsDep,
    fmt: Annotated[Literal["csv", "json"], Query(alias="format")] = "json",
    table: Annotated[Literal["overview", "segment", "channel", "day", "funnel", "recommendations",
                             "payments"], Query()] = "overview",
) -> Response:
    """The dashboard's figures as CSV or JSON (aggregates only, groups under k suppressed)."""
    filters = query.filters()

    def rows() -> Any:
        if table in ("segment", "channel", "day"):
            return analytics.reader.breakdown(filters, table)
        data = analytics.reader.overview(filters)
        if table == "funnel":
            return data.get("funnel", {}).get("steps", [])
        if table == "recommendations":
            return data.get("recommendations", [])
        if table == "payments":
            return [{"flow": flow, **runs} for flow, runs in data.get("payments", {}).items()]
        return data

    data = await run_in_threadpool(rows)
    name = f"journeys-{table}.{fmt}"
    if fmt == "json":
        body, media = json.dumps(data, indent=2), "application/json"
    else:
        flat = data if isinstance(data, list) else [
            {k: v for k, v in data.items() if not isinstance(v, list | dict)}]
        body, media = _csv(flat), "text/csv"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/experiments", status_code=201, responses=ERRORS)
async def create_experiment(body: ExperimentIn, staff: Analyst, analytics: AnalyticsDep) -> dict[str, Any]:
    """Start an A/B test or a bandit over at least two arms."""
    return await run_in_threadpool(analytics.experiments.create, body.name, body.kind, body.arms)


@router.get("/experiments", responses=ERRORS)
async def list_experiments(staff: Analyst, analytics: AnalyticsDep) -> list[dict[str, Any]]:
    """Every experiment's results, newest first (arms under k suppressed)."""
    return await run_in_threadpool(analytics.experiments.all_results)


@router.get("/experiments/{name}", responses=ERRORS)
async def experiment_results(name: str, staff: Analyst, analytics: AnalyticsDep) -> dict[str, Any]:
    """Per arm: traffic, reward with a 95% credible interval, harm rates, P(best), guardrail stops."""
    return await run_in_threadpool(analytics.experiments.results, name)


@page_router.get("/analytics")
async def analytics_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "analytics.html")
