"""A sliding window of numbers kept sorted, with its median and median absolute deviation."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import deque
from collections.abc import Iterable


class SortedWindow:
    """The latest ``size`` values, in arrival order and sorted; median and MAD on demand.

    Adding is O(size) at worst (a list insert); the median is read in O(1) and the MAD is
    worked out once after each change.
    """

    __slots__ = ("_arrival", "_sorted", "_size", "_mad")

    def __init__(self, size: int, values: Iterable[float] = ()) -> None:
        self._size = size
        self._arrival: deque[float] = deque()
        self._sorted: list[float] = []
        self._mad: float | None = None
        for value in values:
            self.add(value)

    @classmethod
    def of_latest(cls, size: int, values: list[float]) -> SortedWindow:
        """A window holding the last ``size`` of ``values`` (oldest first), built in one go."""
        window = cls(size)
        kept = values[-size:]
        window._arrival.extend(kept)
        window._sorted = sorted(kept)
        return window

    def __len__(self) -> int:
        return len(self._sorted)

    def add(self, value: float) -> None:
        self._arrival.append(value)
        insort(self._sorted, value)
        if len(self._arrival) > self._size:
            oldest = self._arrival.popleft()
            del self._sorted[bisect_left(self._sorted, oldest)]
        self._mad = None

    @property
    def values(self) -> list[float]:
        """The values, sorted (a copy)."""
        return list(self._sorted)

    @property
    def arrival(self) -> list[float]:
        """The values, oldest first (a copy)."""
        return list(self._arrival)

    @property
    def median(self) -> float:
        return _median(self._sorted)

    @property
    def mad(self) -> float:
        """The median absolute deviation from the median (0.0 for fewer than two values)."""
        if self._mad is None:
            centre = self.median
            self._mad = _median(sorted(abs(value - centre) for value in self._sorted))
        return self._mad

    @property
    def maximum(self) -> float:
        return self._sorted[-1]


def _median(ordered: list[float]) -> float:
    n = len(ordered)
    if n == 0:
        return 0.0
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
