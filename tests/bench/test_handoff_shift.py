"""The shift simulator: ample colleagues leave nobody waiting, widening opens a handoff to
everyone, a seed repeats a run, and on the default loaded shift the policy's routing serves
urgent customers better than first-come-first-served."""

from __future__ import annotations

from bench.handoff_shift import (
    ColleagueShift,
    Customer,
    FirstComeFirstServed,
    QueuePolicy,
    ShiftScenario,
    SkillRouting,
    customers,
    run_shift,
    simulate,
)
from service.handoff.policy import Routing

ONE_SKILL = Routing(skills=("general",))


def ample(hours: float) -> ShiftScenario:
    rota = tuple(ColleagueShift(f"c{n}", ("general",), 3, ((0, hours * 3600),)) for n in range(20))
    return ShiftScenario(hours=hours, per_hour=30, reason_mix={"customer_request": 1.0},
                         handling_mean_s={"general": 300}, rota=rota)


def test_ample_colleagues_of_one_skill_leave_nobody_waiting() -> None:
    scenario = ample(hours=4)
    drawn = customers(scenario, ONE_SKILL, {"customer_request": 2})
    assert len(drawn) > 60
    policies: list[QueuePolicy] = [SkillRouting(ONE_SKILL), FirstComeFirstServed()]
    for policy in policies:
        outcome = simulate(policy, scenario, drawn, ONE_SKILL.widen_after_s)
        assert len(outcome.waits) == len(drawn)
        assert max(outcome.waits.values()) == 0
        assert not outcome.abandoned and not outcome.callbacks and not outcome.unserved


def test_a_handoff_nobody_has_the_skill_for_waits_until_widened() -> None:
    routing = Routing(skills=("general", "lending"), reasons={"financial_difficulty": "lending"},
                      widen_after_s=90)
    scenario = ShiftScenario(hours=1, patience_mean_s=10_000, patience_min_s=10_000,
                             rota=(ColleagueShift("gen", ("general",), 1, ((0, 3600),)),))
    lending = Customer(0, 10.0, "financial_difficulty", "lending", 3, 60.0, 10_000.0)
    skill = simulate(SkillRouting(routing), scenario, [lending], routing.widen_after_s)
    assert skill.waits == {0: 90.0}
    assert simulate(FirstComeFirstServed(), scenario, [lending], routing.widen_after_s).waits == {0: 0.0}


def test_a_seed_repeats_the_shift() -> None:
    assert run_shift(ShiftScenario(seed=3)) == run_shift(ShiftScenario(seed=3))


def test_routing_serves_urgent_customers_better_than_fcfs_on_a_loaded_shift() -> None:
    report = run_shift(ShiftScenario())
    ours = report["results"]["skill_routing"]["by_priority"]["urgent"]
    fcfs = report["results"]["fcfs"]["by_priority"]["urgent"]
    assert ours["customers"] == fcfs["customers"] > 50
    assert ours["p95_wait_s"] < fcfs["p95_wait_s"]
    assert ours["abandoned"] < fcfs["abandoned"]
    for skill in ("cards_and_fraud", "vulnerable_customers"):
        ours_skill = report["results"]["skill_routing"]["by_skill"][skill]
        fcfs_skill = report["results"]["fcfs"]["by_skill"][skill]
        assert ours_skill["abandoned"] < fcfs_skill["abandoned"]
