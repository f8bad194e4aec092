"""Faults on the real prod profile: crashed workers and dependency outages lose nothing and
answer nothing twice (`make test-faults`; part of `make test`).

Each test drives customers who retry like the app (same client message id), then audits
their transcripts: messages sent, answered, lost and duplicated, with 0 lost and 0
duplicated required.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from typing import Any

import httpx
import pytest

from service.rasa_client import preferred_order
from stack.processes import Stack
from tests.stack.faults.broker import rasa_events
from tests.stack.faults.customer import Ledger, RetryingCustomer
from tests.stack.faults.proxy import FaultProxy

pytestmark = pytest.mark.faults


def restart(stack: Stack, name: str) -> None:
    stack.start_one(name)
    stack.wait_healthy(name, timeout_s=300)


def assert_nothing_lost(*ledgers: Ledger) -> None:
    for ledger in ledgers:
        print(f"fault ledger: {ledger}")
        assert ledger.lost == 0 and ledger.duplicated == 0, ledger
        assert ledger.answered == ledger.sent, ledger


def own_worker(customer: RetryingCustomer, workers: int = 2) -> int:
    """The number (1-based) of the Rasa worker this conversation prefers."""
    return preferred_order(customer.id, workers)[0] + 1


def test_action_server_killed_fails_over(prod_stack: Stack) -> None:
    customer = RetryingCustomer(prod_stack.config.api_url, "cus_001")
    customer.send("hello")
    victim = f"actions-{own_worker(customer)}"
    prod_stack.kill(victim)
    try:
        assert "£" in customer.say("what's my balance?")
        customer.send("thanks")
        assert_nothing_lost(customer.audit())
    finally:
        restart(prod_stack, victim)


def test_service_worker_killed_mid_traffic(prod_stack: Stack) -> None:
    api = prod_stack.processes["api"].popen.pid
    workers = [int(p) for p in subprocess.run(["pgrep", "-P", str(api)], capture_output=True,
                                              text=True).stdout.split()]
    assert len(workers) >= 2, workers
    customers = [RetryingCustomer(prod_stack.config.api_url, f"cus_00{i}") for i in (3, 4, 5)]

    def chat(customer: RetryingCustomer) -> None:
        for text in ("hi", "what can you do?", "what's my balance?", "thank you", "bye"):
            customer.send(text)

    threads = [threading.Thread(target=chat, args=(c,)) for c in customers]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    os.kill(workers[0], signal.SIGKILL)
    for thread in threads:
        thread.join(timeout=300)
    assert_nothing_lost(*(c.audit() for c in customers))


def outage(proxy: FaultProxy, seconds: float) -> threading.Timer:
    """Cut the dependency now and restore it after ``seconds``."""
    proxy.cut()
    timer = threading.Timer(seconds, proxy.restore)
    timer.start()
    return timer


@pytest.mark.parametrize("dependency", ["postgres", "redis"])
def test_dependency_outage_gives_503s_then_recovers(
    prod_stack: Stack, proxies: dict[str, FaultProxy], dependency: str
) -> None:
    customer = RetryingCustomer(prod_stack.config.api_url, "cus_006")
    customer.send("hello")
    timer = outage(proxies[dependency], 8)
    try:
        health = httpx.get(f"{prod_stack.config.api_url}/healthz", timeout=10)
        if dependency == "postgres":
            assert health.status_code == 503 and health.json()["checks"]["database"] is False
        turn = customer.send("what can you do?")  # 503s with Retry-After, then answered
        assert turn["replies"]
        assert customer.ledger.unavailable_answers > 0, "the outage was seen as a 503"
        customer.send("thanks")
    finally:
        timer.join()
    assert_nothing_lost(customer.audit())


def test_broker_outage_keeps_events_and_delivers_them_later(
    prod_stack: Stack, proxies: dict[str, FaultProxy]
) -> None:
    queue = prod_stack.config.services.events_queue
    customer = RetryingCustomer(prod_stack.config.api_url, "cus_007")
    proxies["rabbitmq"].cut()
    try:
        for text in ("hello", "what can you do?", "thanks"):
            customer.send(text)  # turns go on while the broker is down
    finally:
        proxies["rabbitmq"].restore()
    deadline = time.monotonic() + 60
    users: list[dict[str, Any]] = []
    while time.monotonic() < deadline and len(users) < 3:
        time.sleep(2)
        users += [e for e in rasa_events(queue) if e.get("sender_id") == customer.id
                  and e.get("event") == "user"]
    assert [e["text"] for e in users] == ["hello", "what can you do?", "thanks"]
    assert_nothing_lost(customer.audit())


def test_a_flood_on_one_conversation_is_answered_once_each_in_order(prod_stack: Stack) -> None:
    customer = RetryingCustomer(prod_stack.config.api_url, "cus_001")
    texts = ["hi", "what can you do?", "what's my balance?", "show my recent transactions",
             "what are your opening hours?", "thanks", "are you a bot?", "bye"]
    turns: dict[str, dict] = {}

    def send(text: str) -> None:  # both API workers take these at once
        turns[text] = customer.send(text)

    threads = [threading.Thread(target=send, args=(t,)) for t in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    messages = customer.transcript_messages()
    users = [m for m in messages if m["sender"] == "user"]
    assert sorted(m["text"] for m in users) == sorted(texts) and len(users) == len(texts)
    # Serialised and in order: messages stored at once are answered one after another, in
    # the order they were stored, each turn's replies together.
    spans = []
    for message in sorted(users, key=lambda m: m["seq"]):
        replies = [r["seq"] for r in turns[message["text"]]["replies"]]
        assert replies and min(replies) > message["seq"]
        spans.append((min(replies), max(replies)))
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False)), f"turns interleaved: {spans}"
    assert_nothing_lost(customer.audit_unordered())


# Last: see the comment at the end.
def test_rasa_worker_killed_mid_form_continues_on_the_other(prod_stack: Stack) -> None:
    customer = RetryingCustomer(prod_stack.config.api_url, "cus_002")
    customer.click(customer.send("I want to set a savings goal"), "save")
    customer.send("£7,500")
    customer.send("2 years")
    victim = f"rasa-{own_worker(customer)}"
    prod_stack.kill(victim)
    try:
        customer.send("low")
        summary = customer.say("£300 a month")
        assert "7,500" in summary and "2 years" in summary, summary  # slots survived
        assert_nothing_lost(customer.audit())
    finally:
        # Loading a Rasa model takes minutes on a busy 2-core machine: this test runs last,
        # and the restarted worker only has to start (nothing after it needs two).
        prod_stack.start_one(victim)
