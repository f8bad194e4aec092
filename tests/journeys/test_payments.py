"""Payments and card repayments in the journeys: each case is a conversation's Rasa events as
the tracker store holds them (the payment forms' rules in assistant/data/rules_payments.yml),
checked in the summary, the stored journey, the rollups and the analytics API, on SQLite and
the real PostgreSQL."""

from __future__ import annotations

import csv
import io
import random
import typing
from collections.abc import Callable
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from assistant import names
from journeys.consumer import JourneyConsumer
from journeys.events import to_step
from journeys.filters import Filters
from journeys.forms import DOMAIN, FUNNEL_FORM, form_slots
from journeys.metrics import JourneyAnalytics
from journeys.models import Journey, JourneyRollup
from journeys.payments import (
    CARD_REPAYMENT,
    PAYMENT,
    PAYMENT_FIELDS,
    PENDING_SLOT,
    WARNING_PAYLOAD,
)
from journeys.rollups import rebuild
from journeys.summary import summarise
from service.api.routes.analytics import Analyst, get_analytics, router

START = datetime(2026, 3, 2, 9, tzinfo=UTC).timestamp()
PAYMENT_ANSWERS = (("payee_id", "pye_0001"), ("payment_amount", "50.00"), ("payment_reference", "rent"),
                   ("payment_when", "now"))
FORM_SLOTS = {PAYMENT.form: (*(slot for slot, _ in PAYMENT_ANSWERS), PAYMENT.confirm_slot),
              CARD_REPAYMENT.form: ("repayment_choice", CARD_REPAYMENT.confirm_slot)}


class Conversation:
    """A conversation's Rasa events, half a second apart."""

    def __init__(self, conversation_id: str, start: float = START) -> None:
        self.conversation_id, self.ts = conversation_id, start
        self.events: list[dict[str, Any]] = []

    def add(self, event: dict[str, Any]) -> Conversation:
        self.ts += 0.5
        self.events.append({**event, "sender_id": self.conversation_id, "timestamp": self.ts})
        return self

    def user(self, intent: str) -> Conversation:
        return self.add({"event": "user", "text": f"({intent})",
                         "parse_data": {"intent": {"name": intent, "confidence": 0.97}},
                         "metadata": {"customer_id": "cus_001", "channel": "web"}})

    def action(self, name: str) -> Conversation:
        return self.add({"event": "action", "name": name, "policy": "RulePolicy", "confidence": 1.0})

    def slot(self, name: str, value: Any) -> Conversation:
        return self.add({"event": "slot", "name": name, "value": value})

    def loop(self, name: str | None) -> Conversation:
        return self.add({"event": "active_loop", "name": name})

    def bot(self, text: str, custom: dict[str, Any] | None = None) -> Conversation:
        data = {"elements": None, "buttons": None, "custom": custom}
        return self.add({"event": "bot", "text": text, "data": data, "metadata": {}})

    def listen(self) -> Conversation:
        return self.action("action_listen")

    # -- the payment forms, as their rules run them ------------------------------------

    def pay_until_summary(self, warning: str | None = None) -> Conversation:
        """pay_payee activates payment_form; the customer answers each question; the bot
        sends its scam warning (if any) with the summary."""
        self.user("pay_payee").action(PAYMENT.form).loop(PAYMENT.form).slot("requested_slot", "payee_id")
        self.bot("Who would you like to pay?").listen()
        for (slot, value), asked in zip(PAYMENT_ANSWERS, FORM_SLOTS[PAYMENT.form][1:], strict=True):
            self.user("inform").action(PAYMENT.form).slot(slot, value).slot("requested_slot", asked)
            if asked == PAYMENT.confirm_slot and warning:
                self.bot("This could be a scam.", {"type": WARNING_PAYLOAD, "level": warning,
                                                  "reasons": ["new_payee", "urgency"]})
            self.bot(f"(asks for {asked})").listen()
        return self

    def answer_summary(self, yes: bool, flow: Any = PAYMENT) -> Conversation:
        """yes or no at the summary: the form is done, the execute action runs and resets."""
        self.user("affirm" if yes else "deny").action(flow.form).slot(flow.confirm_slot, yes)
        self.loop(None).slot("requested_slot", None).action(flow.execute_action)
        self.bot("Done." if yes else "No problem, I haven't paid anything.")
        for slot in FORM_SLOTS[flow.form]:
            self.slot(slot, None)
        return self.listen()

    def stop_form(self) -> Conversation:
        """The customer says stop and confirms it (``stop payment_form - customer confirms``)."""
        self.user("stop").action("utter_ask_confirm_stop").listen()
        self.user("affirm").action("action_deactivate_loop").loop(None).action("utter_form_stopped")
        return self.action("action_cancel_form").listen()

    def hand_off(self) -> Conversation:
        """The customer asks for a person inside the form (``ask for a person inside ...``)."""
        self.user("request_human").action("action_deactivate_loop").loop(None).action("action_cancel_form")
        self.action("action_request_human")
        self.bot("Passing you to a colleague.", {"handoff": {"reason": "customer_request"}})
        return self.listen()

    def repay_until_summary(self) -> Conversation:
        self.user("repay_credit_card").action(CARD_REPAYMENT.form).loop(CARD_REPAYMENT.form)
        self.slot("requested_slot", "repayment_choice").bot("Your statement ...").listen()
        self.user("inform").action(CARD_REPAYMENT.form).slot("repayment_choice", "minimum")
        self.slot("requested_slot", CARD_REPAYMENT.confirm_slot).bot("Just to confirm ...").listen()
        return self

    def step_up_then_pay(self) -> Conversation:
        """The execute action asks for a step-up instead of paying; after the sign-in the form
        starts again and asks for the confirmation again."""
        self.user("affirm").action(PAYMENT.form).slot(PAYMENT.confirm_slot, True).loop(None)
        self.slot("requested_slot", None).action(PAYMENT.execute_action).slot(PAYMENT.confirm_slot, None)
        self.slot(PENDING_SLOT, PAYMENT.form).bot("Please sign in again.", {"type": "step_up_required"})
        self.listen().user("signed_in").action("action_resume_pending").slot(PENDING_SLOT, None)
        self.action(PAYMENT.form).loop(PAYMENT.form).slot("requested_slot", PAYMENT.confirm_slot)
        self.bot(f"(asks for {PAYMENT.confirm_slot})").listen()
        return self.answer_summary(yes=True)


def _payments(**counts: int) -> dict[str, int]:
    return {**dict.fromkeys(PAYMENT_FIELDS, 0), **counts}


# (name, conversation, the journey's payment fields, whether it escalated)
CASES: list[tuple[str, Callable[[Conversation], Conversation], dict[str, int], bool]] = [
    ("completed", lambda c: c.pay_until_summary().answer_summary(yes=True).user("thank_you"),
     _payments(payments_started=1, payments_completed=1), False),
    ("caution, then completed", lambda c: c.pay_until_summary("caution").answer_summary(yes=True),
     _payments(payments_started=1, payments_warned_caution=1, payments_completed=1), False),
    ("stop warning, no at the summary", lambda c: c.pay_until_summary("stop").answer_summary(yes=False),
     _payments(payments_started=1, payments_warned_stop=1, payments_stopped=1,
               payments_stopped_after_warning=1), False),
    ("caution, then stopped", lambda c: c.pay_until_summary("caution").stop_form(),
     _payments(payments_started=1, payments_warned_caution=1, payments_stopped=1,
               payments_stopped_after_warning=1), False),
    ("handed off", lambda c: c.pay_until_summary().hand_off(),
     _payments(payments_started=1, payments_stopped=1), True),
    ("step-up, then completed", lambda c: c.pay_until_summary().step_up_then_pay(),
     _payments(payments_started=1, payments_completed=1), False),
    ("walked away at the summary", lambda c: c.pay_until_summary("caution"),
     _payments(payments_started=1, payments_warned_caution=1), False),
    ("two payments: stopped, then completed",
     lambda c: c.pay_until_summary().stop_form().pay_until_summary().answer_summary(yes=True),
     _payments(payments_started=2, payments_stopped=1, payments_completed=1), False),
    ("card repayment completed",
     lambda c: c.repay_until_summary().answer_summary(yes=True, flow=CARD_REPAYMENT),
     _payments(repayments_started=1, repayments_completed=1), False),
    ("card repayment, no at the summary",
     lambda c: c.repay_until_summary().answer_summary(yes=False, flow=CARD_REPAYMENT),
     _payments(repayments_started=1, repayments_stopped=1), False),
    ("no payment at all", lambda c: c.user("greet").action("utter_greet").listen().user("check_balance")
     .action("action_check_balance").listen(), _payments(), False),
]
IDS = [case[0] for case in CASES]


def _conversation(index: int) -> Conversation:
    _, build, _, _ = CASES[index]
    return build(Conversation(f"conv_pay_{index:02d}", START + index * 600))


def _summary(events: list[dict[str, Any]]) -> dict[str, Any]:
    rows = []
    for order, event in enumerate(events):
        step = to_step(event)
        if step is not None:
            rows.append({**step.row(), "id": order})
    return summarise(rows, form_slots(), FUNNEL_FORM, {}, 0.4).journey


@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_the_summary_counts_the_payment_runs(index: int) -> None:
    _, _, expected, escalated = CASES[index]
    journey = _summary(_conversation(index).events)
    assert {name: journey[name] for name in PAYMENT_FIELDS} == expected
    assert journey["escalated"] is escalated


def test_a_warning_keeps_its_level_and_no_reasons() -> None:
    events = Conversation("conv_warn").pay_until_summary("stop").events
    warnings = [s for s in (to_step(e) for e in events) if s is not None and s.kind == "warning"]
    assert [(s.name, s.detail, s.text) for s in warnings] == [(WARNING_PAYLOAD, "stop", None)]
    confirmations = [to_step(e) for e in Conversation("c").answer_summary(yes=False).events
                     if e.get("name") == PAYMENT.confirm_slot]
    assert [s.detail for s in confirmations if s is not None] == ["false", "null"]


def test_events_in_any_order_give_the_same_counts() -> None:
    events = _conversation(IDS.index("caution, then stopped")).events
    shuffled = events[:]
    random.Random(4).shuffle(shuffled)
    assert _summary(shuffled) == _summary(events)


def _exact(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(v for v in row if not isinstance(v, float))


def _floats(rows: list[tuple[Any, ...]]) -> list[float]:
    return [v for row in rows for v in row if isinstance(v, float)]


def _stored(engine: Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        return {row.conversation_id: row for row in connection.execute(select(Journey))}


def test_stored_journeys_rollups_and_overview(journey_engine: Engine) -> None:
    consumer = JourneyConsumer(journey_engine)
    events = [e for index in range(len(CASES)) for e in _conversation(index).events]
    rng = random.Random(7)
    rng.shuffle(events)
    for start in range(0, len(events), 40):  # in batches: journeys rebuilt as their steps come
        consumer.ingest((None, e) for e in events[start:start + 40])
    consumer.ingest((None, e) for e in rng.sample(events, 60))  # replayed
    stored = _stored(journey_engine)
    for index, (_, _, expected, _) in enumerate(CASES):
        row = stored[f"conv_pay_{index:02d}"]
        assert {name: getattr(row, name) for name in PAYMENT_FIELDS} == expected, IDS[index]

    totals = {name: sum(case[2][name] for case in CASES) for name in PAYMENT_FIELDS}
    with journey_engine.connect() as connection:
        straight = connection.execute(select(*(func.sum(getattr(Journey, n)) for n in PAYMENT_FIELDS))).one()
        rolled = JourneyAnalytics(journey_engine).payment_counts(connection, Filters())
        kept = sorted(tuple(row) for row in connection.execute(select(JourneyRollup.__table__)))
    assert dict(zip(PAYMENT_FIELDS, straight, strict=True)) == totals == rolled
    with journey_engine.begin() as connection:
        rebuild(connection)
        rebuilt = sorted(tuple(row) for row in connection.execute(select(JourneyRollup.__table__)))
    assert [_exact(row) for row in kept] == [_exact(row) for row in rebuilt], "the rollups equal a rebuild"
    assert _floats(kept) == pytest.approx(_floats(rebuilt))

    overview = JourneyAnalytics(journey_engine, k=1).overview(Filters())
    assert overview["payments"] == {
        "payment": {"started": 9, "warned": 4, "warned_caution": 3, "warned_stop": 1, "stopped": 4,
                    "stopped_after_warning": 2, "completed": 4, "unfinished": 1,
                    "completion_rate": round(4 / 9, 4), "stop_rate_after_warning": 0.5},
        "card_repayment": {"started": 2, "stopped": 1, "completed": 1, "unfinished": 0,
                           "completion_rate": 0.5},
    }
    assert totals["payments_started"] == 9 and totals["repayments_started"] == 2


def test_counts_under_k_are_suppressed_and_so_is_what_reveals_them(journey_engine: Engine) -> None:
    consumer = JourneyConsumer(journey_engine)
    for index in range(len(CASES)):
        consumer.ingest((None, e) for e in _conversation(index).events)
    payments = JourneyAnalytics(journey_engine, k=3).overview(Filters())["payments"]
    assert payments["payment"] == {
        "started": 9, "warned": None, "warned_caution": 3, "warned_stop": None, "stopped": 4,
        "stopped_after_warning": None, "completed": 4, "unfinished": 1, "completion_rate": round(4 / 9, 4),
        "stop_rate_after_warning": None, "suppressed": True}
    assert payments["card_repayment"] == {
        "started": None, "stopped": None, "completed": None, "unfinished": None, "completion_rate": None,
        "suppressed": True}


def _api(engine: Engine, k: int) -> TestClient:
    """The analytics routes alone, on ``engine``, with the analyst's sign-in stubbed."""
    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[get_analytics] = lambda: SimpleNamespace(reader=JourneyAnalytics(engine, k=k))
    require_analyst = typing.get_args(Analyst)[1].dependency
    app.dependency_overrides[require_analyst] = lambda: None
    return TestClient(app)


def test_the_api_serves_the_payment_figures(sqlite_engine: Engine) -> None:
    consumer = JourneyConsumer(sqlite_engine)
    consumer.ingest((None, e) for index in range(len(CASES)) for e in _conversation(index).events)
    client = _api(sqlite_engine, k=1)
    overview = client.get("/v1/analytics/overview", params={"date_from": "2026-03-02", "channel": "web"})
    assert overview.status_code == 200, overview.text
    body = overview.json()
    assert body["journeys"] == len(CASES)
    assert body["payments"]["payment"]["completed"] == 4
    assert body["payments"]["card_repayment"]["completed"] == 1
    handed_off = {"reason": "customer_request", "journeys": 1, "rate": round(1 / len(CASES), 4)}
    assert body["escalations"] == [handed_off], "the handoff beside the payments"
    exported = client.get("/v1/analytics/export", params={"table": "payments", "format": "csv"})
    assert exported.status_code == 200, exported.text
    payment, card = csv.DictReader(io.StringIO(exported.text))
    assert (payment["flow"], payment["started"], payment["warned_stop"], payment["stopped_after_warning"],
            payment["completed"]) == ("payment", "9", "1", "2", "4")
    assert (card["flow"], card["started"], card["completed"], card["warned"]) == (
        "card_repayment", "2", "1", "")
    nothing = client.get("/v1/analytics/overview", params={"date_from": "2030-01-01"}).json()
    assert nothing["empty"] is True and "payments" not in nothing


def test_the_names_are_the_bots() -> None:
    """The forms, slots, actions and payload journeys.payments follows are the bot's own."""
    domain = yaml.safe_load(DOMAIN.read_text())
    assert (PAYMENT.form, PAYMENT.confirm_slot, PAYMENT.execute_action) == (
        names.FORM_PAYMENT, names.SLOT_PAYMENT_CONFIRMED, names.ACTION_EXECUTE_PAYMENT)
    assert (CARD_REPAYMENT.form, CARD_REPAYMENT.confirm_slot, CARD_REPAYMENT.execute_action) == (
        names.FORM_CARD_REPAYMENT, names.SLOT_REPAYMENT_CONFIRMED, names.ACTION_EXECUTE_CARD_REPAYMENT)
    assert (PENDING_SLOT, WARNING_PAYLOAD) == (names.SLOT_PENDING_ACTION, names.PAYLOAD_PAYMENT_WARNING)
    for flow in (PAYMENT, CARD_REPAYMENT):
        assert domain["forms"][flow.form]["required_slots"][-1] == flow.confirm_slot
        assert flow.execute_action in domain["actions"]
    assert PENDING_SLOT in domain["slots"]
    assert {column.name for column in JourneyRollup.__table__.columns} >= set(PAYMENT_FIELDS)
