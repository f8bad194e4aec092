"""The list file: OFSI's ConList.csv header, one entry per Group ID with its aliases, dates of
birth with unknown parts, several values in one cell, and files that are not the list."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from screening import ListEntry, ListFormatError, PartialDate, ScreeningSettings, load_list

# The header of OFSI's ConList.csv (2022 format), in its order.
OFSI_HEADER = [
    "Name 6", "Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Title", "Name Non-Latin Script",
    "Non-Latin Script Type", "Non-Latin Script Language", "DOB", "Town of Birth", "Country of Birth",
    "Nationality", "Passport Number", "Passport Details", "National Identification Number",
    "National Identification Details", "Position", "Address 1", "Address 2", "Address 3",
    "Address 4", "Address 5", "Address 6", "Post/Zip Code", "Country", "Other Information",
    "Group Type", "Alias Type", "Alias Quality", "Regime", "Listed On",
    "UK Sanctions List Date Designated", "Last Updated", "Group ID",
]


def by_id(entries: tuple[ListEntry, ...]) -> dict[str, ListEntry]:
    return {entry.group_id: entry for entry in entries}


def write_list(path: Path, rows: list[dict[str, str]], header: list[str] = OFSI_HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write("Last Updated,01/12/2026\r\n")
        writer = csv.DictWriter(file, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_shipped_file_has_ofsis_preamble_and_header() -> None:
    lines = ScreeningSettings().list_path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Last Updated,")
    assert next(csv.reader([lines[1]])) == OFSI_HEADER
    rows = list(csv.reader(lines[2:]))
    assert all(len(row) == len(OFSI_HEADER) for row in rows)
    assert {row[OFSI_HEADER.index("Alias Type")] for row in rows} == {
        "Primary name", "Primary name variation", "AKA"}
    assert {row[OFSI_HEADER.index("Group Type")] for row in rows} == {"Individual", "Entity"}


def test_rows_of_a_group_id_make_one_entry_with_every_alias(entries: tuple[ListEntry, ...]) -> None:
    assert len(entries) == 50
    assert len({entry.group_id for entry in entries}) == 50
    petrushenko = by_id(entries)["70001"]
    assert petrushenko.group_type == "individual"
    assert petrushenko.primary_name == "Aleksandr Viktorovich PETRUSHENKO"
    assert [name.text for name in petrushenko.names] == [
        "Aleksandr Viktorovich PETRUSHENKO", "ПЕТРУШЕНКО Александр Викторович",
        "Alexander Viktorovich PETRUSHENKO", "Oleksandr PETRUSHENKO"]
    assert petrushenko.dobs == (PartialDate(1968, 3, 14),)
    assert petrushenko.nationalities == ("Russia",)
    zarkan = by_id(entries)["70037"]
    assert zarkan.group_type == "entity" and zarkan.dobs == ()
    assert [name.text for name in zarkan.names] == [
        "ZARKAN TRADING COMPANY", "ZARKAN TRADING CO", "ZARKAN KISH"]


def test_unknown_day_and_month_are_none(entries: tuple[ListEntry, ...]) -> None:
    assert by_id(entries)["70004"].dobs == (PartialDate(1980, 6, None),)
    assert by_id(entries)["70002"].dobs == (PartialDate(1975, None, None),)
    assert str(PartialDate(1980, 6)) == "00/06/1980"
    assert PartialDate.parse("00/00/0000") is None
    assert PartialDate.parse("1980") is None


def test_numbered_values_in_one_cell_are_read_apart(tmp_path: Path) -> None:
    row = dict.fromkeys(OFSI_HEADER, "") | {
        "Name 6": "EXAMPLE", "Name 1": "Ivan", "DOB": "(1) 01/02/1970 (2) 00/00/1971",
        "Nationality": "(1) Russia (2) Belarus", "Group Type": "Individual",
        "Alias Type": "Primary name", "Regime": "Russia", "Group ID": "1"}
    alias = row | {"Name 6": "EKZAMPL", "Alias Type": "AKA", "DOB": "", "Nationality": ""}
    (entry,) = load_list(write_list(tmp_path / "ConList.csv", [row, alias]))
    assert entry.dobs == (PartialDate(1970, 2, 1), PartialDate(1971))
    assert entry.nationalities == ("Russia", "Belarus")
    assert [name.text for name in entry.names] == ["Ivan EXAMPLE", "Ivan EKZAMPL"]


def test_a_file_without_the_lists_columns_is_refused(tmp_path: Path) -> None:
    header = [column for column in OFSI_HEADER if column != "Group ID"]
    with pytest.raises(ListFormatError, match="Group ID"):
        load_list(write_list(tmp_path / "other.csv", [], header))
    with pytest.raises(ListFormatError, match="cannot read"):
        load_list(tmp_path / "missing.csv")
