"""Resident memory of running processes and their descendants, from ``/proc`` (Linux)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def descendants(pids: Iterable[int]) -> set[int]:
    """The processes and every process they started, still running."""
    found, todo = set(), list(pids)
    while todo:
        pid = todo.pop()
        if pid in found:
            continue
        found.add(pid)
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                todo += [int(c) for c in children.read_text().split()]
            except OSError:
                continue
    return found


def resident_mb(pids: Iterable[int], field: str = "VmRSS") -> float:
    """Sum of ``field`` over the processes and their descendants: ``VmRSS`` (resident now) or
    ``VmHWM`` (the peak)."""
    total_kb = 0
    for pid in descendants(pids):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(f"{field}:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


def peak_rss_mb(pids: Iterable[int]) -> float:
    """Sum of the peak resident memory (VmHWM) of the processes and their descendants."""
    return resident_mb(pids, "VmHWM")
