"""When colleagues are at work: the weekly opening hours in one time zone, closed dates, and
the callback slots inside them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]|24):([0-5]\d)$")
_SEARCH_DAYS = 366  # how far ahead the next opening is looked for


def _span(text: str) -> tuple[time, time]:
    match = _SPAN.match(text.strip())
    if match is None:
        raise ValueError(f"opening hours {text!r} are not HH:MM-HH:MM")
    start_h, start_m, end_h, end_m = (int(g) for g in match.groups())
    start = time(start_h, start_m)
    end = time.max if (end_h, end_m) >= (24, 0) else time(end_h, end_m)
    if end <= start:
        raise ValueError(f"opening hours {text!r} end before they start")
    return start, end


class OpeningHours(BaseModel):
    """Opening hours per weekday (``mon: "08:00-20:00"``; a day not listed is closed), in
    ``timezone``; ``closed_dates`` (bank holidays) are closed all day."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    timezone: str = "Europe/London"
    days: dict[str, str] = Field(
        default={d: "08:00-20:00" for d in DAYS[:5]} | {"sat": "09:00-17:00"}
    )
    closed_dates: tuple[date, ...] = ()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("days")
    @classmethod
    def _valid_days(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(DAYS))
        if unknown:
            raise ValueError(f"unknown weekdays {', '.join(unknown)}; use {', '.join(DAYS)}")
        for span in value.values():
            _span(span)
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, at: datetime) -> datetime:
        """``at`` (aware) in the opening hours' time zone."""
        return _aware(at).astimezone(self.zone)

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """When ``day`` (a local date) opens and closes, as aware datetimes; None if closed."""
        span = self.days.get(DAYS[day.weekday()])
        if span is None or day in self.closed_dates:
            return None
        start, end = _span(span)
        opens = datetime.combine(day, start, tzinfo=self.zone)
        closes = (datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone)
                  if end == time.max else datetime.combine(day, end, tzinfo=self.zone))
        return opens, closes

    def windows(self, after: datetime, days: int = _SEARCH_DAYS) -> Iterator[tuple[datetime, datetime]]:
        """Opening windows from the local day of ``after`` on, for ``days`` days."""
        first = self.local(after).date()
        for offset in range(days):
            window = self.window(first + timedelta(days=offset))
            if window is not None:
                yield window

    def is_open(self, at: datetime) -> bool:
        """Whether colleagues are at work at ``at``."""
        window = self.window(self.local(at).date())
        return window is not None and window[0] <= _aware(at) < window[1]

    def next_opening(self, at: datetime) -> datetime | None:
        """``at`` itself while open, else when it next opens (local time); None if never."""
        at = _aware(at)
        for opens, closes in self.windows(at):
            if at < closes:
                return self.local(at) if opens <= at else opens
        return None

    def slots(self, now: datetime, minutes: int, working_days: int,
              notice: timedelta = timedelta(0)) -> list[datetime]:
        """Slot starts every ``minutes`` inside opening hours on the next ``working_days`` open
        days (today included while it is still open), from ``now + notice`` on; each slot ends
        by closing time."""
        earliest = _aware(now) + notice
        step = timedelta(minutes=minutes)
        found: list[datetime] = []
        days = 0
        for opens, closes in self.windows(now):
            if closes <= earliest:
                continue
            days += 1
            start = opens
            while start + step <= closes:
                if start >= earliest:
                    found.append(start)
                start += step
            if days >= working_days:
                break
        return found

    def is_slot_boundary(self, at: datetime, minutes: int) -> bool:
        """Whether ``at`` starts a slot of ``minutes`` counted from its day's opening time."""
        window = self.window(self.local(at).date())
        if window is None:
            return False
        offset = (_aware(at) - window[0]).total_seconds()
        return offset >= 0 and offset % (minutes * 60) == 0

    def within(self, start: datetime, end: datetime) -> bool:
        """Whether ``start``..``end`` lies inside one opening window."""
        window = self.window(self.local(start).date())
        return window is not None and window[0] <= _aware(start) and _aware(end) <= window[1]


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def spoken(at: datetime) -> str:
    """A local time as the customer reads it: "Tue 8 Dec at 09:30"."""
    return f"{at:%a} {at.day} {at:%b} at {at:%H:%M}"
