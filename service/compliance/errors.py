"""Compliance errors; each is a :class:`service.errors.ServiceError`, so the API renders it.

Messages name ids and placeholders, never the personal data behind them.
"""

from __future__ import annotations

from service.errors import ServiceError


class ComplianceError(ServiceError):
    """Base of every compliance error."""


class RevealRefused(ComplianceError):
    """No usable reason, or nothing stored under that placeholder in that conversation."""

    status_code = 422
    code = "reveal_refused"


class TrackerStoreMissing(ComplianceError):
    """Intent search needs Rasa's SQL tracker store (``RASA_TRACKER_DB``)."""

    status_code = 409
    code = "tracker_store_missing"


class ExportTooLarge(ComplianceError):
    """More conversations match than one export may hold."""

    status_code = 413
    code = "export_too_large"


class VaultUnreadable(ComplianceError):
    """A vaulted original does not decrypt with the configured key (wrong or rotated key)."""

    status_code = 500
    code = "vault_unreadable"


class AuditUnavailable(ComplianceError):
    """The audit chain does not match its seal: audited actions wait until it is checked."""

    status_code = 503
    code = "audit_chain_broken"
