"""Staff sign-in: through the bank's identity provider, or with a password (local and test
only), both throttled; who am I; log out."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, status
from starlette.concurrency import run_in_threadpool

from service.ratelimit import client_address
from service.schemas import ErrorResponse
from service.staff.deps import CurrentStaff, StaffCredentials, StaffSignInDep, StaffStoreDep
from service.staff.schemas import StaffLogin, StaffProviderLogin, StaffPublic, StaffSessionCreated

router = APIRouter(prefix="/v1/staff", tags=["staff"])

ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (401, 422)}
SIGN_IN_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (401, 403, 409, 422, 429, 503)
}


@router.post("/login", response_model=StaffSessionCreated, responses=SIGN_IN_ERRORS)
async def login(body: StaffLogin, request: Request, sign_in: StaffSignInDep) -> StaffSessionCreated:
    """Sign in with username and password (local and test environments only: 403
    ``password_sign_in_disabled`` elsewhere); returns a bearer token for the staff API. Repeated
    failures for a username or from an address answer 429 for a while, whatever the password."""
    return await run_in_threadpool(sign_in.with_password, body.username, body.password,
                                   client_address(request))


@router.post("/login/oidc", response_model=StaffSessionCreated, responses=SIGN_IN_ERRORS)
async def login_with_provider(body: StaffProviderLogin, request: Request,
                              sign_in: StaffSignInDep) -> StaffSessionCreated:
    """Sign in with an access token of the bank's identity provider (the staff audience); the
    role comes from the token's groups. Returns a bearer token for the staff API."""
    return await run_in_threadpool(sign_in.with_provider, body.access_token, client_address(request))


@router.get("/me", response_model=StaffPublic, responses=ERRORS)
async def me(staff: CurrentStaff) -> StaffPublic:
    """The signed-in colleague and their role."""
    return staff


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS)
async def logout(staff: CurrentStaff, store: StaffStoreDep, credentials: StaffCredentials) -> None:
    """End this session: its token stops working at once; its console sockets refuse their
    next message and close within ``SERVICE_STAFF_SOCKET_RECHECK_S``."""
    assert credentials is not None  # current_staff has checked it
    await run_in_threadpool(store.logout, credentials.credentials)
