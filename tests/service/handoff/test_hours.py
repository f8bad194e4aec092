"""Opening hours from the policy: open or closed at a moment, the next opening across nights,
Sundays, bank holidays and the clock change, the callback slots inside them, and what the
queued notice offers in and out of hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from service.handoff.callbacks import check_slot, waiting_extras
from service.handoff.hours import OpeningHours, spoken
from service.handoff.policy import EscalationPolicy

LONDON = ZoneInfo("Europe/London")
HOURS = OpeningHours(days={"mon": "08:00-20:00", "tue": "08:00-20:00", "wed": "08:00-20:00",
                           "thu": "08:00-20:00", "fri": "08:00-20:00", "sat": "09:00-17:00"},
                     closed_dates=(date(2026, 12, 25),))


def london(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(("at", "is_open"), [
    (london(2026, 12, 7, 7, 59), False),  # Monday before opening
    (london(2026, 12, 7, 8, 0), True),
    (london(2026, 12, 7, 19, 59), True),
    (london(2026, 12, 7, 20, 0), False),  # closing time is closed
    (london(2026, 12, 12, 16, 30), True),  # Saturday
    (london(2026, 12, 12, 17, 0), False),
    (london(2026, 12, 13, 12, 0), False),  # Sunday
    (london(2026, 12, 25, 12, 0), False),  # a closed date
])
def test_is_open(at: datetime, is_open: bool) -> None:
    assert HOURS.is_open(at) is is_open


def test_is_open_reads_utc_in_local_time() -> None:
    # 07:30 UTC in June is 08:30 in London (summer time): open.
    assert HOURS.is_open(datetime(2026, 6, 1, 7, 30, tzinfo=UTC))
    assert not HOURS.is_open(datetime(2026, 12, 7, 7, 30, tzinfo=UTC))


@pytest.mark.parametrize(("at", "opens"), [
    (london(2026, 12, 7, 21, 0), london(2026, 12, 8, 8, 0)),  # overnight
    (london(2026, 12, 12, 18, 0), london(2026, 12, 14, 8, 0)),  # Saturday evening -> Monday
    (london(2026, 12, 24, 20, 30), london(2026, 12, 26, 9, 0)),  # over the closed Christmas day
    (london(2026, 12, 7, 10, 0), london(2026, 12, 7, 10, 0)),  # open now: now
    (london(2027, 3, 27, 18, 0), london(2027, 3, 29, 8, 0)),  # over the clock change
])
def test_next_opening(at: datetime, opens: datetime) -> None:
    assert HOURS.next_opening(at) == opens


def test_never_open_has_no_next_opening() -> None:
    assert OpeningHours(days={}).next_opening(london(2026, 12, 7, 9, 0)) is None


def test_slots_cover_three_working_days_inside_hours() -> None:
    slots = HOURS.slots(london(2026, 12, 11, 19, 0), 30, 3)  # Friday 19:00
    assert slots[0] == london(2026, 12, 11, 19, 0) and slots[1] == london(2026, 12, 11, 19, 30)
    days = sorted({s.date() for s in slots})
    assert days == [date(2026, 12, 11), date(2026, 12, 12), date(2026, 12, 14)]  # Sunday skipped
    assert all(HOURS.within(s, s + timedelta(minutes=30)) for s in slots)
    assert len([s for s in slots if s.date() == date(2026, 12, 12)]) == 16  # 09:00..16:30


def test_slots_keep_their_notice() -> None:
    slots = HOURS.slots(london(2026, 12, 7, 9, 50), 30, 1, timedelta(minutes=15))
    assert slots[0] == london(2026, 12, 7, 10, 30)


@pytest.mark.parametrize("days", [{"mon": "8-20"}, {"mon": "20:00-08:00"}, {"monday": "08:00-20:00"}])
def test_bad_hours_are_refused(days: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        OpeningHours(days=days)


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown time zone"):
        OpeningHours(timezone="Mars/Olympus")


def test_spoken() -> None:
    assert spoken(london(2026, 12, 8, 9, 30)) == "Tue 8 Dec at 09:30"


def test_the_shipped_policy_has_hours_and_callbacks() -> None:
    policy = EscalationPolicy.load()
    assert policy.opening_hours.timezone == "Europe/London"
    assert policy.opening_hours.is_open(london(2026, 12, 8, 9, 0))
    assert not policy.opening_hours.is_open(london(2026, 12, 13, 9, 0))
    assert policy.callbacks.slot_minutes == 30 and policy.waiting.fraud_line


# -- what the queued notice adds -------------------------------------------------------

POLICY = EscalationPolicy.load()


def test_closed_offers_the_choices_and_the_next_opening() -> None:
    text, fields = waiting_extras(POLICY, "complaint", 60, True, london(2026, 12, 7, 21, 0))
    assert "open again on Tue 8 Dec at 08:00" in text
    assert [c["title"] for c in fields["choices"]] == ["Book a callback", "Leave a message",
                                                        "Back to the assistant"]


def test_open_with_nobody_online_offers_the_choices() -> None:
    text, fields = waiting_extras(POLICY, "complaint", 60, False, london(2026, 12, 7, 10, 0))
    assert text and len(fields["choices"]) == 3


def test_open_online_and_a_short_wait_offers_nothing() -> None:
    assert waiting_extras(POLICY, "complaint", 60, True, london(2026, 12, 7, 10, 0)) == ("", {})


def test_a_long_wait_offers_the_choices() -> None:
    long_wait = POLICY.waiting.offer_after_wait_s + 1
    text, fields = waiting_extras(POLICY, "complaint", long_wait, True, london(2026, 12, 7, 10, 0))
    assert "longer than usual" in text and len(fields["choices"]) == 3


@pytest.mark.parametrize("reason", ["fraud", "lost_or_stolen_card", "scam_warning", "vulnerability"])
def test_urgent_reasons_keep_their_place_and_get_the_fraud_line(reason: str) -> None:
    text, fields = waiting_extras(POLICY, reason, 5000, False, london(2026, 12, 7, 23, 0), card_frozen=True)
    assert "choices" not in fields and fields["urgent"] is True
    assert POLICY.waiting.fraud_line in text and "already frozen" in text and "closed right now" in text


def test_urgent_without_a_frozen_card_does_not_say_it_is_frozen() -> None:
    text, _ = waiting_extras(POLICY, "fraud", 60, True, london(2026, 12, 7, 10, 0))
    assert "frozen" not in text and POLICY.waiting.fraud_line in text


@pytest.mark.parametrize(("start", "code"), [
    (london(2026, 12, 7, 9, 0), "slot_in_past"),
    (london(2026, 12, 13, 10, 0), "slot_outside_hours"),  # Sunday
    (london(2026, 12, 8, 19, 45), "slot_outside_hours"),  # would end after closing
    (london(2026, 12, 8, 10, 10), "slot_not_boundary"),
    (london(2026, 12, 7, 10, 0), "slot_too_soon"),  # 5 minutes ahead, 15 needed
    (london(2026, 12, 21, 10, 0), "slot_too_far"),
])
def test_check_slot_refuses(start: datetime, code: str) -> None:
    from service.handoff.callbacks import CallbackRefused

    with pytest.raises(CallbackRefused) as refused:
        check_slot(POLICY, start, london(2026, 12, 7, 9, 55))
    assert refused.value.code == code and refused.value.status_code == 422


def test_check_slot_accepts_an_offered_slot() -> None:
    end = check_slot(POLICY, london(2026, 12, 8, 9, 30), london(2026, 12, 7, 21, 0))
    assert end == london(2026, 12, 8, 10, 0)
