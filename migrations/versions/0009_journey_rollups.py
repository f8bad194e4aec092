"""Journey rollups, built from the journeys stored.

The dashboard's sums per day, channel and segment, and an index of contained journeys by
duration (the median time to resolution), for queries under 200 ms at a million events. The
indexes only the per-journey queries the rollups replace read are dropped (ingest writes less).

Revision ID: 0009_journey_rollups
Revises: 0008_journeys
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009_journey_rollups"
down_revision: str | None = "0008_journeys"
branch_labels = None
depends_on = None

ROLLUPS = ("journey_rollups", "journey_intent_rollups", "journey_recommendation_rollups",
           "journey_path_rollups", "journey_repeat_rollups")


def _key(name: str, kind: sa.types.TypeEngine) -> sa.Column:
    return sa.Column(name, kind, primary_key=True)


def _sums(kind: sa.types.TypeEngine, *names: str) -> list[sa.Column]:
    return [sa.Column(name, kind, nullable=False) for name in names]


def _rollup(name: str, *columns: sa.Column) -> None:
    """A rollup keyed by day, channel, segment and the other key columns (on SQLite the key
    is the table)."""
    op.create_table(name, _key("day", sa.String(10)), _key("channel", sa.String(16)),
                    _key("segment", sa.String(60)), *columns, sqlite_with_rowid=False)


def upgrade() -> None:
    op.drop_index("ix_journey_intents_intent", table_name="journey_intents")
    op.drop_index("ix_journeys_day_channel_segment", table_name="journeys")
    duration = sa.text("(ended_ts - started_ts)")
    op.create_index("ix_journeys_resolved_duration", "journeys",
                    ["escalated", "abandoned", duration, "day", "channel", "segment"])
    _rollup("journey_rollups", _key("escalated", sa.Boolean()), _key("escalation_reason", sa.String(40)),
            _key("abandoned", sa.Boolean()), _key("form_name", sa.String(40)),
            _key("form_slots_filled", sa.Integer()), _key("form_completed", sa.Boolean()),
            *_sums(sa.Integer(), "journeys", "turns", "fallbacks", "identified", "sentiment_n"),
            *_sums(sa.Float(), "sentiment_first", "sentiment_mean", "sentiment_last", "duration_s"))
    _rollup("journey_intent_rollups", _key("intent", sa.String(80)),
            *_sums(sa.Integer(), "journeys", "turns", "fallbacks", "negative", "loops", "negative_journeys"))
    _rollup("journey_recommendation_rollups", _key("product_id", sa.String(60)),
            _key("outcome", sa.String(16)), *_sums(sa.Integer(), "journeys"))
    _rollup("journey_path_rollups", _key("kind", sa.String(20)), _key("step", sa.String(80)),
            _key("path", sa.String(400)), *_sums(sa.Integer(), "journeys"))
    _rollup("journey_repeat_rollups", _key("scope", sa.String(8)), _key("next_day", sa.String(10)),
            _key("within_days", sa.Integer()), *_sums(sa.Integer(), "journeys"))
    from journeys.rollups import rebuild  # the journeys stored so far, summed the consumer's way

    rebuild(op.get_bind())


def downgrade() -> None:
    for table in reversed(ROLLUPS):
        op.drop_table(table)
    op.drop_index("ix_journeys_resolved_duration", table_name="journeys")
    op.create_index("ix_journeys_day_channel_segment", "journeys", ["day", "channel", "segment"])
    op.create_index("ix_journey_intents_intent", "journey_intents",
                    ["intent", "day", "channel", "segment", "turns", "fallbacks", "negative"])
