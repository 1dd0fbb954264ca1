"""reminder.claimed_by: which process's claim it is, so a claim of a process that is gone is let go at once

After a kill -9 the dead instance's claimed batch waited out its lease (165 rows about two minutes).
A claim now names its claimer (storage/claimer.py): on PostgreSQL the key of an advisory lock its
process holds on a connection of its own, on SQLite the process id; a claim whose claimer holds no
such lock, or whose process is not running, is handed back by the next pass of any dispatcher.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_column("claimed_by")
