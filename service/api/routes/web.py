"""The customer's web chat page, and what it needs to know to sign customers in."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from identity.settings import IdentitySettings

STATIC_DIR = Path(__file__).resolve().parents[2] / "web" / "static"

router = APIRouter(include_in_schema=False)


@router.get("/")
async def chat_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html")


@router.get("/web/config")
async def web_config(request: Request) -> dict[str, str]:
    """The provider the page signs customers in with, and its public client id (no secrets)."""
    settings: IdentitySettings = request.app.state.conversations.identity.settings
    return {"issuer": settings.issuer, "client_id": settings.web_client_id}
