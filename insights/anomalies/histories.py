"""Labelled transaction histories in JSON lines: the format the anomaly benchmark reads.

One customer a line::

    {"customer": "c0001", "test_from": "2024-10-01T00:00Z",
     "transactions": [{"at": "2024-10-03T13:45Z", "amount": -12.4, "description": "TESCO STORES",
                       "category": "groceries", "currency": "EUR", "kind": "card_payment",
                       "label": "card_testing", "incident": 2, "note": "christmas"}, ...]}

``currency`` is left out for pounds, ``kind`` (a ``TransactionKind``) where unknown.
``label`` (left out for a normal transaction) names the kind of planted anomaly; ``incident``
groups the transactions of one planted incident (a burst); ``note`` tags a normal transaction
that looks unusual (a hard negative). Transactions before ``test_from`` are the history; those
from then on are scored, oldest first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bank.enums import Category, TransactionKind
from insights.anomalies.events import HOME_CURRENCY, TransactionEvent

TIME_FORMAT = "%Y-%m-%dT%H:%MZ"


@dataclass(frozen=True, slots=True)
class LabelledEvent:
    """A transaction with what the generator knows about it."""

    event: TransactionEvent
    label: str | None = None
    incident: int | None = None
    note: str | None = None

    @property
    def anomaly(self) -> bool:
        return self.label is not None


@dataclass(frozen=True, slots=True)
class History:
    """One customer's transactions, oldest first, and where the scored part starts."""

    customer: str
    test_from: datetime
    transactions: tuple[LabelledEvent, ...]

    @property
    def training(self) -> list[TransactionEvent]:
        return [t.event for t in self.transactions if t.event.booked_at < self.test_from]

    @property
    def test(self) -> list[LabelledEvent]:
        return [t for t in self.transactions if t.event.booked_at >= self.test_from]


def _parse_time(text: str) -> datetime:
    at = datetime.fromisoformat(text)
    if at.tzinfo is None:
        raise ValueError(f"time without a timezone: {text!r}")
    return at


def history_from_json(record: dict[str, Any]) -> History:
    """A history from one decoded line (``ValueError`` when a field is missing or wrong)."""
    try:
        rows = [
            LabelledEvent(
                TransactionEvent(
                    booked_at=_parse_time(row["at"]),
                    amount=float(row["amount"]),
                    description=str(row["description"]),
                    category=Category(row["category"]),
                    currency=str(row.get("currency") or HOME_CURRENCY).upper(),
                    kind=TransactionKind(row["kind"]) if row.get("kind") else None,
                ),
                label=row.get("label"),
                incident=row.get("incident"),
                note=row.get("note"),
            )
            for row in record["transactions"]
        ]
        return History(str(record["customer"]), _parse_time(record["test_from"]),
                       tuple(sorted(rows, key=lambda row: row.event.booked_at)))
    except (KeyError, TypeError) as error:
        raise ValueError(f"not a labelled history: missing or wrong {error}") from error


def history_to_json(history: History) -> dict[str, Any]:
    rows = []
    for row in history.transactions:
        event = row.event
        item: dict[str, Any] = {"at": event.booked_at.strftime(TIME_FORMAT), "amount": round(event.amount, 2),
                                "description": event.description, "category": event.category.value}
        if event.is_foreign:
            item["currency"] = event.currency
        if event.kind is not None:
            item["kind"] = event.kind.value
        for key, value in (("label", row.label), ("incident", row.incident), ("note", row.note)):
            if value is not None:
                item[key] = value
        rows.append(item)
    return {"customer": history.customer, "test_from": history.test_from.strftime(TIME_FORMAT),
            "transactions": rows}


def read_histories(path: Path) -> list[History]:
    """Every history of a JSON-lines file (blank lines skipped)."""
    return list(_read(path))


def _read(path: Path) -> Iterator[History]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield history_from_json(json.loads(line))
            except ValueError as error:
                raise ValueError(f"{path}:{number}: {error}") from error


def write_histories(path: Path, histories: Iterable[History]) -> int:
    """Write histories one a line; how many were written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for history in histories:
            out.write(json.dumps(history_to_json(history), separators=(",", ":"), ensure_ascii=False) + "\n")
            count += 1
    return count
