"""The consolidated list in OFSI's ``ConList.csv`` layout, read into one entry per Group ID.

The file opens with a ``Last Updated,dd/mm/yyyy`` line, then the header. Each row is one name
of a listed person or entity: ``Name 6`` is the surname (or the whole name of an entity),
``Name 1`` to ``Name 5`` the given names; rows that share a ``Group ID`` are the same target
under its primary name, its variations and its aliases (``Alias Type``). Dates are
``dd/mm/yyyy`` with ``00`` for an unknown day or month; a cell holding several values numbers
them: ``(1) 01/02/1970 (2) 00/00/1971``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from screening.errors import ListFormatError

GIVEN_COLUMNS = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5")
REQUIRED_COLUMNS = ("Name 6", *GIVEN_COLUMNS, "Name Non-Latin Script", "DOB", "Nationality",
                    "Group Type", "Alias Type", "Regime", "Group ID")
_NUMBERED = re.compile(r"\(\d+\)")
_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")

GroupType = Literal["individual", "entity", "ship"]
T = TypeVar("T")


@dataclass(frozen=True)
class PartialDate:
    """A date of birth as listed: the day or the month may be unknown."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate | None:
        """``dd/mm/yyyy`` with ``00`` for unknown parts; None when there is no year."""
        match = _DATE.fullmatch(text.strip())
        if match is None or int(match.group(3)) == 0:
            return None
        day, month, year = (int(part) for part in match.groups())
        return cls(year, month or None, day or None)

    def __str__(self) -> str:
        return f"{self.day or 0:02d}/{self.month or 0:02d}/{self.year:04d}"


@dataclass(frozen=True)
class ListedName:
    """One name of an entry: the surname (or entity name) apart from the given names."""

    surname: str
    given: tuple[str, ...]
    alias_type: str
    non_latin: bool = False

    @property
    def text(self) -> str:
        """The name as a person writes it: given names, then the surname."""
        return " ".join((*self.given, self.surname)).strip()


@dataclass(frozen=True)
class ListEntry:
    """A listed target: every name of its Group ID, its dates of birth and nationalities."""

    group_id: str
    group_type: GroupType
    names: tuple[ListedName, ...]
    dobs: tuple[PartialDate, ...]
    nationalities: tuple[str, ...]
    regime: str

    @property
    def primary_name(self) -> str:
        """The name of the row whose ``Alias Type`` is ``Primary name`` (else the first)."""
        for name in self.names:
            if name.alias_type.lower() == "primary name":
                return name.text
        return self.names[0].text


def load_list(path: str | Path) -> tuple[ListEntry, ...]:
    """Read a consolidated list file into entries, in the order their Group IDs first appear.

    Raises:
        ListFormatError: the file is missing, or its header lacks a column the screener reads.
    """
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ListFormatError(f"cannot read the sanctions list {source}: {error}") from error
    lines = text.splitlines()
    if lines and lines[0].startswith("Last Updated"):
        lines = lines[1:]
    return parse_rows(csv.DictReader(lines), source=str(source))


def parse_rows(rows: csv.DictReader[str], source: str = "list") -> tuple[ListEntry, ...]:
    """Group the rows of a consolidated list by Group ID into entries."""
    missing = [column for column in REQUIRED_COLUMNS if column not in (rows.fieldnames or ())]
    if missing:
        raise ListFormatError(f"{source} is not in the ConList.csv layout: no column {', '.join(missing)}")
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        group_id = (row.get("Group ID") or "").strip()
        if group_id:
            grouped.setdefault(group_id, []).append(row)
    return tuple(_entry(group_id, group) for group_id, group in grouped.items())


def _entry(group_id: str, rows: list[dict[str, str]]) -> ListEntry:
    names: list[ListedName] = []
    dobs: list[PartialDate] = []
    nationalities: list[str] = []
    for row in rows:
        alias_type = _cell(row, "Alias Type") or "Primary name"
        surname = _cell(row, "Name 6")
        given = tuple(part for part in (_cell(row, column) for column in GIVEN_COLUMNS) if part)
        if surname or given:
            _add(names, ListedName(surname, given, alias_type))
        non_latin = _cell(row, "Name Non-Latin Script")
        if non_latin:
            _add(names, ListedName(non_latin, (), alias_type, non_latin=True))
        for value in _numbered(_cell(row, "DOB")):
            date = PartialDate.parse(value)
            if date is not None:
                _add(dobs, date)
        for value in _numbered(_cell(row, "Nationality")):
            _add(nationalities, value)
    kind = _cell(rows[0], "Group Type").lower()
    group_type: GroupType = "individual" if kind == "individual" else "ship" if kind == "ship" else "entity"
    return ListEntry(group_id, group_type, tuple(names), tuple(dobs), tuple(nationalities),
                     _cell(rows[0], "Regime"))


def _cell(row: dict[str, str], column: str) -> str:
    return (row.get(column) or "").strip()


def _numbered(value: str) -> list[str]:
    """``(1) A (2) B`` -> ``["A", "B"]``; a plain value -> ``[value]``."""
    return [part.strip() for part in _NUMBERED.split(value) if part.strip()]


def _add(items: list[T], item: T) -> None:
    if item not in items:
        items.append(item)
