"""The event broker carries no raw personal data: under the prod profile Rasa publishes every
event to RabbitMQ, and the canary's customer messages reach it redacted only. Each message
opens its own conversation, so that every one reaches Rasa (a handoff would relay the rest to
a colleague instead)."""

from __future__ import annotations

import json
import time
from typing import Any

from stack.processes import Stack
from tests.privacy.test_canary import CANARIES, CUSTOMER_MESSAGES, leaks
from tests.stack.faults.broker import rasa_events
from tests.stack.faults.customer import RetryingCustomer


def test_the_event_broker_carries_no_raw_personal_data(prod_stack: Stack) -> None:
    conversations = set()
    for text in CUSTOMER_MESSAGES:
        customer = RetryingCustomer(prod_stack.config.api_url, "cus_002")
        customer.send(text)
        conversations.add(customer.id)
    queue = prod_stack.config.services.events_queue
    published: list[dict[str, Any]] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        published += [e for e in rasa_events(queue) if e.get("sender_id") in conversations]
        if sum(e.get("event") == "user" for e in published) >= len(CUSTOMER_MESSAGES):
            break
        time.sleep(1)
    assert sum(e.get("event") == "user" for e in published) >= len(CUSTOMER_MESSAGES), "all turns published"
    found = leaks(((f"broker event {e.get('event')}", json.dumps(e, ensure_ascii=False)) for e in published),
                  CANARIES)
    assert found == [], "raw personal data on the event broker:\n" + "\n".join(sorted(set(found)))
