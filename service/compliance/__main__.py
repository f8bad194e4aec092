"""Compliance jobs from the command line (the same operations as the admin API).

    python -m service.compliance retention --days 365 [--dry-run]
    python -m service.compliance erase --customer cus_001 --reason "erasure request 2026-114"
    python -m service.compliance verify-audit

The database is ``DATABASE_URL``, Rasa's tracker store ``RASA_TRACKER_DB`` and the vault key
``PRIVACY_VAULT_KEY`` (which keys the audit chain too), as for the service. Each prints a
JSON report; ``verify-audit`` exits with status 1 when the audit chain is broken.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy.orm import sessionmaker

from privacy import PrivacySettings
from privacy.keys import KeyRing
from service.compliance.errors import AuditUnavailable
from service.compliance.schemas import MIN_REASON_CHARS
from service.compliance.wiring import Compliance, build_compliance
from service.settings import get_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m service.compliance",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    retention = commands.add_parser("retention", help="delete conversations idle for more than N days")
    retention.add_argument("--days", type=int, required=True)
    retention.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    erase = commands.add_parser("erase", help="erase one customer's chat data (right to be forgotten)")
    erase.add_argument("--customer", required=True)
    erase.add_argument("--reason", required=True, help="the request reference (audited)")
    commands.add_parser("verify-audit", help="recompute the audit log's hash chain")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "retention" and args.days < 1:
        raise SystemExit("service.compliance: --days must be at least 1")
    if args.command == "erase" and len(args.reason.strip()) < MIN_REASON_CHARS:
        raise SystemExit(f"service.compliance: --reason needs at least {MIN_REASON_CHARS} characters")
    from database.engine import get_engine

    engine = get_engine(get_settings().database_url)
    compliance = build_compliance(
        sessionmaker(engine, expire_on_commit=False), KeyRing.from_settings(PrivacySettings())
    )
    actor = f"cli:{getpass.getuser()}"
    try:
        return _run(args, compliance, actor)
    except AuditUnavailable as exc:
        raise SystemExit(f"service.compliance: {exc.message} The audit key comes from "
                         "PRIVACY_VAULT_KEY: is it the service's?") from exc
    finally:
        compliance.close()
        engine.dispose()


def _run(args: argparse.Namespace, compliance: Compliance, actor: str) -> int:
    if args.command == "retention":
        report = compliance.eraser.apply_retention(args.days, actor, dry_run=args.dry_run)
        print(report.model_dump_json(indent=2))
    elif args.command == "erase":
        reason = compliance.redact_text(args.reason.strip())
        print(compliance.eraser.erase_customer(args.customer, actor, reason).model_dump_json(indent=2))
    else:
        status = compliance.review.verify_chain()
        print(status.model_dump_json(indent=2))
        return 0 if status.valid else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
