"""Recommender tables: holdings, consents, recommendation events, derived features,
segments and equality monitoring (recommender.models).

Revision ID: 0003_recommendations
Revises: 0002_service
Create Date: 2026-11-27

Written by hand to match the models (checked with alembic's compare_metadata in
tests/recommender/test_store_repository.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_recommendations"
down_revision: str | None = "0002_service"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=14, scale=2)


def _utc(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _choice(table: str, column: str, check_name: str, values: Sequence[str]) -> list:
    allowed = ", ".join(f"'{v}'" for v in values)
    return [
        sa.Column(column, sa.String(length=16), nullable=False),
        sa.CheckConstraint(f"{column} IN ({allowed})", name=op.f(f"ck_{table}_{check_name}")),
    ]


def _customer(table: str, primary_key: bool = False) -> list:
    return [
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f(f"fk_{table}_customer_id_customers"),
            ondelete="CASCADE",  # the demo seed's --reset deletes customers
        ),
        *([sa.PrimaryKeyConstraint("customer_id", name=op.f(f"pk_{table}"))] if primary_key else []),
    ]


def upgrade() -> None:
    op.create_table(
        "holdings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *_customer("holdings"),
        sa.Column("product_id", sa.String(length=40), nullable=False),
        *_choice("holdings", "status", "holding_status", ["active", "closed"]),
        sa.Column("balance", MONEY, nullable=True),
        _utc("opened_at"),
        _utc("closed_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holdings")),
    )
    op.create_index(op.f("ix_holdings_customer_id"), "holdings", ["customer_id"])

    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *_customer("consents"),
        *_choice("consents", "purpose", "consent_purpose", ["profiling", "marketing"]),
        sa.Column("granted", sa.Boolean(), nullable=False),
        *_choice(
            "consents", "channel", "consent_channel", ["app", "web_chat", "branch", "phone", "api"]
        ),
        _utc("recorded_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index(
        "ix_consents_customer_id_purpose_recorded_at",
        "consents",
        ["customer_id", "purpose", "recorded_at"],
    )

    op.create_table(
        "recommendation_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("rec_id", sa.String(length=40), nullable=False),
        *_customer("recommendation_events"),
        sa.Column("product_id", sa.String(length=40), nullable=False),
        *_choice(
            "recommendation_events",
            "event",
            "event_kind",
            ["shown", "more_info", "accepted", "declined"],
        ),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("goal_type", sa.String(length=16), nullable=True),
        sa.Column("personalised", sa.Boolean(), nullable=False),
        _utc("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_events")),
    )
    op.create_index(
        op.f("ix_recommendation_events_rec_id"), "recommendation_events", ["rec_id"]
    )
    op.create_index(
        "ix_recommendation_events_customer_id_created_at",
        "recommendation_events",
        ["customer_id", "created_at"],
    )

    op.create_table(
        "customer_features",
        *_customer("customer_features", primary_key=True),
        sa.Column("monthly_income", MONEY, nullable=False),
        sa.Column("monthly_spend", MONEY, nullable=False),
        sa.Column("savings_rate", sa.Float(), nullable=False),
        sa.Column("spending_by_category", sa.JSON(), nullable=False),
        sa.Column("balance_current", MONEY, nullable=False),
        sa.Column("balance_savings", MONEY, nullable=False),
        sa.Column("balance_investments", MONEY, nullable=False),
        sa.Column("credit_debt", MONEY, nullable=False),
        _utc("computed_at"),
    )

    op.create_table(
        "customer_segments",
        *_customer("customer_segments", primary_key=True),
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("model_version", sa.String(length=40), nullable=False),
        _utc("assigned_at"),
    )

    op.create_table(
        "equality_monitoring",
        *_customer("equality_monitoring", primary_key=True),
        *(
            sa.Column(name, sa.String(length=24), nullable=True)
            for name in ("gender", "ethnicity", "religion", "marital_status", "disability")
        ),
        _utc("recorded_at"),
    )


def downgrade() -> None:
    for table in (
        "equality_monitoring",
        "customer_segments",
        "customer_features",
        "recommendation_events",
        "consents",
        "holdings",
    ):
        op.drop_table(table)
