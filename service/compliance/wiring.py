"""Builds the compliance services for the app's lifespan and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.orm import Session, sessionmaker

from privacy import PrivacySettings, RedactionContext, build_redactor
from privacy.keys import KeyRing
from privacy.redactor import Redactor
from service.compliance.audit_writer import AuditedTransactions
from service.compliance.consent import ConsentBook
from service.compliance.erasure import DataEraser
from service.compliance.review import ComplianceReview, RedactText
from service.compliance.settings import ComplianceSettings
from service.compliance.tracker_store import RasaTrackerStore


@dataclass
class Compliance:
    """Everything ``/v1/compliance`` uses; one per app, on ``app.state.compliance``."""

    review: ComplianceReview
    eraser: DataEraser
    consents: ConsentBook
    settings: ComplianceSettings
    redact_text: RedactText
    tracker: RasaTrackerStore | None
    audited: AuditedTransactions

    def close(self) -> None:
        if self.tracker is not None:
            self.tracker.dispose()


def free_text_redactor(keys: KeyRing, settings: PrivacySettings | None = None) -> RedactText:
    """Redacts text typed by staff (reasons) with the same analyzer as the chat, vaulting
    nothing. The analyzer is built on first use (the app has built it already)."""

    @lru_cache(maxsize=1)
    def redactor() -> Redactor:
        return build_redactor(settings or PrivacySettings(), keys)

    return lambda text: redactor().redact(text, RedactionContext()).text


def build_compliance(
    sessions: sessionmaker[Session],
    keys: KeyRing,
    settings: ComplianceSettings | None = None,
    redact_text: RedactText | None = None,
) -> Compliance:
    """The compliance services on the service database and Rasa's tracker store.

    Args:
        sessions: sessions on the service database (transcripts, vault, audit, consents).
        keys: the key ring the service redacts with (so reveals decrypt).
        settings: defaults to ``ComplianceSettings()`` (environment).
        redact_text: defaults to :func:`free_text_redactor`.
    """
    settings = settings or ComplianceSettings()
    tracker = RasaTrackerStore.from_location(settings.tracker_db) if settings.tracker_db else None
    audited = AuditedTransactions(sessions)
    redact_text = redact_text or free_text_redactor(keys)
    return Compliance(
        review=ComplianceReview(audited, keys, tracker, redact_text),
        eraser=DataEraser(audited, keys, tracker),
        consents=ConsentBook(sessions),
        settings=settings,
        redact_text=redact_text,
        tracker=tracker,
        audited=audited,
    )
