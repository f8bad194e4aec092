"""Prometheus metrics: a real turn moves the latency and NLU confidence histograms, an error
response increments the error counter, the pending queue is a gauge, several workers add up
through the multiprocess directory, and nothing personal is exposed."""

from __future__ import annotations

import os
import re
import subprocess
import textwrap
from pathlib import Path

import httpx
import pytest

from stack.processes import ROOT, SERVICE_PYTHON, Stack
from tests.support.app import running_app, start_conversation

EMAIL = "jane.doe.metrics@example.com"


def sample(exposition: str, name: str, **labels: str) -> float:
    """The value of one sample (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" ([0-9.e+\-]+)$"
    found = re.search(pattern, exposition, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_error_responses_are_counted_by_type(stack_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with running_app(stack_database, monkeypatch) as client:
        conversation_id, auth = start_conversation(client)
        before = client.get("/metrics").text
        messages = f"/v1/conversations/{conversation_id}/messages"
        empty = client.post(messages, json={"text": "  "}, headers=auth)
        missing = client.get("/v1/conversations/conv_nobody", headers=auth)
        # The bot is down: the message waits as pending (and is counted as bot_unavailable).
        down = client.post(messages, json={"text": f"write to {EMAIL}"}, headers=auth)
        after = client.get("/metrics").text
    assert (empty.status_code, missing.status_code, down.status_code) == (422, 404, 503)
    for code, status in (("invalid_message", "422"), ("not_found", "404"), ("bot_unavailable", "503")):
        assert sample(after, "service_errors_total", type=code, status=status) == (
            sample(before, "service_errors_total", type=code, status=status) + 1
        ), code
    assert sample(after, "assistant_pending_messages") >= 1
    assert EMAIL not in after and conversation_id not in after and "cus_001" not in after


def test_multiprocess_mode_adds_up_the_workers(tmp_path: Path) -> None:
    script = textwrap.dedent("""
        import sys
        from service import metrics
        if sys.argv[1] == "observe":
            metrics.observe_turn(0.3)
            metrics.count_error("invalid_message", 422)
        else:
            print(metrics.exposition(None).decode())
    """)
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for _ in range(2):  # two "workers", each its own process
        subprocess.run([str(SERVICE_PYTHON), "-c", script, "observe"], cwd=ROOT, env=env, check=True)
    scraped = subprocess.run([str(SERVICE_PYTHON), "-c", script, "scrape"], cwd=ROOT, env=env,
                             check=True, capture_output=True, text=True).stdout
    assert sample(scraped, "assistant_turn_latency_seconds_count") == 2
    assert sample(scraped, "service_errors_total", type="invalid_message", status="422") == 2


@pytest.mark.stack
def test_a_turn_moves_the_latency_and_confidence_histograms(stack: Stack) -> None:
    api = stack.config.api_url
    before = httpx.get(f"{api}/metrics").text
    conversation = httpx.post(f"{api}/v1/conversations", json={"channel": "web"}).json()
    turn = httpx.post(f"{api}/v1/conversations/{conversation['id']}/messages",
                      json={"text": "what is my balance?"},
                      headers={"Authorization": f"Bearer {conversation['token']}"}, timeout=60)
    after = httpx.get(f"{api}/metrics").text
    assert turn.status_code == 200, turn.text
    count = "assistant_turn_latency_seconds_count"
    assert sample(after, count) == sample(before, count) + 1
    total = "assistant_turn_latency_seconds_sum"
    assert sample(after, total) > sample(before, total)
    # Every bot turn in the stack records a confidence, and the service's background loop
    # may answer another test's pending message meanwhile: ours adds at least one.
    confidence = "assistant_nlu_confidence_count"
    assert sample(after, confidence) >= sample(before, confidence) + 1
    assert conversation["id"] not in after and conversation["token"] not in after
