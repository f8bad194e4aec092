"""Staff sign-in: log in, who am I, log out."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from starlette.concurrency import run_in_threadpool

from service.schemas import ErrorResponse
from service.staff.deps import CurrentStaff, StaffCredentials, StaffStoreDep
from service.staff.schemas import StaffLogin, StaffPublic, StaffSessionCreated

router = APIRouter(prefix="/v1/staff", tags=["staff"])

ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (401, 422)}


@router.post("/login", response_model=StaffSessionCreated, responses=ERRORS)
async def login(body: StaffLogin, store: StaffStoreDep) -> StaffSessionCreated:
    """Sign in with username and password; returns a bearer token for the staff API."""
    return await run_in_threadpool(store.login, body.username, body.password)


@router.get("/me", response_model=StaffPublic, responses=ERRORS)
async def me(staff: CurrentStaff) -> StaffPublic:
    """The signed-in colleague and their role."""
    return staff


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS)
async def logout(staff: CurrentStaff, store: StaffStoreDep, credentials: StaffCredentials) -> None:
    """End this session: its token stops working at once."""
    assert credentials is not None  # current_staff has checked it
    await run_in_threadpool(store.logout, credentials.credentials)
