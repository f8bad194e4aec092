"""Compliance review (``/v1/compliance``), the customer's consents and the ``/compliance`` page.

Reading and exporting transcripts and revealing originals need the compliance role; the
audit log and erasure, compliance or admin; retention, admin. Customers read and change
their own consents with their conversation's bearer token.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from privacy.entities import Entity
from recommender.models import ConsentPurpose
from service.api.deps import ConversationId, RecentlySignedInCustomer, SignedInCustomer
from service.api.routes.web import STATIC_DIR
from service.compliance import access
from service.compliance.consent import CHAT_CHANNELS
from service.compliance.export import MEDIA_TYPES, to_html, to_jsonl
from service.compliance.schemas import (
    CUSTOMER_ID_PATTERN,
    AuditEntryOut,
    ChainStatus,
    ConsentHistory,
    ConsentIn,
    ConsentState,
    ErasureIn,
    ErasureReport,
    ExportFormat,
    ExportRequest,
    RetentionIn,
    RetentionReport,
    RevealIn,
    RevealOut,
    ReviewTranscript,
    SearchFilters,
    SearchResult,
    StaffConsentIn,
)
from service.compliance.wiring import Compliance
from service.schemas import ErrorResponse
from service.staff.deps import require_role
from service.staff.schemas import StaffPublic

router = APIRouter(prefix="/v1/compliance", tags=["compliance"])
consent_router = APIRouter(prefix="/v1/conversations", tags=["consent"])
page_router = APIRouter(include_in_schema=False)

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (401, 403, 404, 409, 413, 422)
}


def get_compliance(request: Request) -> Compliance:
    return request.app.state.compliance


ComplianceDep = Annotated[Compliance, Depends(get_compliance)]
Reviewer = Annotated[StaffPublic, Depends(require_role(*access.REVIEWS))]
Revealer = Annotated[StaffPublic, Depends(require_role(*access.REVEALS))]
AuditReader = Annotated[StaffPublic, Depends(require_role(*access.READS_AUDIT))]
Eraser = Annotated[StaffPublic, Depends(require_role(*access.ERASES_CUSTOMERS))]
RetentionAdmin = Annotated[StaffPublic, Depends(require_role(*access.APPLIES_RETENTION))]
ConsentReader = Annotated[StaffPublic, Depends(require_role(*access.READS_CONSENT))]
ConsentRecorder = Annotated[StaffPublic, Depends(require_role(*access.RECORDS_CONSENT))]
CustomerId = Annotated[str, Path(min_length=1, max_length=40, pattern=CUSTOMER_ID_PATTERN)]
Format = Annotated[ExportFormat, Query(alias="format", description="jsonl or html")]


def _export_response(
    compliance: Compliance, conversation_ids: list[str], staff: StaffPublic, fmt: ExportFormat
) -> Response:
    now = datetime.now(UTC)
    transcripts = compliance.review.export(conversation_ids, access.actor_of(staff))
    body = to_jsonl(transcripts) if fmt == "jsonl" else to_html(transcripts, staff.username, now)
    name = f"transcripts-{now:%Y%m%dT%H%M%SZ}.{fmt}"
    return Response(
        body, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


# -- transcripts ---------------------------------------------------------------------------


@router.get("/entity-types", response_model=list[str], responses=ERRORS)
async def entity_types(staff: Reviewer) -> list[str]:
    """The kinds of personal data the privacy layer redacts (the placeholder stems)."""
    return [entity.value for entity in Entity]


@router.get("/transcripts", response_model=SearchResult, responses=ERRORS)
async def search_transcripts(
    filters: Annotated[SearchFilters, Query()], staff: Reviewer, compliance: ComplianceDep
) -> SearchResult:
    """Find transcripts by start date, customer, intent, escalation and entity type (audited)."""
    return await run_in_threadpool(compliance.review.search, filters, access.actor_of(staff))


@router.get("/transcripts/{conversation_id}", response_model=ReviewTranscript, responses=ERRORS)
async def read_transcript(
    conversation_id: ConversationId, staff: Reviewer, compliance: ComplianceDep
) -> ReviewTranscript:
    """The redacted transcript with each placeholder's span and type (audited as a view)."""
    return await run_in_threadpool(compliance.review.view, conversation_id, access.actor_of(staff))


@router.post("/transcripts/{conversation_id}/reveal", response_model=RevealOut, responses=ERRORS)
async def reveal(
    conversation_id: ConversationId, body: RevealIn, staff: Revealer, compliance: ComplianceDep
) -> RevealOut:
    """Decrypt one placeholder's original. Needs a stated reason; the reveal, who made it and
    why are written to the audit log."""
    return await run_in_threadpool(
        compliance.review.reveal, conversation_id, body.placeholder, access.actor_of(staff), body.reason
    )


@router.get(
    "/transcripts/{conversation_id}/export",
    responses={**ERRORS, 200: {"content": {"application/x-ndjson": {}, "text/html": {}}}},
)
async def export_transcript(
    conversation_id: ConversationId, fmt: Format, staff: Reviewer, compliance: ComplianceDep
) -> Response:
    """One redacted transcript as JSON Lines or a readable HTML page (audited)."""
    return await run_in_threadpool(_export_response, compliance, [conversation_id], staff, fmt)


@router.get("/export", responses={**ERRORS, 200: {"content": {"application/x-ndjson": {}, "text/html": {}}}})
async def export_search(
    request: Annotated[ExportRequest, Query()], staff: Reviewer, compliance: ComplianceDep
) -> Response:
    """Every transcript a search matches (``limit`` and ``offset`` ignored), as JSON Lines or
    HTML; 413 past ``COMPLIANCE_EXPORT_MAX_CONVERSATIONS``. Each transcript is audited."""
    ids = await run_in_threadpool(
        compliance.review.matching_ids, request, compliance.settings.export_max_conversations
    )
    return await run_in_threadpool(_export_response, compliance, ids, staff, request.format)


# -- the audit log -------------------------------------------------------------------------


@router.get("/audit", response_model=list[AuditEntryOut], responses=ERRORS)
async def audit_entries(
    staff: AuditReader,
    compliance: ComplianceDep,
    target: Annotated[
        str | None, Query(max_length=200, description="Target prefix, e.g. a conversation id.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditEntryOut]:
    """The latest audit entries (views, exports, reveals, erasures), oldest first."""
    return await run_in_threadpool(compliance.review.audit_entries, target, limit)


@router.get("/audit/verify", response_model=ChainStatus, responses=ERRORS)
async def verify_audit_chain(staff: AuditReader, compliance: ComplianceDep) -> ChainStatus:
    """Recompute the audit log's hash chain: ``valid`` false names the first broken entry."""
    return await run_in_threadpool(compliance.review.verify_chain)


# -- retention and erasure -----------------------------------------------------------------


@router.post("/retention", response_model=RetentionReport, responses=ERRORS)
async def apply_retention(
    request: Request, body: RetentionIn, staff: RetentionAdmin, compliance: ComplianceDep
) -> RetentionReport:
    """Delete conversations idle for more than ``days`` from the transcript store, the handoff
    records, the vault and Rasa's tracker store (``dry_run`` only counts)."""

    def apply() -> RetentionReport:
        with request.app.state.analytics.paused():  # no journey ingested back meanwhile
            return compliance.eraser.apply_retention(body.days, access.actor_of(staff), body.dry_run)

    return await run_in_threadpool(apply)


@router.post("/customers/{customer_id}/erase", response_model=ErasureReport, responses=ERRORS)
async def erase_customer(
    request: Request, customer_id: CustomerId, body: ErasureIn, staff: Eraser, compliance: ComplianceDep
) -> ErasureReport:
    """The right to be forgotten: every conversation of the customer in every store, and the
    data derived from them for recommendations. The report lists what is kept and why."""
    reason = await run_in_threadpool(compliance.redact_text, body.reason.strip())

    def erase() -> ErasureReport:
        with request.app.state.analytics.paused():  # no journey ingested back meanwhile
            return compliance.eraser.erase_customer(customer_id, access.actor_of(staff), reason)

    return await run_in_threadpool(erase)


# -- consent -------------------------------------------------------------------------------


@router.get("/customers/{customer_id}/consents", response_model=ConsentHistory, responses=ERRORS)
async def consent_history(
    customer_id: CustomerId, staff: ConsentReader, compliance: ComplianceDep
) -> ConsentHistory:
    """Every consent answer of a customer (purpose, time, channel) and those in force."""
    return await run_in_threadpool(compliance.consents.history, customer_id)


@router.post(
    "/customers/{customer_id}/consents", response_model=ConsentState, status_code=201, responses=ERRORS
)
async def record_consent(
    customer_id: CustomerId, body: StaffConsentIn, staff: ConsentRecorder, compliance: ComplianceDep
) -> ConsentState:
    """Record an answer the customer gave in a branch or on the phone."""
    return await run_in_threadpool(
        compliance.consents.record, customer_id, body.purpose, body.granted, body.channel
    )


@consent_router.get("/{conversation_id}/consents", response_model=list[ConsentState], responses=ERRORS)
async def my_consents(caller: SignedInCustomer, compliance: ComplianceDep) -> list[ConsentState]:
    """What the conversation's customer has agreed to, per purpose (signed in only)."""
    return await run_in_threadpool(compliance.consents.current, caller.customer_id)


@consent_router.put("/{conversation_id}/consents/{purpose}", response_model=ConsentState, responses=ERRORS)
async def give_or_withdraw_consent(
    purpose: ConsentPurpose, body: ConsentIn, caller: RecentlySignedInCustomer,
    compliance: ComplianceDep,
) -> ConsentState:
    """Give or withdraw consent for a purpose, through this conversation's channel; needs a
    recent sign-in (403 ``step_up_required`` otherwise). Without profiling consent the
    recommender answers from the stated goal alone."""
    return await run_in_threadpool(
        compliance.consents.record,
        caller.customer_id,
        purpose,
        body.granted,
        CHAT_CHANNELS[caller.conversation.channel],
    )


@page_router.get("/compliance")
async def compliance_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "compliance.html")
