"""Dashboard filters (date range, channel, segment) as SQL conditions on ``journeys``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from journeys.errors import InvalidFilter
from journeys.models import Journey


@dataclass(frozen=True)
class Filters:
    """Which journeys to aggregate; None means any."""

    date_from: date | None = None
    date_to: date | None = None
    channel: str | None = None
    segment: str | None = None

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidFilter("date_from is after date_to.", date_from=str(self.date_from),
                                date_to=str(self.date_to))

    @property
    def narrowed(self) -> bool:
        return any(v is not None for v in self.__dict__.values())

    def conditions(self, table: Any = Journey) -> list[Any]:
        """The filters on ``table`` (``journeys``, or a per-journey table that carries the
        journey's day, channel and segment)."""
        conds: list[Any] = []
        if self.date_from:
            conds.append(table.day >= self.date_from.isoformat())
        if self.date_to:
            conds.append(table.day <= self.date_to.isoformat())
        if self.channel:
            conds.append(table.channel == self.channel)
        if self.segment:
            conds.append(table.segment == self.segment)
        return conds

    def as_dict(self) -> dict[str, str | None]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items()}
