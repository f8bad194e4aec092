"""Payees' names, sort codes and account numbers are stored sealed (``database.sealed``): the
columns widen to hold ciphertext and the rows already there are encrypted in place with
``DATABASE_RECORD_KEY`` (downgrade decrypts them with it).

Revision ID: 0017_sealed_payees
Revises: 0016_standing_order_keys
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from database.sealed import SEALED_LENGTH, record_cipher

revision: str = "0017_sealed_payees"
down_revision: str | None = "0016_standing_order_keys"
branch_labels = None
depends_on = None

# column: (plain length before this revision, sealed deterministically)
COLUMNS = {
    "display_name": (70, False),
    "holder_name": (70, False),
    "sort_code": (6, True),
    "account_number": (8, True),
}
PAYEES = sa.table("payees", sa.column("id", sa.String), *(sa.column(name, sa.String) for name in COLUMNS))


def _resize(lengths: dict[str, tuple[int, int]]) -> None:
    with op.batch_alter_table("payees") as batch:
        for name, (before, after) in lengths.items():
            batch.alter_column(name, existing_type=sa.String(before), type_=sa.String(after),
                               existing_nullable=False)


def _rewrite(seal: bool) -> None:
    cipher, bind = record_cipher(), op.get_bind()
    for row in bind.execute(sa.select(PAYEES)).mappings().all():
        values = {}
        for name, (_length, deterministic) in COLUMNS.items():
            purpose = f"payees.{name}"
            values[name] = (cipher.seal(row[name], purpose, deterministic) if seal
                            else cipher.open(row[name], purpose, deterministic))
        bind.execute(sa.update(PAYEES).where(PAYEES.c.id == row["id"]).values(**values))


def upgrade() -> None:
    _resize({name: (length, SEALED_LENGTH) for name, (length, _) in COLUMNS.items()})
    _rewrite(seal=True)


def downgrade() -> None:
    _rewrite(seal=False)
    _resize({name: (SEALED_LENGTH, length) for name, (length, _) in COLUMNS.items()})
