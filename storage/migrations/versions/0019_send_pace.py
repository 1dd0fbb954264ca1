"""send_pace: each channel's next free moment to send, shared by the instances on one database

Telegram's limit (about 30 messages a second) is the bot's, not each process's: two instances each
keeping to it sent twice as fast and were refused with 429s. Each send now books the next slot of
its channel in this row (storage/pace.py), on PostgreSQL; SQLite runs one instance and keeps its
pace in memory.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "send_pace",
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("next_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel"),
    )


def downgrade() -> None:
    op.drop_table("send_pace")
