"""Journeys count payment form runs: payments started, warned (caution, stop), stopped (and
stopped after a warning) and completed, card repayments started, stopped and completed; on
each journey and summed in ``journey_rollups``.

Journeys stored before this revision count none (0) until they are rebuilt from their steps
(``JourneyConsumer.rebuild_all``); their rollups stay equal to them either way.

Revision ID: 0015_journey_payments
Revises: 0014_payees_payments
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0015_journey_payments"
down_revision: str | None = "0014_payees_payments"
branch_labels = None
depends_on = None

# The fields as they are at this revision (journeys.payments.PAYMENT_FIELDS may grow).
FIELDS = (
    "payments_started", "payments_warned_caution", "payments_warned_stop", "payments_stopped",
    "payments_stopped_after_warning", "payments_completed",
    "repayments_started", "repayments_stopped", "repayments_completed",
)
TABLES = ("journeys", "journey_rollups")


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN on SQLite too: a batch copy would drop the rollup's
    # WITHOUT ROWID and the journeys' expression index.
    for table in TABLES:
        for name in FIELDS:
            op.add_column(table, sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0")))


def downgrade() -> None:
    for table in TABLES:
        for name in reversed(FIELDS):
            op.drop_column(table, name)
