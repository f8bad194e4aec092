"""The audit chain behind the compliance API is keyed and its head sealed: entries cut off its
end are reported by /audit/verify and by ``verify-audit``, and no audited action runs on a cut
chain (503 ``audit_chain_broken``) until it is whole again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, insert, select

from privacy.keys import new_key
from privacy.models import AuditEntry
from stack.processes import ROOT
from tests.service.compliance.conftest import VAULT_KEY


def search(client: TestClient, headers: dict[str, str]) -> Any:
    return client.get("/v1/compliance/transcripts", params={"customer_id": "cus_004"}, headers=headers)


def verify_cli(database_url: str, vault_key: str = VAULT_KEY) -> tuple[int, dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, "-m", "service.compliance", "verify-audit"], cwd=ROOT, capture_output=True,
        text=True, timeout=300,
        env={**os.environ, "DATABASE_URL": database_url, "PRIVACY_VAULT_KEY": vault_key},
    )
    return result.returncode, json.loads(result.stdout)


def test_entries_cut_off_the_end_are_found_and_stop_audited_actions(
    app: FastAPI, client: TestClient, compliance: dict[str, str], compliance_database: str
) -> None:
    for _ in range(2):
        assert search(client, compliance).status_code == 200
    start = client.get("/v1/compliance/audit/verify", headers=compliance).json()
    assert start["valid"], start
    with app.state.engine.begin() as connection:
        last = connection.execute(select(AuditEntry).order_by(AuditEntry.sequence.desc()).limit(1)).one()
        connection.execute(delete(AuditEntry).where(AuditEntry.sequence == last.sequence))
    try:
        cut = client.get("/v1/compliance/audit/verify", headers=compliance).json()
        assert cut["valid"] is False and cut["first_broken_sequence"] == last.sequence
        assert "missing" in cut["problem"] and cut["entries"] == start["entries"] - 1
        refused = search(client, compliance)
        assert refused.status_code == 503 and refused.json()["error"]["code"] == "audit_chain_broken"
        code, status = verify_cli(compliance_database)
        assert code == 1 and status["valid"] is False
    finally:
        with app.state.engine.begin() as connection:
            connection.execute(insert(AuditEntry).values(**last._asdict()))
    assert client.get("/v1/compliance/audit/verify", headers=compliance).json() == start
    assert search(client, compliance).status_code == 200
    assert verify_cli(compliance_database)[0] == 0


def test_another_key_cannot_verify_the_chain(
    client: TestClient, compliance: dict[str, str], compliance_database: str
) -> None:
    assert search(client, compliance).status_code == 200
    code, status = verify_cli(compliance_database, new_key())
    assert code == 1 and status["problem"] == "content does not match its hash"
