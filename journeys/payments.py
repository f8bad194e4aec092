"""Payments and card repayments in a journey: each run of a payment form, counted as started,
warned (by the bot's scam warning), stopped or completed, from the journey's steps.

A run starts when its form is activated. It is completed when the form's execute action runs
while the confirmation slot is true; stopped when the execute action runs without a yes (the
customer said no at the summary), or the form is left some other way (the customer stopped it,
or was handed off). An execute action that asks for a sign-in or a step-up instead of paying
(it sets ``pending_action`` in the same turn) leaves the run going: the form starts again once
the customer has signed in. A run neither completed nor stopped at the journey's last step is
unfinished (its remaining events may still be on their way, or the customer walked away).

The bot's names are spelled here as strings (``journeys`` sits below ``assistant``); a test
holds them to ``assistant/names.py`` and the domain.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Flow:
    """A payment form: its form, confirmation slot and execute action, and the prefix of its
    journey fields."""

    prefix: str
    form: str
    confirm_slot: str
    execute_action: str


PAYMENT = Flow("payments", "payment_form", "payment_confirmed", "action_execute_payment")
CARD_REPAYMENT = Flow("repayments", "card_repayment_form", "repayment_confirmed",
                      "action_execute_card_repayment")
FLOWS = (PAYMENT, CARD_REPAYMENT)
FLOW_OF_FORM = {flow.form: flow for flow in FLOWS}
CONFIRMATION_SLOTS = frozenset(flow.confirm_slot for flow in FLOWS)
PENDING_SLOT = "pending_action"  # what runs again once the customer has signed in
WARNING_PAYLOAD = "payment_warning"  # the custom payload's type of a scam warning
WARNING_STEP = "warning"  # the step kind of a scam warning (its detail: the level)
STOP = "stop"  # the strongest warning level; any other level counts as a caution

# The journey's fields (and the sums of ``journey_rollups``): runs of the payment form, those
# warned (by their strongest warning), stopped (and stopped after a warning), completed; runs
# of the card repayment form, stopped, completed.
PAYMENT_FIELDS = (
    "payments_started", "payments_warned_caution", "payments_warned_stop", "payments_stopped",
    "payments_stopped_after_warning", "payments_completed",
    "repayments_started", "repayments_stopped", "repayments_completed",
)
CONFIRMED = {"true": True, "false": False}  # a confirmation slot step's detail


@dataclass
class _Run:
    flow: Flow
    warning: str | None = None  # the strongest level shown
    confirmed: bool | None = None
    form_left: bool = False  # the form's loop ended (submitted, stopped or interrupted)
    paid: bool = False  # the execute action ran on a yes (completed unless it asked for a sign-in)
    signing_in: bool = False  # asked to sign in; the form runs again once the customer has


class PaymentRuns:
    """Follows a journey's steps, in order, and counts its payment form runs."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.runs: dict[str, _Run] = {}  # form -> its open run
        self.active: str | None = None  # the form active now

    def see(self, step: Mapping[str, Any]) -> None:
        """Take the journey's next step into account."""
        kind, name, detail = step["kind"], step.get("name"), step.get("detail")
        if kind == "user":
            for run in list(self.runs.values()):
                if run.paid or (run.form_left and not run.signing_in):
                    self._close(run, completed=run.paid)
        elif kind == "form_start":
            self._start(name)
        elif kind == "form_end":
            if self.active in self.runs:
                self.runs[self.active].form_left = True
            self.active = None
        elif kind == "slot" and name in CONFIRMATION_SLOTS:
            for run in self.runs.values():
                if run.flow.confirm_slot == name and not run.paid:
                    run.confirmed = CONFIRMED.get(str(detail))
        elif kind == "slot" and name == PENDING_SLOT and detail != "null":
            for run in self.runs.values():  # asked to sign in (or step up) instead of going on
                run.paid, run.confirmed, run.signing_in = False, None, True
        elif kind == WARNING_STEP and PAYMENT.form in self.runs:
            run = self.runs[PAYMENT.form]
            run.warning = STOP if STOP in (run.warning, detail) else "caution"
        elif kind == "action":
            self._action(name)
        elif kind == "escalation":  # handed off: what was not paid is stopped
            for run in list(self.runs.values()):
                self._close(run, completed=run.paid)

    def _start(self, form: str | None) -> None:
        if self.active in self.runs and self.active != form:
            self.runs[self.active].form_left = True  # another form took over
        self.active = form
        flow = FLOW_OF_FORM.get(form or "")
        if flow is None:
            return
        run = self.runs.get(flow.form)
        if run is not None and run.paid:
            self._close(run, completed=True)
            run = None
        if run is None:
            self.runs[flow.form] = _Run(flow)
            self.counts[f"{flow.prefix}_started"] += 1
        else:  # the same run going on (after a sign-in)
            run.form_left = run.signing_in = False

    def _action(self, name: str | None) -> None:
        for run in list(self.runs.values()):
            if name == run.flow.form:
                run.signing_in = False
            elif name == run.flow.execute_action and not run.paid:
                if run.confirmed is True:
                    run.paid = True
                else:
                    self._close(run, completed=False)
            elif run.form_left and not (run.paid or run.signing_in):
                self._close(run, completed=False)  # the form was left without paying

    def _close(self, run: _Run, completed: bool) -> None:
        _tally(self.counts, run, completed)
        del self.runs[run.flow.form]

    def fields(self) -> dict[str, int]:
        """The journey's payment fields. A run paid at the last step is completed; any other
        run still open is unfinished (its warnings count all the same)."""
        counts = self.counts.copy()
        for run in self.runs.values():
            _tally(counts, run, True if run.paid else None)
        return {name: counts[name] for name in PAYMENT_FIELDS}


def _tally(counts: Counter[str], run: _Run, completed: bool | None) -> None:
    """Count a run: completed, stopped, or (None) neither yet."""
    prefix = run.flow.prefix
    if run.warning:
        counts[f"{prefix}_warned_{run.warning}"] += 1
    if completed is True:
        counts[f"{prefix}_completed"] += 1
    elif completed is False:
        counts[f"{prefix}_stopped"] += 1
        if run.warning:
            counts[f"{prefix}_stopped_after_warning"] += 1
