"""Shortcuts for route signatures: the conversation service and the caller's conversation."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from service.conversations import ConversationService
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
