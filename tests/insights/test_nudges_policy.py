"""The nudge policy: consent, caps, quiet hours held until morning, duplicates, expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from insights.nudges import Nudge, NudgeKind, NudgeSettings, SentNudge, Verdict, decide, recheck
from insights.nudges.nudge import nudge_id

ALL = frozenset({"marketing", "profiling"})
NOON = datetime(2025, 6, 10, 11, 0, tzinfo=UTC)  # 12:00 in London (BST)
LATE = datetime(2025, 6, 10, 21, 30, tzinfo=UTC)  # 22:30 in London
SETTINGS = NudgeSettings(max_per_day=1, max_per_week=3, max_per_kind_per_week=1, duplicate_days=30)


def nudge(
    kind: NudgeKind = NudgeKind.SALARY_ARRIVED,
    subject: str = "txn_1",
    now: datetime = NOON,
    ttl: timedelta = timedelta(hours=36),
    variant: str = "plain",
) -> Nudge:
    return Nudge(
        nudge_id("cus_001", kind, subject),
        "cus_001",
        kind,
        subject,
        "t",
        "text",
        (),
        {},
        now,
        now + ttl,
        variant=variant,
    )


def test_sent_now_in_the_day() -> None:
    [decision] = decide([nudge()], ALL, [], NOON, SETTINGS)
    assert decision.verdict == Verdict.SEND and decision.deliver_at == NOON


def test_no_consent_no_nudge() -> None:
    [decision] = decide([nudge()], frozenset(), [], NOON, SETTINGS)
    assert decision.verdict == Verdict.SUPPRESS and decision.reason == "no marketing consent"
    [product] = decide([nudge(NudgeKind.IDLE_CASH, "acc_1")], frozenset({"marketing"}), [], NOON, SETTINGS)
    assert product.verdict == Verdict.SUPPRESS and product.reason == "no profiling consent"


def test_quiet_hours_hold_until_eight_in_the_morning_london_time() -> None:
    [decision] = decide([nudge(now=LATE)], ALL, [], LATE, SETTINGS)
    assert decision.verdict == Verdict.HOLD
    assert decision.deliver_at == datetime(2025, 6, 11, 7, 0, tzinfo=UTC)  # 08:00 BST
    early = datetime(2025, 12, 10, 6, 30, tzinfo=UTC)  # 06:30 GMT, same morning
    [winter] = decide([nudge(now=early)], ALL, [], early, SETTINGS)
    assert winter.verdict == Verdict.HOLD and winter.deliver_at == datetime(2025, 12, 10, 8, 0, tzinfo=UTC)


def test_a_nudge_that_would_expire_overnight_is_dropped_not_sent_at_night() -> None:
    [decision] = decide([nudge(now=LATE, ttl=timedelta(hours=2))], ALL, [], LATE, SETTINGS)
    assert decision.verdict == Verdict.SUPPRESS and "quiet hours" in (decision.reason or "")


def test_held_nudge_is_rechecked_at_delivery() -> None:
    held = nudge(now=LATE)
    morning = datetime(2025, 6, 11, 7, 0, tzinfo=UTC)
    assert recheck(held, ALL, morning, SETTINGS).verdict == Verdict.SEND
    assert recheck(held, ALL, LATE + timedelta(minutes=5), SETTINGS).verdict == Verdict.HOLD
    assert recheck(held, frozenset(), morning, SETTINGS).verdict == Verdict.SUPPRESS  # consent withdrawn
    assert recheck(held, ALL, LATE + timedelta(days=3), SETTINGS).reason == "expired"


def test_daily_cap_keeps_the_most_urgent() -> None:
    batch = [nudge(NudgeKind.SALARY_ARRIVED), nudge(NudgeKind.SHORTFALL_BEFORE_BILL, "so_1@2025-06-15")]
    decisions = decide(batch, ALL, [], NOON, SETTINGS)
    by_kind = {d.kind: d for d in decisions}
    assert by_kind[NudgeKind.SHORTFALL_BEFORE_BILL].verdict == Verdict.SEND
    assert by_kind[NudgeKind.SALARY_ARRIVED].reason == "daily cap of 1 reached"


def test_weekly_and_per_kind_caps_count_history() -> None:
    loose = NudgeSettings(max_per_day=5, max_per_week=2, max_per_kind_per_week=1)
    sent = [
        SentNudge("nud_a", NudgeKind.IDLE_CASH, "acc_9", NOON - timedelta(days=2)),
        SentNudge("nud_b", NudgeKind.SALARY_ARRIVED, "txn_0", NOON - timedelta(days=3)),
    ]
    [decision] = decide([nudge(NudgeKind.SHORTFALL_BEFORE_BILL, "so_1@x")], ALL, sent, NOON, loose)
    assert decision.reason == "weekly cap of 2 reached"
    [again] = decide([nudge(NudgeKind.SALARY_ARRIVED, "txn_2")], ALL, sent[1:], NOON, loose)
    assert again.reason == "weekly cap of 1 for salary_arrived reached"
    five_days = NOON + timedelta(days=5)
    [later] = decide([nudge(NudgeKind.SALARY_ARRIVED, "txn_2", five_days)], ALL, sent[1:], five_days, loose)
    assert later.verdict == Verdict.SEND


def test_a_held_nudge_counts_against_the_cap_of_its_morning() -> None:
    held = SentNudge(
        "nud_h", NudgeKind.SHORTFALL_BEFORE_BILL, "so@x", datetime(2025, 6, 11, 7, 0, tzinfo=UTC)
    )
    morning = datetime(2025, 6, 11, 6, 0, tzinfo=UTC)
    [decision] = decide([nudge(now=morning)], ALL, [held], morning, SETTINGS)
    assert decision.reason == "daily cap of 1 reached"


def test_no_duplicate_of_the_same_kind_and_subject() -> None:
    loose = NudgeSettings(max_per_day=5, max_per_week=5, max_per_kind_per_week=5, duplicate_days=30)
    sent = [SentNudge("nud_a", NudgeKind.IDLE_CASH, "acc_1", NOON - timedelta(days=20))]
    [dup] = decide([nudge(NudgeKind.IDLE_CASH, "acc_1")], ALL, sent, NOON, loose)
    assert dup.verdict == Verdict.SUPPRESS and "already sent" in (dup.reason or "")
    [other] = decide([nudge(NudgeKind.IDLE_CASH, "acc_2")], ALL, sent, NOON, loose)
    assert other.verdict == Verdict.SEND
    after = NOON + timedelta(days=11)
    [month_later] = decide([nudge(NudgeKind.IDLE_CASH, "acc_1", after)], ALL, sent, after, loose)
    assert month_later.verdict == Verdict.SEND
    twice = decide([nudge(), nudge()], ALL, [], NOON, loose)
    assert [d.verdict for d in twice] == [Verdict.SEND, Verdict.SUPPRESS]


def test_expired_and_control_arm_are_suppressed() -> None:
    [old] = decide([nudge(ttl=timedelta(0))], ALL, [], NOON, SETTINGS)
    assert old.reason == "expired"
    [control] = decide([nudge(variant="off")], ALL, [], NOON, SETTINGS)
    assert control.verdict == Verdict.SUPPRESS and "control" in (control.reason or "")


def test_settings_read_from_the_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("INSIGHTS_NUDGE_MAX_PER_DAY", "4")
    monkeypatch.setenv("INSIGHTS_NUDGE_QUIET_START", "22:30")
    settings = NudgeSettings()
    assert settings.max_per_day == 4 and settings.quiet_start.hour == 22
