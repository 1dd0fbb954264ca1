"""reminder.local_day: one reminder a day per occurrence, unit and recipient, kept by a unique index

The outbox was unique per (occurrence, unit, account, step) only, so two steps going out on the same
day (a step missed just before the next one, an extension's second ladder, a step moved by a day off
onto another's day) were two messages. The planner now writes the local day each row goes out, and
the index lets one row a day in, whichever planner or instance writes first.

Rows written before keep no day: the planner reads them by the moment they were to go out
(`next_attempt_at`), so the day of the upgrade is covered too, except against a race of two
instances in that very day.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("local_day", sa.Date(), nullable=True))
        batch_op.create_index("uq_reminder_day", ["occurrence_id", "local_day", "unit_id", "account_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index("uq_reminder_day")
        batch_op.drop_column("local_day")
