"""What happened to money and cards: a transaction's kind, status (booked, pending, declined,
reverted) with its reason, and a foreign-currency payment's original amount and rate; a
transfer's status and cancellation window; cards in the post.

Rows already stored are booked transactions and completed transfers; their kind is worked out
from the category and the transfer they belong to.

Revision ID: 0012_account_status
Revises: 0011_staff_provider_audit_seal
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_account_status"
down_revision: str | None = "0011_staff_provider_audit_seal"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=14, scale=2)
TZ = sa.DateTime(timezone=True)

# The closed value sets as they are today (bank.enums may grow; this revision does not).
TRANSACTION_KINDS = (
    "card_payment",
    "cash_withdrawal",
    "direct_debit",
    "transfer",
    "bank_transfer_in",
    "card_top_up",
    "cash_deposit",
    "cheque_deposit",
    "interest",
    "other",
)
TRANSACTION_STATUSES = ("booked", "pending", "declined", "reverted")
STATUS_REASONS = (
    "insufficient_funds",
    "card_frozen",
    "incorrect_pin",
    "suspected_fraud",
    "limit_exceeded",
    "card_expired",
    "issuer_declined",
    "details_mismatch",
    "merchant_reversed",
    "cancelled_by_customer",
)
TRANSFER_STATUSES = ("pending", "completed", "cancelled")
DELIVERY_REASONS = ("new", "replacement", "renewal")
DELIVERY_STATUSES = ("ordered", "dispatched", "delivered")

# (kind, condition) applied in order to the rows stored before this revision
BACKFILL = (
    ("transfer", "transfer_id IS NOT NULL"),
    ("cash_withdrawal", "category = 'cash'"),
    ("bank_transfer_in", "category = 'salary'"),
    ("interest", "description = 'Interest'"),
    ("direct_debit", "category IN ('rent', 'utilities')"),
    (
        "card_payment",
        "amount < 0 AND category IN ('groceries', 'transport', 'eating_out', 'shopping', "
        "'entertainment')",
    ),
)


def _allowed(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    with op.batch_alter_table("transactions") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="other"))
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="booked"))
        batch.add_column(sa.Column("status_reason", sa.String(24), nullable=True))
        batch.add_column(sa.Column("original_amount", MONEY, nullable=True))
        batch.add_column(sa.Column("original_currency", sa.String(3), nullable=True))
        batch.add_column(sa.Column("exchange_rate", sa.Numeric(12, 6), nullable=True))
        batch.create_check_constraint(
            op.f("ck_transactions_transaction_kind"), _allowed("kind", TRANSACTION_KINDS)
        )
        batch.create_check_constraint(
            op.f("ck_transactions_transaction_status"), _allowed("status", TRANSACTION_STATUSES)
        )
        batch.create_check_constraint(
            op.f("ck_transactions_status_reason"), _allowed("status_reason", STATUS_REASONS)
        )
    for kind, condition in BACKFILL:
        op.execute(f"UPDATE transactions SET kind = '{kind}' WHERE kind = 'other' AND {condition}")

    with op.batch_alter_table("transfers") as batch:
        batch.add_column(
            sa.Column("status", sa.String(16), nullable=False, server_default="completed")
        )
        batch.add_column(sa.Column("cancellable_until", TZ, nullable=True))
        batch.add_column(sa.Column("cancelled_at", TZ, nullable=True))
        batch.create_check_constraint(
            op.f("ck_transfers_transfer_status"), _allowed("status", TRANSFER_STATUSES)
        )

    op.create_table(
        "card_deliveries",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.String(32), nullable=False),
        sa.Column("last4", sa.String(4), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("ordered_at", TZ, nullable=False),
        sa.Column("dispatched_at", TZ, nullable=True),
        sa.Column("expected_by", sa.Date(), nullable=False),
        sa.CheckConstraint(
            _allowed("reason", DELIVERY_REASONS), name=op.f("ck_card_deliveries_card_delivery_reason")
        ),
        sa.CheckConstraint(
            _allowed("status", DELIVERY_STATUSES), name=op.f("ck_card_deliveries_card_delivery_status")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_card_deliveries_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_deliveries")),
    )
    op.create_index(op.f("ix_card_deliveries_account_id"), "card_deliveries", ["account_id"])


def downgrade() -> None:
    op.drop_table("card_deliveries")
    with op.batch_alter_table("transfers") as batch:
        batch.drop_constraint(op.f("ck_transfers_transfer_status"), type_="check")
        for column in ("cancelled_at", "cancellable_until", "status"):
            batch.drop_column(column)
    with op.batch_alter_table("transactions") as batch:
        for check in ("status_reason", "transaction_status", "transaction_kind"):
            batch.drop_constraint(op.f(f"ck_transactions_{check}"), type_="check")
        for column in (
            "exchange_rate",
            "original_currency",
            "original_amount",
            "status_reason",
            "status",
            "kind",
        ):
            batch.drop_column(column)
