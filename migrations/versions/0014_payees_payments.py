"""Paying other people: the payee directory the payee check reads, customers' payees,
payments (to payees, and credit card repayments) with their idempotency keys, standing
orders and credit card statements; a transaction's payment and the ``payment`` kind.

Revision ID: 0014_payees_payments
Revises: 0013_staff_skills_routing
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_payees_payments"
down_revision: str | None = "0013_staff_skills_routing"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=14, scale=2)
TZ = sa.DateTime(timezone=True)

# The closed value sets as they are today (bank.enums may grow; this revision does not).
HOLDER_KINDS = ("personal", "business")
CHECK_OUTCOMES = ("match", "close_match", "no_match", "unavailable")
PAYMENT_STATUSES = ("completed", "scheduled", "cancelled", "review", "failed")
FREQUENCIES = ("weekly", "monthly")
STANDING_ORDER_STATUSES = ("active", "cancelled")
KINDS_BEFORE = (
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
KINDS_AFTER = (*KINDS_BEFORE, "payment")


def _allowed(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _check(table: str, column: str, name: str, values: Sequence[str]) -> sa.CheckConstraint:
    return sa.CheckConstraint(_allowed(column, values), name=op.f(f"ck_{table}_{name}"))


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    op.create_table(
        "payee_directory",
        sa.Column("sort_code", sa.String(6), nullable=False),
        sa.Column("account_number", sa.String(8), nullable=False),
        sa.Column("holder_name", sa.String(70), nullable=False),
        sa.Column("holder_kind", sa.String(16), nullable=False),
        sa.Column("in_scheme", sa.Boolean(), nullable=False),
        sa.Column("account_id", sa.String(32), nullable=True),
        _check("payee_directory", "holder_kind", "holder_kind", HOLDER_KINDS),
        _fk("payee_directory", "account_id", "accounts"),
        sa.PrimaryKeyConstraint("sort_code", "account_number", name=op.f("pk_payee_directory")),
    )
    op.create_index(op.f("ix_payee_directory_account_id"), "payee_directory", ["account_id"])

    op.create_table(
        "payees",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("customer_id", sa.String(32), nullable=False),
        sa.Column("display_name", sa.String(70), nullable=False),
        sa.Column("holder_name", sa.String(70), nullable=False),
        sa.Column("holder_kind", sa.String(16), nullable=False),
        sa.Column("sort_code", sa.String(6), nullable=False),
        sa.Column("account_number", sa.String(8), nullable=False),
        sa.Column("check_outcome", sa.String(16), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("removed_at", TZ, nullable=True),
        _check("payees", "holder_kind", "holder_kind", HOLDER_KINDS),
        _check("payees", "check_outcome", "payee_check_outcome", CHECK_OUTCOMES),
        _fk("payees", "customer_id", "customers"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payees")),
    )
    op.create_index(op.f("ix_payees_customer_id"), "payees", ["customer_id"])

    op.create_table(
        "payments",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("customer_id", sa.String(32), nullable=False),
        sa.Column("source_account_id", sa.String(32), nullable=False),
        sa.Column("payee_id", sa.String(32), nullable=True),
        sa.Column("destination_account_id", sa.String(32), nullable=True),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("reference", sa.String(18), nullable=True),
        sa.Column("scheduled_for", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("review_reason", sa.String(64), nullable=True),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("completed_at", TZ, nullable=True),
        sa.Column("cancelled_at", TZ, nullable=True),
        _check("payments", "status", "payment_status", PAYMENT_STATUSES),
        _fk("payments", "customer_id", "customers"),
        _fk("payments", "source_account_id", "accounts"),
        _fk("payments", "payee_id", "payees"),
        _fk("payments", "destination_account_id", "accounts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint(
            "customer_id", "idempotency_key", name=op.f("uq_payments_customer_id_idempotency_key")
        ),
    )
    for column in ("customer_id", "source_account_id", "payee_id"):
        op.create_index(op.f(f"ix_payments_{column}"), "payments", [column])

    op.create_table(
        "standing_orders",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("customer_id", sa.String(32), nullable=False),
        sa.Column("source_account_id", sa.String(32), nullable=False),
        sa.Column("payee_id", sa.String(32), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("frequency", sa.String(16), nullable=False),
        sa.Column("next_date", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(18), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("cancelled_at", TZ, nullable=True),
        _check("standing_orders", "frequency", "frequency", FREQUENCIES),
        _check("standing_orders", "status", "standing_order_status", STANDING_ORDER_STATUSES),
        _fk("standing_orders", "customer_id", "customers"),
        _fk("standing_orders", "source_account_id", "accounts"),
        _fk("standing_orders", "payee_id", "payees"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standing_orders")),
    )
    for column in ("customer_id", "payee_id"):
        op.create_index(op.f(f"ix_standing_orders_{column}"), "standing_orders", [column])

    op.create_table(
        "card_statements",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("account_id", sa.String(32), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("balance", MONEY, nullable=False),
        sa.Column("minimum_payment", MONEY, nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        _fk("card_statements", "account_id", "accounts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_statements")),
    )
    op.create_index(op.f("ix_card_statements_account_id"), "card_statements", ["account_id"])

    with op.batch_alter_table("transactions") as batch:
        batch.add_column(sa.Column("payment_id", sa.String(32), nullable=True))
        batch.create_foreign_key(
            op.f("fk_transactions_payment_id_payments"), "payments", ["payment_id"], ["id"]
        )
        batch.create_index(op.f("ix_transactions_payment_id"), ["payment_id"])
        batch.drop_constraint(op.f("ck_transactions_transaction_kind"), type_="check")
        batch.create_check_constraint(
            op.f("ck_transactions_transaction_kind"), _allowed("kind", KINDS_AFTER)
        )


def downgrade() -> None:
    op.execute("UPDATE transactions SET kind = 'other' WHERE kind = 'payment'")
    with op.batch_alter_table("transactions") as batch:
        batch.drop_constraint(op.f("ck_transactions_transaction_kind"), type_="check")
        batch.create_check_constraint(
            op.f("ck_transactions_transaction_kind"), _allowed("kind", KINDS_BEFORE)
        )
        batch.drop_index(op.f("ix_transactions_payment_id"))
        batch.drop_constraint(op.f("fk_transactions_payment_id_payments"), type_="foreignkey")
        batch.drop_column("payment_id")
    for table in ("card_statements", "standing_orders", "payments", "payees", "payee_directory"):
        op.drop_table(table)
