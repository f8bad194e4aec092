"""A simulated shift of the contact centre, in memory: the policy's skill routing against
first-come-first-served on the same customers and colleagues.

``python -m bench.handoff_shift [--out OUT.json] [--seed N] [--hours H] [--per-hour R]``
(or ``python -m bench.handoff --shift-only``)

Colleagues with skills and a concurrent-chat limit sign in and out over the shift; handoffs
of the policy's reasons arrive as a seeded Poisson process whose rate follows the hour;
handling times are log-normal per skill and each customer gives up after a patience drawn
for them. Skill routing is the service's: the skill of each reason and ``widen_after_s`` from
``policy.yml``, the offer rule of :func:`service.handoff.routing.open_to`, the queue by
priority then waiting time. FCFS serves the longest-waiting customer with any colleague.
A customer still waiting after ``callback_after_s`` is offered a callback (counted; they may
still wait). Each free colleague takes the first handoff offered to them; of several free
colleagues the least loaded takes it.
"""

from __future__ import annotations

import argparse
import heapq
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from bench.stats import percentile, print_table, write_json
from service.handoff.policy import EscalationPolicy, Priority, Routing
from service.handoff.routing import open_to

OUT = Path(__file__).resolve().parent / "out" / "handoff_shift.json"
HOUR = 3600.0

# Share of each reason among handoffs (reasons of policy.yml's triggers).
REASON_MIX: dict[str, float] = {
    "customer_request": 0.28,
    "negative_sentiment": 0.10,
    "repeated_fallback": 0.12,
    "form_loop": 0.05,
    "complaint": 0.08,
    "fraud": 0.08,
    "lost_or_stolen_card": 0.09,
    "lost_or_stolen_phone": 0.02,
    "large_transfer": 0.03,
    "financial_difficulty": 0.07,
    "vulnerability": 0.04,
    "bereavement": 0.04,
}
# Mean handling seconds per skill (log-normal, sigma HANDLING_SIGMA).
HANDLING_MEAN_S: dict[str, float] = {
    "general": 420, "cards_and_fraud": 600, "lending": 900, "vulnerable_customers": 1200,
}
HANDLING_SIGMA = 0.5
# The arrival rate of each hour of the shift, as a share of the mean rate.
HOURLY_PROFILE = (0.6, 0.9, 1.2, 1.4, 1.3, 1.0, 0.9, 0.7)


@dataclass(frozen=True)
class ColleagueShift:
    """A colleague's skills, chat limit and signed-in spells (seconds into the shift)."""

    name: str
    skills: tuple[str, ...]
    max_chats: int
    spells: tuple[tuple[float, float], ...]


def default_rota(hours: float) -> tuple[ColleagueShift, ...]:
    """A day's rota: generalists, specialists who also take general work, and breaks."""
    end = hours * HOUR
    half = end / 2
    return (
        ColleagueShift("gen1", ("general",), 3, ((0, half - 1800), (half, end))),
        ColleagueShift("gen2", ("general",), 3, ((0, half),)),
        ColleagueShift("gen3", ("general",), 3, ((half, end),)),
        ColleagueShift("cards1", ("general", "cards_and_fraud"), 2, ((0, end),)),
        ColleagueShift("cards2", ("cards_and_fraud",), 2, ((2 * HOUR, end),)),
        ColleagueShift("lend1", ("general", "lending"), 2, ((0, half), (half + 1800, end))),
        ColleagueShift("vuln1", ("general", "vulnerable_customers"), 2, ((0, 0.75 * end),)),
        ColleagueShift("vuln2", ("vulnerable_customers",), 1, ((0.25 * end, end),)),
    )


@dataclass(frozen=True)
class ShiftScenario:
    """Everything a run draws from; the same scenario gives the same customers to each policy."""

    hours: float = 8
    per_hour: float = 100
    seed: int = 7
    patience_mean_s: float = 600
    patience_min_s: float = 30
    callback_after_s: float = 600
    reason_mix: dict[str, float] = field(default_factory=lambda: dict(REASON_MIX))
    handling_mean_s: dict[str, float] = field(default_factory=lambda: dict(HANDLING_MEAN_S))
    hourly_profile: tuple[float, ...] = HOURLY_PROFILE
    rota: tuple[ColleagueShift, ...] | None = None

    def colleagues(self) -> tuple[ColleagueShift, ...]:
        return self.rota if self.rota is not None else default_rota(self.hours)


@dataclass(frozen=True)
class Customer:
    """One handoff: when it arrives, its skill and priority, how long it takes and how long
    the customer waits before giving up."""

    id: int
    arrives_s: float
    reason: str
    skill: str
    priority: int
    handling_s: float
    patience_s: float


def reason_priorities(policy: EscalationPolicy) -> dict[str, int]:
    """Reason code -> priority, for every trigger of the policy."""
    triggers = [policy.explicit_request, policy.vulnerability, policy.negative_sentiment,
                policy.repeated_fallback, policy.form_loop, *policy.business_rules,
                *policy.risk_intents.intents.values()]
    return {t.reason: int(t.priority) for t in triggers}


def customers(scenario: ShiftScenario, routing: Routing, priorities: dict[str, int]) -> list[Customer]:
    """The shift's handoffs, drawn from ``scenario.seed``."""
    rng = random.Random(scenario.seed)
    reasons, weights = zip(*scenario.reason_mix.items(), strict=True)
    drawn: list[Customer] = []
    now, end = 0.0, scenario.hours * HOUR
    while True:
        hour = min(int(now // HOUR), len(scenario.hourly_profile) - 1)
        now += rng.expovariate(scenario.per_hour * scenario.hourly_profile[hour] / HOUR)
        if now >= end:
            return drawn
        reason = rng.choices(reasons, weights)[0]
        skill = routing.skill_for(reason)
        mean = scenario.handling_mean_s[skill]
        drawn.append(Customer(
            id=len(drawn),
            arrives_s=now,
            reason=reason,
            skill=skill,
            priority=priorities.get(reason, int(Priority.NORMAL)),
            handling_s=rng.lognormvariate(math.log(mean) - HANDLING_SIGMA**2 / 2, HANDLING_SIGMA),
            patience_s=max(scenario.patience_min_s, rng.expovariate(1 / scenario.patience_mean_s)),
        ))


class QueuePolicy(Protocol):
    """Which waiting handoff comes first, and whether a colleague may take one."""

    @property
    def name(self) -> str: ...

    def order(self, customer: Customer) -> tuple[float, ...]: ...

    def may_take(self, customer: Customer, skills: Sequence[str], now: float) -> bool: ...


@dataclass(frozen=True)
class SkillRouting:
    """The service's routing: by priority then waiting time, offered by skill then to all."""

    routing: Routing
    name: str = "skill_routing"

    def order(self, customer: Customer) -> tuple[float, ...]:
        return (-customer.priority, customer.arrives_s, customer.id)

    def may_take(self, customer: Customer, skills: Sequence[str], now: float) -> bool:
        return open_to(customer.skill, skills, now - customer.arrives_s, self.routing)


@dataclass(frozen=True)
class FirstComeFirstServed:
    """One queue by arrival; any colleague takes the longest-waiting customer."""

    name: str = "fcfs"

    def order(self, customer: Customer) -> tuple[float, ...]:
        return (customer.arrives_s, customer.id)

    def may_take(self, customer: Customer, skills: Sequence[str], now: float) -> bool:
        return True


@dataclass
class _Desk:
    shift: ColleagueShift
    signed_in: bool = False
    active: int = 0

    def room(self) -> bool:
        return self.signed_in and self.active < self.shift.max_chats


@dataclass
class Outcome:
    """What happened to each customer under one policy."""

    waits: dict[int, float] = field(default_factory=dict)  # served: seconds to a colleague
    abandoned: set[int] = field(default_factory=set)
    callbacks: set[int] = field(default_factory=set)
    unserved: set[int] = field(default_factory=set)  # still waiting when the shift's work ran out


# Event kinds, in the order they are handled at the same moment.
_END, _SIGN_OUT, _SIGN_IN, _ABANDON, _CALLBACK, _ARRIVE, _WIDEN = range(7)


def simulate(policy: QueuePolicy, scenario: ShiftScenario, drawn: Sequence[Customer],
             widen_after_s: float) -> Outcome:
    """Run the shift under ``policy``: a discrete-event simulation in memory."""
    desks = [_Desk(shift) for shift in scenario.colleagues()]
    events: list[tuple[float, int, int, int]] = []  # (time, kind, tiebreak, index)
    for n, desk in enumerate(desks):
        for start, stop in desk.shift.spells:
            heapq.heappush(events, (start, _SIGN_IN, n, n))
            heapq.heappush(events, (stop, _SIGN_OUT, n, n))
    for c in drawn:
        heapq.heappush(events, (c.arrives_s, _ARRIVE, c.id, c.id))
        heapq.heappush(events, (c.arrives_s + c.patience_s, _ABANDON, c.id, c.id))
        heapq.heappush(events, (c.arrives_s + scenario.callback_after_s, _CALLBACK, c.id, c.id))
        heapq.heappush(events, (c.arrives_s + widen_after_s, _WIDEN, c.id, c.id))
    waiting: dict[int, Customer] = {}
    outcome = Outcome()
    while events:
        now, kind, _, index = heapq.heappop(events)
        if kind == _ARRIVE:
            waiting[index] = drawn[index]
        elif kind == _ABANDON and waiting.pop(index, None) is not None:
            outcome.abandoned.add(index)
        elif kind == _CALLBACK and index in waiting:
            outcome.callbacks.add(index)
        elif kind in (_SIGN_IN, _SIGN_OUT):
            desks[index].signed_in = kind == _SIGN_IN
        elif kind == _END:
            desks[index].active -= 1
        for customer, n in _assign(policy, waiting, desks, now):
            outcome.waits[customer.id] = now - customer.arrives_s
            heapq.heappush(events, (now + customer.handling_s, _END, n, n))
    outcome.unserved = set(waiting)
    return outcome


def _assign(policy: QueuePolicy, waiting: dict[int, Customer], desks: list[_Desk],
            now: float) -> list[tuple[Customer, int]]:
    """Hand waiting customers, in the policy's order, to the least loaded colleague who may
    take each; stop when no colleague has room."""
    taken: list[tuple[Customer, int]] = []
    for customer in sorted(waiting.values(), key=policy.order):
        free = [n for n, d in enumerate(desks)
                if d.room() and policy.may_take(customer, d.shift.skills, now)]
        if not free:
            if not any(d.room() for d in desks):
                break
            continue
        n = min(free, key=lambda i: (desks[i].active / desks[i].shift.max_chats, desks[i].shift.name))
        desks[n].active += 1
        del waiting[customer.id]
        taken.append((customer, n))
    return taken


def summarise(outcome: Outcome, drawn: Sequence[Customer],
              group: Callable[[Customer], str]) -> dict[str, dict[str, Any]]:
    """Per group (and ``all``): customers, served, p50/p95 wait of the served, abandoned,
    callbacks offered."""
    groups: dict[str, list[Customer]] = {}
    for c in drawn:
        groups.setdefault(group(c), []).append(c)
    groups["all"] = list(drawn)
    summary = {}
    for name, members in groups.items():
        waits = [outcome.waits[c.id] for c in members if c.id in outcome.waits]
        summary[name] = {
            "customers": len(members),
            "served": len(waits),
            "p50_wait_s": round(percentile(waits, 50), 1),
            "p95_wait_s": round(percentile(waits, 95), 1),
            "abandoned": sum(1 for c in members if c.id in outcome.abandoned),
            "callbacks": sum(1 for c in members if c.id in outcome.callbacks),
        }
    return summary


def run_shift(scenario: ShiftScenario, policy: EscalationPolicy | None = None) -> dict[str, Any]:
    """Both policies on the same customers and rota: figures by skill and by priority."""
    policy = policy or EscalationPolicy.load()
    drawn = customers(scenario, policy.routing, reason_priorities(policy))
    policies: list[QueuePolicy] = [SkillRouting(policy.routing), FirstComeFirstServed()]
    results: dict[str, Any] = {}
    for queue_policy in policies:
        outcome = simulate(queue_policy, scenario, drawn, policy.routing.widen_after_s)
        results[queue_policy.name] = {
            "by_skill": summarise(outcome, drawn, lambda c: c.skill),
            "by_priority": summarise(outcome, drawn, lambda c: Priority(c.priority).name.lower()),
        }
    return {
        "benchmark": "handoff_shift",
        "scenario": {
            "hours": scenario.hours, "per_hour": scenario.per_hour, "seed": scenario.seed,
            "patience_mean_s": scenario.patience_mean_s, "callback_after_s": scenario.callback_after_s,
            "widen_after_s": policy.routing.widen_after_s, "customers": len(drawn),
            "colleagues": [{"name": c.name, "skills": list(c.skills), "max_chats": c.max_chats,
                            "spells": [list(s) for s in c.spells]} for c in scenario.colleagues()],
        },
        "results": results,
    }


def print_shift(report: dict[str, Any]) -> None:
    """The figures of each policy side by side, by skill then by priority."""
    rows = []
    names = list(report["results"])
    for view in ("by_skill", "by_priority"):
        groups = report["results"][names[0]][view]
        for group in groups:
            if view == "by_priority" and group == "all":
                continue
            for name in names:
                r = report["results"][name][view][group]
                rows.append((group, name, r["customers"], r["served"], r["p50_wait_s"], r["p95_wait_s"],
                             r["abandoned"], r["callbacks"]))
    print_table(rows, header=["group", "policy", "customers", "served", "p50 wait s", "p95 wait s",
                              "abandoned", "callbacks"])


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The scenario's options (shared with ``bench.handoff --shift-only``)."""
    defaults = ShiftScenario()
    parser.add_argument("--seed", type=int, default=defaults.seed, help="random seed of the shift")
    parser.add_argument("--hours", type=float, default=defaults.hours, help="length of the shift")
    parser.add_argument("--per-hour", type=float, default=defaults.per_hour,
                        help="mean handoffs per hour (shaped by the hour of the shift)")
    parser.add_argument("--patience", type=float, default=defaults.patience_mean_s,
                        help="mean seconds a customer waits before giving up")
    parser.add_argument("--callback-after", type=float, default=defaults.callback_after_s,
                        help="seconds of waiting after which a callback is offered")


def scenario_from(args: argparse.Namespace) -> ShiftScenario:
    return ShiftScenario(hours=args.hours, per_hour=args.per_hour, seed=args.seed,
                         patience_mean_s=args.patience, callback_after_s=args.callback_after)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_arguments(parser)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    report = run_shift(scenario_from(args))
    print_shift(report)
    write_json(args.out, report)


if __name__ == "__main__":
    main()
