"""Recommendations for the app and for agents: the top products for a goal, with reasons,
and the customer's answer to one of them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from bank.errors import InvalidGoal, UnknownCustomer
from recommender.errors import InvalidFeedback, RecommenderError, UnknownRecommendation
from service.api.deps import TranscriptsDep
from service.errors import Forbidden, InvalidMessage, NotFound, ServiceError, Unauthorized
from service.schemas import ErrorResponse
from service.staff.deps import StaffCredentials, StaffStoreDep
from service.staff.roles import Role

router = APIRouter(prefix="/v1/customers", tags=["recommendations"])
CustomerId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_\-]+$")]
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (401, 403, 404, 422)
}
STAFF_ROLES = {Role.AGENT, Role.ADMIN}


async def authorized_customer(
    customer_id: CustomerId,
    transcripts: TranscriptsDep,
    staff: StaffStoreDep,
    credentials: StaffCredentials,
) -> str:
    """The customer id, if the caller is that customer (a token of one of their
    conversations) or an agent or admin; 401 without a token, 403 for anyone else."""
    token = credentials.credentials if credentials else None
    if not token:
        raise Unauthorized("A bearer token is required.")
    owner = await run_in_threadpool(transcripts.customer_for_token, token)
    if owner is not None:
        if owner != customer_id:
            raise Forbidden("This token belongs to another customer.")
        return customer_id
    try:
        colleague = await run_in_threadpool(staff.authenticate, token)
    except ServiceError as exc:
        raise Unauthorized("The token is not valid.") from exc
    if colleague.role not in STAFF_ROLES:
        raise Forbidden("Only the customer, an agent or an admin may see recommendations.")
    return customer_id


AuthorizedCustomer = Annotated[str, Depends(authorized_customer)]


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: Literal["accepted", "declined", "more_info", "interested", "not_for_me", "tell_me_more"]


class GoalQuery(BaseModel):
    """A goal given in the query; without one, the customer's latest saved goal is used."""

    goal_type: Literal["save", "borrow", "invest", "protect"] | None = None
    target_amount: float | None = Field(default=None, gt=0)
    horizon_months: int | None = Field(default=None, gt=0, le=600)
    risk_tolerance: Literal["low", "medium", "high"] | None = None
    monthly_budget: float | None = Field(default=None, ge=0)


def _recommend(request: Request, customer_id: str, goal: GoalQuery, k: int) -> dict[str, Any]:
    recommender = request.app.state.recommender.get()
    fields = goal.model_dump(exclude_none=True)
    if not fields:
        from bank.store import ProfileStore

        try:
            saved = ProfileStore(request.app.state.sessions).goals(customer_id)
        except UnknownCustomer as exc:  # an unknown customer is a 404, not a server error
            raise NotFound("No such customer.", customer_id=customer_id) from exc
        if not saved:
            raise NotFound("This customer has no saved goal: give one in the query.")
        latest = saved[0]  # newest first
        fields = {"goal_type": latest.goal_type, "target_amount": latest.target_amount,
                  "horizon_months": latest.horizon_months,
                  "risk_tolerance": latest.risk_tolerance, "monthly_budget": latest.monthly_budget}
    elif len(fields) < 5:
        raise InvalidMessage("Give all five goal fields, or none to use the saved goal.",
                             missing=sorted(set(GoalQuery.model_fields) - set(fields)))
    try:
        return recommender.recommend(customer_id, fields, k=k).to_dict()
    except UnknownCustomer as exc:
        raise NotFound("No such customer.", customer_id=customer_id) from exc
    except (InvalidGoal, RecommenderError) as exc:
        raise InvalidMessage(str(exc)) from exc


@router.get("/{customer_id}/recommendations", responses=ERRORS)
async def recommendations(
    request: Request,
    customer_id: AuthorizedCustomer,
    goal: Annotated[GoalQuery, Query()],
    k: Annotated[int, Query(ge=1, le=10)] = 3,
) -> dict[str, Any]:
    """The top-k products for the customer's goal, each with reasons in plain words.

    Without profiling consent the answer is not personalised and says so."""
    return await run_in_threadpool(_recommend, request, customer_id, goal, k)


@router.post("/{customer_id}/recommendations/{rec_id}/feedback", responses=ERRORS)
async def feedback(
    request: Request,
    customer_id: AuthorizedCustomer,
    rec_id: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")],
    body: FeedbackIn,
) -> dict[str, Any]:
    """Record the customer's answer; it changes their later rankings."""

    def record() -> dict[str, Any]:
        recommender = request.app.state.recommender.get()
        try:
            receipt = recommender.record_feedback(customer_id, rec_id, body.outcome)
        except UnknownRecommendation as exc:
            raise NotFound("No such recommendation for this customer.", rec_id=rec_id) from exc
        except UnknownCustomer as exc:
            raise NotFound("No such customer.", customer_id=customer_id) from exc
        except InvalidFeedback as exc:
            raise InvalidMessage(str(exc)) from exc
        return asdict(receipt)

    return await run_in_threadpool(record)
