"""Route dependencies: the signed-in colleague and role checks.

Use ``CurrentStaff`` for any colleague, or ``Depends(require_role(Role.AGENT, ...))`` to admit
only some roles (403 ``role_required`` for the others)::

    @router.get("/reviews")
    async def reviews(staff: Annotated[StaffPublic, Depends(require_role(Role.COMPLIANCE))]): ...
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from service.staff.errors import RoleRequired
from service.staff.roles import Role
from service.staff.schemas import StaffPublic
from service.staff.sign_in import StaffSignIn
from service.staff.store import StaffStore

staff_bearer = HTTPBearer(
    auto_error=False, scheme_name="StaffBearer", description="The token returned by POST /v1/staff/login."
)


def get_staff_store(request: Request) -> StaffStore:
    return request.app.state.staff


def get_staff_sign_in(request: Request) -> StaffSignIn:
    return request.app.state.staff_sign_in


StaffStoreDep = Annotated[StaffStore, Depends(get_staff_store)]
StaffSignInDep = Annotated[StaffSignIn, Depends(get_staff_sign_in)]
StaffCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(staff_bearer)]


async def current_staff(store: StaffStoreDep, credentials: StaffCredentials) -> StaffPublic:
    """The colleague signed in with the request's bearer token (401 otherwise)."""
    token = credentials.credentials if credentials else None
    return await run_in_threadpool(store.authenticate, token)


CurrentStaff = Annotated[StaffPublic, Depends(current_staff)]


def check_role(staff: StaffPublic, roles: tuple[Role, ...]) -> StaffPublic:
    """``staff`` if they hold one of ``roles``; ``RoleRequired`` (403) if not."""
    if staff.role not in roles:
        raise RoleRequired(
            f"This needs one of the roles: {', '.join(r.value for r in roles)}.",
            role=staff.role.value,
            required=[r.value for r in roles],
        )
    return staff


def require_role(*roles: Role) -> Callable[..., Awaitable[StaffPublic]]:
    """A dependency admitting signed-in colleagues with one of ``roles``."""

    async def dependency(staff: CurrentStaff) -> StaffPublic:
        return check_role(staff, roles)

    return dependency
