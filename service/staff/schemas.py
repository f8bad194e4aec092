"""Request and response bodies of the staff API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from service.staff.availability import Availability
from service.staff.roles import Role


class StaffLogin(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=40)
    password: str = Field(min_length=1, max_length=200)


class StaffProviderLogin(BaseModel):
    model_config = ConfigDict(extra="forbid")

    access_token: str = Field(min_length=1, max_length=8192,
                              description="The colleague's access token from the bank's identity provider.")


class StaffPublic(BaseModel):
    """A colleague as other colleagues see them."""

    id: int
    username: str
    display_name: str
    role: Role


class StaffSessionCreated(BaseModel):
    token: str = Field(description="Bearer token for the staff API and the agent WebSocket.")
    expires_at: datetime
    staff: StaffPublic


class AvailabilityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Availability = Field(description="available, busy or away; only available colleagues "
                                             "are offered new conversations.")


class RoutingProfile(BaseModel):
    """What routing knows of a colleague: skills, concurrent-chat limit and status."""

    staff: StaffPublic
    skills: list[str]
    max_chats: int
    availability: Availability
