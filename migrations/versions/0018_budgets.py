"""Budgets (a customer's monthly spending limit per category, one per category) and category
corrections (the category a customer gave a merchant, one per statement description).

Revision ID: 0018_budgets
Revises: 0017_sealed_payees
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0018_budgets"
down_revision: str | None = "0017_sealed_payees"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
# The categories as they are at this revision (bank.enums.Category may grow).
CATEGORIES = ("groceries", "rent", "salary", "transport", "eating_out", "utilities", "entertainment",
              "shopping", "transfer", "cash", "other")


def upgrade() -> None:
    allowed = f"category IN ({', '.join(repr(c) for c in CATEGORIES)})"
    op.create_table(
        "budgets",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("customer_id", sa.String(32), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("monthly_limit", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.CheckConstraint(allowed, name=op.f("ck_budgets_category")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_budgets_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budgets")),
        sa.UniqueConstraint("customer_id", "category", name=op.f("uq_budgets_customer_id_category")),
    )
    op.create_index(op.f("ix_budgets_customer_id"), "budgets", ["customer_id"])
    op.create_table(
        "category_corrections",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("customer_id", sa.String(32), nullable=False),
        sa.Column("description", sa.String(128), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.CheckConstraint(allowed, name=op.f("ck_category_corrections_category")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_category_corrections_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_category_corrections")),
        sa.UniqueConstraint("customer_id", "description",
                            name=op.f("uq_category_corrections_customer_id_description")),
    )
    op.create_index(op.f("ix_category_corrections_customer_id"), "category_corrections", ["customer_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_category_corrections_customer_id"), table_name="category_corrections")
    op.drop_table("category_corrections")
    op.drop_index(op.f("ix_budgets_customer_id"), table_name="budgets")
    op.drop_table("budgets")
