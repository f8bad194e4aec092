"""``python -m privacy redact`` and the service's redaction give the same text and spans for a
conversation's first message: the CLI scores labelled sets for what the service stores."""

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from database.base import Base
from privacy.factory import build_redactor
from privacy.keys import KeyRing
from privacy.models import VaultEntry
from privacy.settings import PrivacySettings
from service.models import Conversation, Message
from service.redaction import ConversationRedactor

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = [
    "I want to send £250 to Wei Nguyen, IBAN GB33 BUKB 2020 1555 5555 55",
    "pay wei nguyen 40 quid",
    "i want to pay dave 20",
    "transfer from 20-32-06 51473538 to my savings",
    "sort code 20 32 06 account 51473538",
    "203206 51473538",
    "my date of birth is 12/03/1985 and my NHS number is 943 476 5919",
    "my login came from 2001:db8::1 and 203.0.113.77",
    "I spend £50-£100 a week, about 5k a month, mostly at AMZN MKTP",
    "can I hold AUD or Russian Ruble? I'm going to Japan in January",
    "show me what the bank took last month, and pay it tomorrow or on the 5th",
]


def _cli(messages: list[str]) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-m", "privacy", "redact"],
        input="".join(m + "\n" for m in messages),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PRIVACY_ENVIRONMENT": "test", "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"},
        timeout=180,
        check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines()]


def _service(messages: list[str], keys: KeyRing) -> list[dict]:
    engine = create_engine("sqlite://")
    tables = [Conversation.__table__, Message.__table__, VaultEntry.__table__]
    Base.metadata.create_all(engine, tables=tables)  # type: ignore[arg-type]
    sessions = sessionmaker(engine)
    redactor = ConversationRedactor(build_redactor(PrivacySettings(environment="test"), keys), keys, sessions)
    out = []
    for index, message in enumerate(messages):
        with sessions.begin() as session:
            session.add(Conversation(id=f"c{index}", channel="web", token_hash=f"{index:064d}"))
        redaction = redactor.redact(f"c{index}", message)
        spans = [
            {"start": s.start, "end": s.end, "entity_type": str(s.entity_type), "score": s.score}
            for s in redaction.spans
        ]
        out.append({"text": redaction.text, "spans": spans})
    engine.dispose()
    return out


def test_the_cli_and_the_service_redact_alike(keys: KeyRing) -> None:
    cli = _cli(MESSAGES)
    service = _service(MESSAGES, keys)
    assert cli == service
    assert "Wei Nguyen" not in cli[0]["text"] and "dave" not in cli[2]["text"]
    assert cli[-1]["text"] == MESSAGES[-1]
