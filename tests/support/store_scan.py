"""Reads every cell of every table of a database as text, to look for what must not be there.

Used by the erasure tests and the canary test (``tests/privacy/test_canary.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, MetaData, create_engine, select


@dataclass(frozen=True)
class Cell:
    """One non-empty value: where it is, its text (bytes read as Latin-1) and whether its
    column holds integers (row numbers, sequences, references to other rows, counts)."""

    table: str
    column: str
    text: str
    integer: bool = False


def as_text(value: Any) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("latin-1")
    return str(value)


def database_cells(url: str) -> Iterator[Cell]:
    """Every non-null cell of every table at ``url`` (all columns, as text)."""
    engine = create_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                for row in connection.execute(select(table)):
                    for column, value in zip(table.columns, row, strict=True):
                        if value is not None:
                            integer = isinstance(column.type, Integer)
                            yield Cell(table.name, column.name, as_text(value), integer)
    finally:
        engine.dispose()


def tables_mentioning(url: str, needle: str) -> set[str]:
    """Names of the tables with a cell containing ``needle``."""
    return {cell.table for cell in database_cells(url) if needle in cell.text}
