"""Shortcuts for route signatures: the conversation service and the caller's conversation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from service.conversations import ConversationService
from service.customer_identity import CustomerIdentity
from service.models import Conversation
from service.transcripts import TranscriptStore

bearer = HTTPBearer(auto_error=False, description="The token returned when the conversation started.")


# HTTPConnection (not Request) so that WebSocket routes can use these too.
def get_conversations(request: HTTPConnection) -> ConversationService:
    return request.app.state.conversations


def get_transcripts(request: HTTPConnection) -> TranscriptStore:
    return request.app.state.transcripts


ConversationsDep = Annotated[ConversationService, Depends(get_conversations)]
TranscriptsDep = Annotated[TranscriptStore, Depends(get_transcripts)]
ConversationId = Annotated[
    str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_\-]+$")
]


async def authorized_conversation(
    conversation_id: ConversationId,
    transcripts: TranscriptsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Conversation:
    token = credentials.credentials if credentials else None
    return await run_in_threadpool(transcripts.authorize, conversation_id, token)


CurrentConversation = Annotated[Conversation, Depends(authorized_conversation)]


def get_identity(request: HTTPConnection) -> CustomerIdentity:
    return request.app.state.conversations.identity


IdentityDep = Annotated[CustomerIdentity, Depends(get_identity)]


@dataclass(frozen=True)
class SignedInCaller:
    """A conversation with a signed-in customer, and that customer."""

    conversation: Conversation
    customer_id: str


async def signed_in_caller(conversation: CurrentConversation, identity: IdentityDep) -> SignedInCaller:
    """The caller's conversation, if a customer is signed in to it (403 ``sign_in_required``)."""
    return SignedInCaller(conversation, identity.require_signed_in(conversation))


async def recently_signed_in_caller(
    conversation: CurrentConversation, identity: IdentityDep
) -> SignedInCaller:
    """The caller's conversation, if its customer signed in recently enough for a sensitive
    change (403 ``step_up_required`` with the ``max_age`` and ``acr_values`` to ask for)."""
    return SignedInCaller(conversation, identity.require_recent(conversation))


SignedInCustomer = Annotated[SignedInCaller, Depends(signed_in_caller)]
RecentlySignedInCustomer = Annotated[SignedInCaller, Depends(recently_signed_in_caller)]
