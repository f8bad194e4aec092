"""Key handling (no key outside local/test refuses to start) and ``python -m privacy``."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from privacy.errors import ConfigurationError
from privacy.keys import KeyRing, new_key
from privacy.settings import PrivacySettings

ROOT = Path(__file__).resolve().parents[2]


def test_production_without_key_refuses() -> None:
    with pytest.raises(ConfigurationError):
        KeyRing.from_settings(PrivacySettings(environment="production", vault_key=None))


def test_local_without_key_warns_and_uses_an_ephemeral_key() -> None:
    with pytest.warns(UserWarning, match="EPHEMERAL"):
        ring = KeyRing.from_settings(PrivacySettings(environment="local", vault_key=None))
    assert ring.ephemeral and len(ring.encryption_key) == 32


def test_configured_key_is_used_and_checked() -> None:
    key = new_key()
    one = KeyRing.from_settings(PrivacySettings(environment="production", vault_key=key))
    two = KeyRing.from_settings(PrivacySettings(environment="production", vault_key=key))
    assert one.encryption_key == two.encryption_key != one.placeholder_key
    with pytest.raises(ConfigurationError):
        KeyRing.from_settings(PrivacySettings(environment="production", vault_key="dG9vIHNob3J0"))


def test_cli_redacts_one_json_line_per_input_line() -> None:
    lines = "My card is 4111 1111 1111 1111\nwhat is my balance?\n"
    result = subprocess.run(
        [sys.executable, "-m", "privacy", "redact"],
        input=lines,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PRIVACY_ENVIRONMENT": "test", "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"},
        timeout=120,
        check=True,
    )
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert outputs[0] == {
        "text": "My card is <CARD_1>",
        "spans": [{"start": 11, "end": 30, "entity_type": "CARD", "score": 1.0}],
    }
    assert outputs[1] == {"text": "what is my balance?", "spans": []}
