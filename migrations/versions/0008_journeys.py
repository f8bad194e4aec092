"""Journey store, segment changes and experiments.

Revision ID: 0008_journeys
Revises: 0007_idempotency_fingerprint
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008_journeys"
down_revision: str | None = "0007_idempotency_fingerprint"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "journey_steps",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_key", sa.String(40), nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("ts", sa.Float(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(80), nullable=True),
        sa.Column("detail", sa.String(400), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("sentiment", sa.Float(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("customer_id", sa.String(40), nullable=True),
        sa.Column("channel", sa.String(16), nullable=True),
        sa.UniqueConstraint("event_key"),
    )
    op.create_index("ix_journey_steps_conversation_ts", "journey_steps", ["conversation_id", "ts"])
    op.create_table(
        "journeys",
        sa.Column("conversation_id", sa.String(64), primary_key=True),
        sa.Column("customer_id", sa.String(40), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("segment", sa.String(60), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("started_ts", sa.Float(), nullable=False),
        sa.Column("ended_ts", sa.Float(), nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("fallbacks", sa.Integer(), nullable=False),
        sa.Column("rephrase_loops", sa.Integer(), nullable=False),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("escalation_reason", sa.String(40), nullable=True),
        sa.Column("abandoned", sa.Boolean(), nullable=False),
        sa.Column("form_name", sa.String(40), nullable=True),
        sa.Column("form_slots_filled", sa.Integer(), nullable=False),
        sa.Column("form_completed", sa.Boolean(), nullable=False),
        sa.Column("form_abandon_slot", sa.String(60), nullable=True),
        sa.Column("sentiment_mean", sa.Float(), nullable=True),
        sa.Column("sentiment_first", sa.Float(), nullable=True),
        sa.Column("sentiment_last", sa.Float(), nullable=True),
        sa.Column("negative_turns", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(400), nullable=False),
        sa.Column("last_step", sa.String(80), nullable=True),
    )
    op.create_index("ix_journeys_customer_started", "journeys",
                    ["customer_id", "started_ts", "day", "channel", "segment"])
    op.create_index("ix_journeys_day_channel_segment", "journeys", ["day", "channel", "segment"])
    op.create_table(
        "journey_intents",
        sa.Column("conversation_id", sa.String(64), primary_key=True),
        sa.Column("intent", sa.String(80), primary_key=True),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("fallbacks", sa.Integer(), nullable=False),
        sa.Column("negative", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("segment", sa.String(60), nullable=False),
    )
    op.create_index("ix_journey_intents_intent", "journey_intents",
                    ["intent", "day", "channel", "segment", "turns", "fallbacks", "negative"])
    op.create_table(
        "journey_recommendations",
        sa.Column("conversation_id", sa.String(64), primary_key=True),
        sa.Column("rec_id", sa.String(64), primary_key=True),
        sa.Column("product_id", sa.String(60), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("segment", sa.String(60), nullable=False),
    )
    op.create_table(
        "journey_ingest_state",
        sa.Column("source", sa.String(200), primary_key=True),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "segment_changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("customer_id", sa.String(40), nullable=False),
        sa.Column("segment", sa.String(60), nullable=False),
        sa.Column("previous", sa.String(60), nullable=True),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_index("ix_segment_changes_customer_id", "segment_changes", ["customer_id"])
    op.create_index("ix_segment_changes_day", "segment_changes", ["day"])
    op.create_table(
        "experiments",
        sa.Column("name", sa.String(60), primary_key=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("arms", sa.JSON(), nullable=False),
        sa.Column("stopped", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "experiment_assignments",
        sa.Column("experiment", sa.String(60), primary_key=True),
        sa.Column("customer_id", sa.String(40), primary_key=True),
        sa.Column("arm", sa.String(60), nullable=False),
        sa.Column("propensity", sa.Float(), nullable=False),
        sa.Column("assigned_at", TZ, nullable=False),
    )
    op.create_table(
        "experiment_outcomes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("experiment", sa.String(60), nullable=False),
        sa.Column("customer_id", sa.String(40), nullable=False),
        sa.Column("arm", sa.String(60), nullable=False),
        sa.Column("propensity", sa.Float(), nullable=False),
        sa.Column("reward", sa.Float(), nullable=False),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("complaint", sa.Boolean(), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_index("ix_experiment_outcomes_experiment_arm", "experiment_outcomes", ["experiment", "arm"])


def downgrade() -> None:
    op.drop_index("ix_experiment_outcomes_experiment_arm", table_name="experiment_outcomes")
    op.drop_table("experiment_outcomes")
    op.drop_table("experiment_assignments")
    op.drop_table("experiments")
    op.drop_index("ix_segment_changes_day", table_name="segment_changes")
    op.drop_index("ix_segment_changes_customer_id", table_name="segment_changes")
    op.drop_table("segment_changes")
    op.drop_table("journey_ingest_state")
    op.drop_table("journey_recommendations")
    op.drop_index("ix_journey_intents_intent", table_name="journey_intents")
    op.drop_table("journey_intents")
    op.drop_index("ix_journeys_day_channel_segment", table_name="journeys")
    op.drop_index("ix_journeys_customer_started", table_name="journeys")
    op.drop_table("journeys")
    op.drop_index("ix_journey_steps_conversation_ts", table_name="journey_steps")
    op.drop_table("journey_steps")
