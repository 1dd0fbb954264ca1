"""plan_revision: a counter a plan load moves, so a running bot follows a plan loaded meanwhile

The bot worked the plan out once at start (the day's occurrences, the calendar's corrections) and kept
it; `nhacviec plan load` changes the plan while the bot runs. The load moves this counter in its own
transaction; each instance reads it (one row) about once a minute and works the plan out again when it
moved.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO plan_revision (id, revision) VALUES (1, 0)")


def downgrade() -> None:
    op.drop_table("plan_revision")
