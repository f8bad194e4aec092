"""Skill-based routing of handoffs: each colleague's skills, concurrent-chat limit and status
(available, busy, away), and the skill each handoff is routed to.

Colleagues already stored get the general skill, three concurrent chats and ``available``;
handoffs already stored are routed to the general skill.

Revision ID: 0013_staff_skills_routing
Revises: 0012_account_status
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013_staff_skills_routing"
down_revision: str | None = "0012_account_status"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(sa.Column("skills", sa.JSON(), nullable=False, server_default='["general"]'))
        batch.add_column(sa.Column("max_chats", sa.Integer(), nullable=False, server_default="3"))
        batch.add_column(
            sa.Column("availability", sa.String(12), nullable=False, server_default="available")
        )
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("skill", sa.String(32), nullable=False, server_default="general"))
    op.create_index(op.f("ix_handoffs_skill_queue"), "handoffs", ["status", "skill"])


def downgrade() -> None:
    op.drop_index(op.f("ix_handoffs_skill_queue"), table_name="handoffs")
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_column("skill")
    with op.batch_alter_table("staff_users") as batch:
        for column in ("availability", "max_chats", "skills"):
            batch.drop_column(column)
